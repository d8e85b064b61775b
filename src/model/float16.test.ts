import { describe, expect, it } from 'vitest';
import { halfToFloat, widenHalves } from './float16';

describe('float16 logits', () => {
  it('reads binary16 bit patterns exactly, subnormals, infinities and NaN included', () => {
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x7bff)).toBe(65504); // the largest finite half
    expect(halfToFloat(0x0001)).toBe(2 ** -24); // the smallest subnormal
    expect(halfToFloat(0x3555)).toBeCloseTo(1 / 3, 3);
    expect(halfToFloat(0x8000)).toBe(-0);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(halfToFloat(0xfc00)).toBe(-Infinity);
    expect(halfToFloat(0x7e00)).toBeNaN();
  });

  it('widens raw halves and already-decoded values alike', () => {
    expect(Array.from(widenHalves(Uint16Array.of(0x3c00, 0xc500, 0x0000)))).toEqual([1, -5, 0]);
    expect(Array.from(widenHalves([1.5, -0.25]))).toEqual([1.5, -0.25]);
  });
});
