import { describe, expect, it } from 'vitest';
import { Rng, sampleDistinct } from './rng';

describe('Rng', () => {
  it('gives the same stream for the same seed', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    for (let i = 0; i < 100; i++) expect(a.nextUint32()).toBe(b.nextUint32());
  });

  it('gives different streams for different seeds, including seeds that differ above 32 bits', () => {
    expect(new Rng(1).nextUint32()).not.toBe(new Rng(2).nextUint32());
    expect(new Rng(1).nextUint32()).not.toBe(new Rng(1 + 2 ** 32).nextUint32());
  });

  it('returns uint32 values', () => {
    const rng = new Rng(7);
    let bad = 0;
    for (let i = 0; i < 1000; i++) {
      const x = rng.nextUint32();
      if (!(Number.isInteger(x) && x >= 0 && x < 2 ** 32)) bad++;
    }
    expect(bad).toBe(0);
  });

  it('draws floats strictly inside (0, 1) with a mean near one half', () => {
    const rng = new Rng(3);
    const n = 20000;
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.nextFloat();
      if (!(u > 0 && u < 1)) outside++;
      sum += u;
    }
    expect(outside).toBe(0);
    // Standard error of the mean is sqrt(1/12/n) ~ 0.002; allow five of them.
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.01);
  });

  it('rejects a seed that is not a finite number', () => {
    expect(() => new Rng(Number.NaN)).toThrow(RangeError);
  });
});

describe('sampleDistinct', () => {
  it('draws k distinct integers of [0, n) in ascending order, the same for the same seed', () => {
    const a = Array.from(sampleDistinct(new Rng(3), 50, 10));
    expect(a).toHaveLength(10);
    expect(new Set(a).size).toBe(10);
    expect(a).toEqual([...a].sort((x, y) => x - y));
    expect(a.every((x) => x >= 0 && x < 50)).toBe(true);
    expect(Array.from(sampleDistinct(new Rng(3), 50, 10))).toEqual(a);
  });

  it('gives every integer, drawing nothing, when k is at least n', () => {
    const rng = new Rng(3);
    expect(Array.from(sampleDistinct(rng, 4, 9))).toEqual([0, 1, 2, 3]);
    expect(rng.nextUint32()).toBe(new Rng(3).nextUint32());
  });
});
