import { describe, expect, it } from 'vitest';
import { keepApart, lowestK, selectFactor, selectThreshold, selectTopK } from './select';

const f32 = (...xs: number[]): Float32Array => Float32Array.from(xs);
const picked = (out: Int32Array, n: number): number[] => [...out.subarray(0, n)];

describe('selection', () => {
  it('top-k picks the highest confidences, best first, ties to the lower index', () => {
    const out = new Int32Array(4);
    const n = selectTopK(f32(0.1, 0.5, 0.5, 0.9), 4, 2, out);
    expect(picked(out, n)).toEqual([3, 1]);
    expect(picked(out, selectTopK(f32(0.5, 0.5, 0.5), 3, 3, out))).toEqual([0, 1, 2]);
  });

  it('top-k only looks at eligible candidates and returns fewer when fewer are eligible', () => {
    const out = new Int32Array(4);
    const n = selectTopK(f32(0.1, 0.2, 0.9, 0.8), Uint8Array.from([1, 1, 0, 1]), 3, out);
    expect(picked(out, n)).toEqual([3, 1, 0]);
    expect(selectTopK(f32(0.1, 0.2), 2, 5, out)).toBe(2);
    expect(selectTopK(f32(0.1, 0.2), 2, 0, out)).toBe(0);
  });

  it('lowest-k picks the lowest confidences, lowest first, ties to the lower index', () => {
    const out = new Int32Array(4);
    const n = lowestK(f32(0.3, 0.1, 0.1, 0.9), Uint8Array.from([1, 1, 1, 1]), 2, out);
    expect(picked(out, n)).toEqual([1, 2]);
    expect(picked(out, lowestK(f32(0.3, 0.1, 0.1, 0.9), Uint8Array.from([1, 0, 0, 1]), 1, out))).toEqual([0]);
  });

  it('threshold takes every candidate at or above it, in index order', () => {
    const out = new Int32Array(4);
    expect(picked(out, selectThreshold(f32(0.95, 0.2, 0.9, 0.91), 4, 0.9, out))).toEqual([0, 2, 3]);
  });

  it('threshold always takes at least the best candidate', () => {
    const out = new Int32Array(4);
    expect(picked(out, selectThreshold(f32(0.2, 0.5, 0.5), 3, 0.9, out))).toEqual([1]);
  });

  it('threshold ignores candidates past n (later blocks)', () => {
    const out = new Int32Array(4);
    expect(picked(out, selectThreshold(f32(0.2, 0.99), 1, 0.9, out))).toEqual([0]);
  });

  it('factor accepts the n-th best while c_n >= 1 - f/(n+1)', () => {
    const out = new Int32Array(4);
    // f = 1: thresholds 1/2, 2/3, 3/4, 4/5 for n = 1..4; sorted 0.99, 0.95, 0.76, 0.7 -> three pass.
    expect(picked(out, selectFactor(f32(0.7, 0.95, 0.76, 0.99), 4, 1, out))).toEqual([3, 1, 2]);
    // f = 0.5: thresholds 0.75, 0.833; 0.8 passes the first, 0.8 fails the second.
    expect(picked(out, selectFactor(f32(0.8, 0.8), 2, 0.5, out))).toEqual([0]);
  });

  it('factor matches a full sort when more than the first top-k pass (ties to the lower index)', () => {
    // Sorting every candidate, highest first and ties to the lower index, is the rule's definition.
    const reference = (conf: Float32Array, factor: number) => {
      const order = Array.from(conf.keys()).sort((a, b) => conf[b] - conf[a] || a - b);
      let count = 0;
      while (count < order.length && conf[order[count]] >= 1 - factor / (count + 2)) count++;
      return order.slice(0, Math.max(count, 1));
    };
    // 40 candidates in steps of 1/64 with repeats: with f = 12, about twenty pass, past 8 and 16.
    const conf = Float32Array.from({ length: 40 }, (_, i) => 1 - ((i * 7) % 20) / 64);
    const out = new Int32Array(40);
    for (const factor of [0.5, 3, 12, 100]) expect(picked(out, selectFactor(conf, 40, factor, out))).toEqual(reference(conf, factor));
    expect(reference(conf, 12).length).toBeGreaterThan(16);
  });

  it('factor always takes at least the best candidate', () => {
    const out = new Int32Array(3);
    expect(picked(out, selectFactor(f32(0.1, 0.3, 0.2), 3, 0.5, out))).toEqual([1]);
  });

  it('keeps selected neighbours apart, most confident first, and only neighbours in the text', () => {
    // Candidates at positions 4 5 6 7 and 9: 4-5-6-7 is a run, 9 stands apart (8 is not masked).
    const positions = Int32Array.from([4, 5, 6, 7, 9]);
    const conf = f32(0.2, 0.9, 0.3, 0.5, 0.1);
    const taken = new Uint8Array(5);
    const selected = Int32Array.from([0, 1, 2, 3, 4]);
    const n = keepApart(selected, 5, positions, conf, taken);
    // 5 (0.9) first, so 4 and 6 wait; 7 (0.5) is next to 6, not to 5; 9 is not next to 7's position.
    expect(picked(selected, n)).toEqual([1, 3, 4]);
    expect([...taken]).toEqual([0, 0, 0, 0, 0]);
    // A lone selection is kept, and a selection without neighbours is kept whole.
    expect(keepApart(Int32Array.from([2]), 1, positions, conf, taken)).toBe(1);
    expect(keepApart(Int32Array.from([0, 2, 4]), 3, positions, conf, taken)).toBe(3);
  });
});

