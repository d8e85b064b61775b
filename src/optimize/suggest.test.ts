// Rewrites from the DLM alone (no target): distinct from the prompt and from each other, locked text
// kept, and progress reported step by step up to the end.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../model/engine';
import { suggestRewrites, type SuggestRequest } from './suggest';

const fixture = fileURLToPath(new URL('../../test/fixtures/tiny-model', import.meta.url));
let engine: Engine;

beforeAll(async () => {
  engine = await Engine.load({ model: fixture, quantization: 'fp32', backend: 'wasm' });
});
afterAll(() => engine.dispose());

const prompt = 'Read the review. Answer with one word: positive or negative.';
const request: SuggestRequest = {
  prompt,
  locked: [[17, prompt.length]],
  marked: [],
  traces: [{ query: 'The soup was cold.', response: 'Negative', feedback: 'Use lower case.' }],
  candidates: 3,
  editFraction: 0.5,
  decoding: { steps: 4 },
  seed: 7,
};

describe('suggested rewrites', () => {
  it('rewrites only the unlocked text, each rewrite new, and reports progress up to 1', async () => {
    const progress: number[] = [];
    const rewrites = await suggestRewrites(engine, request, { onProgress: (fraction) => progress.push(fraction) });
    expect(rewrites.length).toBeGreaterThan(0);
    const texts = rewrites.map((r) => r.prompt.text);
    expect(new Set(texts).size).toBe(texts.length);
    for (const text of texts) {
      expect(text).not.toBe(prompt);
      expect(text.endsWith(prompt.slice(17))).toBe(true);
    }
    expect(progress.length).toBeGreaterThanOrEqual(request.candidates);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1]);
    expect(progress.at(-1)).toBe(1);
  });

  it('rewrites only the marked text when the user marked some, in every rewrite', async () => {
    const marked: [number, number] = [0, 16]; // "Read the review."
    const rewrites = await suggestRewrites(engine, { ...request, locked: [], marked: [marked], candidates: 4, decoding: { steps: 4, temperature: 1 } });
    expect(rewrites.length).toBe(4);
    for (const rewrite of rewrites) {
      expect(rewrite.strategy).toBe('marked');
      expect(rewrite.prompt.text.endsWith(prompt.slice(16))).toBe(true);
    }
  });

  it('stops when its signal aborts', async () => {
    const controller = new AbortController();
    controller.abort(new DOMException('Stopped.', 'AbortError'));
    await expect(suggestRewrites(engine, request, { signal: controller.signal })).rejects.toThrow(/Stopped/);
  });
});
