// evaluateMaskedLm scores exactly the tokens it masks, reproducibly under a seed.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from './engine';
import { evaluateMaskedLm } from './evaluate';

const fixture = fileURLToPath(new URL('../../test/fixtures/tiny-model', import.meta.url));
const lines = [
  'You are a helpful assistant that answers in one short sentence.',
  '',
  'Summarize the review below and say whether it is positive or negative.',
  'word '.repeat(300), // longer than the fixture's 128 positions: cut into windows
];
let engine: Engine;

beforeAll(async () => {
  engine = await Engine.load({ model: fixture, quantization: 'fp32', backend: 'wasm' });
});
afterAll(() => engine.dispose());

describe('evaluateMaskedLm', () => {
  it('masks round(ratio x tokens) of every window of every non-empty line', async () => {
    const expected = lines
      .filter((l) => l.trim())
      .flatMap((l) => engine.codec.windows(l))
      .reduce((sum, w) => sum + Math.max(1, Math.round(0.5 * w.length)), 0);
    const result = await evaluateMaskedLm(engine, lines, { maskRatio: 0.5, seed: 0 });
    expect(result.tokens_scored).toBe(expected);
  });

  it('gives a random-weight model the nll of a uniform guess and accuracies in order', async () => {
    const result = await evaluateMaskedLm(engine, lines, { maskRatio: 0.15, seed: 1 });
    expect(result.nll).toBeGreaterThan(Math.log(engine.info.vocabSize) - 0.2);
    expect(result.nll).toBeLessThan(Math.log(engine.info.vocabSize) + 0.2);
    expect(result.top1).toBeGreaterThanOrEqual(0);
    expect(result.top5).toBeGreaterThanOrEqual(result.top1);
    expect(result.top5).toBeLessThanOrEqual(1);
  });

  it('is reproducible under a seed', async () => {
    const a = await evaluateMaskedLm(engine, lines, { maskRatio: 0.3, seed: 4 });
    const b = await evaluateMaskedLm(engine, lines, { maskRatio: 0.3, seed: 4 });
    expect(a).toEqual(b);
  });

  it('refuses a mask ratio outside (0, 1], naming the option', async () => {
    await expect(evaluateMaskedLm(engine, lines, { maskRatio: 0, seed: 0 })).rejects.toThrow('maskRatio must be in (0, 1] (got 0).');
  });
});
