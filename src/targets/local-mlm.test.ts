// The local masked-LM target answers with one of its labels, calibrated once per system prompt.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Engine } from '../model/engine';
import { LocalMlmTarget } from './local-mlm';

const fixture = fileURLToPath(new URL('../../test/fixtures/tiny-model', import.meta.url));
let engine: Engine;

beforeAll(async () => {
  engine = await Engine.load({ model: fixture, quantization: 'fp32', backend: 'wasm' });
});
afterAll(() => engine.dispose());

describe('LocalMlmTarget', () => {
  it('answers with a label, scoring the input once and the empty-input prior once per prompt', async () => {
    const target = new LocalMlmTarget(engine, ['positive', 'negative']);
    const forward = vi.spyOn(engine.denoiser, 'forward');
    const inputs = ['Great film.', 'Awful food.', 'A fine day.'];
    for (const user of inputs) {
      const { text, usage } = await target.complete({ system: 'Classify the review.', user });
      expect(['positive', 'negative']).toContain(text);
      expect(usage).toEqual({ inputTokens: 0, outputTokens: 0 });
    }
    // Both labels are one token long here: one pass per input, plus one for the prompt's prior.
    const perCall = new Set(['positive', 'negative'].map((l) => engine.codec.encode(` ${l}`).length)).size;
    expect(forward).toHaveBeenCalledTimes(perCall * (inputs.length + 1));
    forward.mockRestore();
  });

  it("computes a new prompt's prior once when the scorer asks for several inputs at the same time", async () => {
    const target = new LocalMlmTarget(engine, ['positive', 'negative']);
    const forward = vi.spyOn(engine.denoiser, 'forward');
    const inputs = ['Great film.', 'Awful food.', 'A fine day.', 'Cold soup.'];
    const answers = await Promise.all(inputs.map((user) => target.complete({ system: 'Label the review.', user })));
    for (const { text } of answers) expect(['positive', 'negative']).toContain(text);
    const perCall = new Set(['positive', 'negative'].map((l) => engine.codec.encode(` ${l}`).length)).size;
    expect(forward).toHaveBeenCalledTimes(perCall * (inputs.length + 1));
    forward.mockRestore();
  });

  it('computes the prior again after a call that was stopped', async () => {
    const target = new LocalMlmTarget(engine, ['yes', 'no']);
    const stopped = new AbortController();
    stopped.abort(new DOMException('Stopped.', 'AbortError'));
    await expect(target.complete({ system: 'Answer yes or no.', user: 'Is it raining?', signal: stopped.signal })).rejects.toThrow(/Stopped/);
    const { text } = await target.complete({ system: 'Answer yes or no.', user: 'Is it raining?' });
    expect(['yes', 'no']).toContain(text);
  });

  it('keeps the system prompt whole and cuts a long input in the middle to fit', async () => {
    const target = new LocalMlmTarget(engine, ['yes', 'no']);
    const { text } = await target.complete({ system: 'Answer yes or no.', user: 'word '.repeat(500) });
    expect(['yes', 'no']).toContain(text);
  });
});
