import { describe, expect, it } from 'vitest';
import { applyGuidance } from './guidance';

describe('classifier-free guidance', () => {
  it('computes un + (w + 1)(cond - un)', () => {
    const out = new Float32Array(3);
    applyGuidance(Float32Array.from([0, 1.5, 1.4]), Float32Array.from([0, 2, 0]), 1, out);
    expect([...out]).toEqual([0, 1, Math.fround(2.8)]);
  });

  it('gives the conditional logits back when w = 0 and may write in place', () => {
    const cond = Float32Array.from([1, -2, 3]);
    const uncond = Float32Array.from([4, 5, 6]);
    applyGuidance(cond, uncond, 0, uncond);
    expect([...uncond]).toEqual([1, -2, 3]);
  });

  it('rejects arrays of different lengths', () => {
    expect(() => applyGuidance(new Float32Array(2), new Float32Array(3), 1, new Float32Array(3))).toThrow(RangeError);
  });
});
