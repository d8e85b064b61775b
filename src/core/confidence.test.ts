import { describe, expect, it } from 'vitest';
import { scoreRows, type ConfidenceName } from './confidence';
import { Rng } from './rng';

const LN2 = Math.log(2);
const LN3 = Math.log(3);

function score(
  logits: number[],
  confidence: ConfidenceName,
  extra: { temperature?: number; suppress?: number[]; seed?: number } = {},
): { token: number; conf: number; prob: number } {
  const vocab = logits.length;
  const token = new Int32Array(1);
  const conf = new Float32Array(1);
  const prob = new Float32Array(1);
  const suppress = new Uint8Array(vocab);
  for (const id of extra.suppress ?? []) suppress[id] = 1;
  scoreRows(
    Float32Array.from(logits),
    1,
    vocab,
    { confidence, temperature: extra.temperature ?? 0, rng: new Rng(extra.seed ?? 0), suppress },
    token,
    conf,
    prob,
  );
  return { token: token[0], conf: conf[0], prob: prob[0] };
}

describe('confidence kernel', () => {
  // softmax([0, ln 2, ln 3]) = [1/6, 2/6, 3/6].
  const logits = [0, LN2, LN3];

  it('prob is the softmax probability of the argmax', () => {
    const r = score(logits, 'prob');
    expect(r.token).toBe(2);
    expect(r.conf).toBeCloseTo(1 / 2, 6);
    expect(r.prob).toBeCloseTo(1 / 2, 6);
  });

  it('margin is p(top1) - p(top2)', () => {
    expect(score(logits, 'margin').conf).toBeCloseTo(3 / 6 - 2 / 6, 6);
    expect(score([LN3, 0, LN2], 'margin').conf).toBeCloseTo(1 / 6, 6);
  });

  it('entropy is the negative entropy of the softmax', () => {
    const p = [1 / 6, 2 / 6, 3 / 6];
    const negEntropy = p.reduce((s, x) => s + x * Math.log(x), 0);
    expect(score(logits, 'entropy').conf).toBeCloseTo(negEntropy, 6);
    // A max that arrives last (and first) exercises the rescaling of the running sums.
    expect(score([LN3, LN2, 0], 'entropy').conf).toBeCloseTo(negEntropy, 6);
    expect(score([-1, -1, -1, -1], 'entropy').conf).toBeCloseTo(-Math.log(4), 6);
  });

  it('random confidence is a uniform draw, and the token is still the argmax', () => {
    const r = score(logits, 'random', { seed: 5 });
    expect(r.token).toBe(2);
    expect(r.conf).toBeCloseTo(new Rng(5).nextFloat(), 6);
    expect(r.prob).toBeCloseTo(1 / 2, 6);
  });

  it('stays finite and exact with huge logits', () => {
    // 1e4 + 1 and 1e4 + 2 are exact in float32, so this is softmax([0, 1, 2]).
    const e = [1, Math.E, Math.E ** 2];
    const z = e[0] + e[1] + e[2];
    const r = score([1e4, 1e4 + 1, 1e4 + 2], 'margin');
    expect(r.token).toBe(2);
    expect(r.prob).toBeCloseTo(e[2] / z, 6);
    expect(r.conf).toBeCloseTo((e[2] - e[1]) / z, 6);
    expect(score([-1e4, 1e4, -1e4], 'prob').conf).toBe(1);
    expect(score([-1e4, 1e4, -1e4], 'entropy').conf).toBeCloseTo(0, 6);
  });

  it('breaks ties toward the lower token id', () => {
    const r = score([1e4, 1e4, -1e4], 'margin');
    expect(r.token).toBe(0);
    expect(r.prob).toBeCloseTo(0.5, 6);
    expect(r.conf).toBe(0);
  });

  it('leaves suppressed ids out of the choice and the softmax', () => {
    // softmax([0, ln 2]) = [1/3, 2/3].
    const r = score(logits, 'prob', { suppress: [2] });
    expect(r.token).toBe(1);
    expect(r.conf).toBeCloseTo(2 / 3, 6);
  });

  it('never chooses a -Infinity logit and throws when nothing is choosable', () => {
    expect(score([-Infinity, 0, -Infinity], 'prob')).toMatchObject({ token: 1, conf: 1 });
    expect(() => score([1, 2], 'prob', { suppress: [0, 1] })).toThrow(RangeError);
  });

  it('scores several rows of a row-major matrix', () => {
    const token = new Int32Array(2);
    const conf = new Float32Array(2);
    const rows = Float32Array.from([0, LN2, LN3, LN3, 0, 0]);
    scoreRows(rows, 2, 3, { confidence: 'prob', temperature: 0, rng: new Rng(0) }, token, conf);
    expect([...token]).toEqual([2, 0]);
    expect(conf[0]).toBeCloseTo(1 / 2, 6);
    expect(conf[1]).toBeCloseTo(3 / 5, 6);
  });

  function sampleCounts(row: number[], temperature: number, seed: number, rows: number): number[] {
    const vocab = row.length;
    const logits = new Float32Array(rows * vocab);
    for (let r = 0; r < rows; r++) logits.set(row, r * vocab);
    const token = new Int32Array(rows);
    const conf = new Float32Array(rows);
    scoreRows(logits, rows, vocab, { confidence: 'prob', temperature, rng: new Rng(seed) }, token, conf);
    const counts = new Array<number>(vocab).fill(0);
    for (const t of token) counts[t]++;
    return counts;
  }

  it('Gumbel sampling is deterministic under a seed', () => {
    expect(sampleCounts(logits, 1, 11, 200)).toEqual(sampleCounts(logits, 1, 11, 200));
  });

  it('Gumbel sampling follows softmax(l / T) and reads confidence from the un-noised softmax', () => {
    const rows = 6000;
    // Each frequency has standard deviation <= sqrt(0.25 / 6000) ~ 0.0065; allow 0.03 (over 4.5 of them).
    const t1 = sampleCounts(logits, 1, 1, rows).map((c) => c / rows);
    [1 / 6, 2 / 6, 3 / 6].forEach((p, i) => expect(Math.abs(t1[i] - p)).toBeLessThan(0.03));
    // T = 2: softmax(l / 2) is proportional to [1, sqrt 2, sqrt 3].
    const z = 1 + Math.SQRT2 + Math.sqrt(3);
    const t2 = sampleCounts(logits, 2, 2, rows).map((c) => c / rows);
    [1 / z, Math.SQRT2 / z, Math.sqrt(3) / z].forEach((p, i) => expect(Math.abs(t2[i] - p)).toBeLessThan(0.03));
    const sampled = score(logits, 'prob', { temperature: 1, seed: 3 });
    expect(sampled.conf).toBeCloseTo([1 / 6, 2 / 6, 3 / 6][sampled.token], 6);
  });
});
