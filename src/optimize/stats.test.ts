import { describe, expect, it } from 'vitest';
import { isRealGain, pairedDelta, scoreSummary, t975, wilson } from './stats';

describe('test-set intervals', () => {
  it("gives Wilson's interval, worked by hand for 8/10 and the edges 0/10 and 10/10", () => {
    // p = 0.8, z^2 = 3.8415: centre (0.8 + 0.19207) / 1.38415 = 0.71673, half 1.41601 * 0.160012 = 0.22658.
    const [lo, hi] = wilson(8, 10);
    expect(lo).toBeCloseTo(0.4902, 4);
    expect(hi).toBeCloseTo(0.9433, 4);
    expect(wilson(0, 10)[0]).toBe(0);
    expect(wilson(0, 10)[1]).toBeCloseTo(0.2775, 4);
    expect(wilson(10, 10)[0]).toBeCloseTo(0.7225, 4);
    expect(wilson(0, 0)).toEqual([0, 1]);
  });

  it("matches Student's t table at 0.975", () => {
    for (const [df, table] of [[3, 3.182], [4, 2.776], [9, 2.262], [29, 2.045], [31, 2.0395], [40, 2.021], [60, 2.0003], [120, 1.9799]] as const) expect(Math.abs(t975(df) - table)).toBeLessThan(0.0006);
  });

  it('uses Wilson for 0/1 scores and a t interval for graded ones', () => {
    expect(scoreSummary([1, 1, 1, 1, 1, 1, 1, 1, 0, 0])).toEqual({ score: 0.8, ci95: wilson(8, 10) });
    // mean 0.5, sd sqrt(4 * 0.25^2 / 3) = 0.288675, se 0.144338, t(3) = 3.182: half 0.45928.
    const graded = scoreSummary([0.25, 0.75, 0.25, 0.75]);
    expect(graded.score).toBe(0.5);
    expect(graded.ci95[0]).toBeCloseTo(0.5 - 0.4593, 3);
    expect(graded.ci95[1]).toBeCloseTo(0.5 + 0.4593, 3);
  });

  it('pairs the rows for best - initial, worked by hand', () => {
    // differences [1, 0, 0, 0, 1]: mean 0.4, sd sqrt(0.3) = 0.5477, se 0.2449, t(4) = 2.776: half 0.680.
    const delta = pairedDelta([0, 0, 1, 1, 0], [1, 0, 1, 1, 1]);
    expect(delta.mean).toBeCloseTo(0.4, 10);
    expect(delta.ci95[0]).toBeCloseTo(-0.28, 2);
    expect(delta.ci95[1]).toBe(1); // clipped: a difference of 0/1 scores cannot pass 1
    expect(isRealGain(delta)).toBe(false);
    expect(isRealGain(pairedDelta(Array(40).fill(0), Array(40).fill(1)))).toBe(true);
    expect(pairedDelta([1], [0])).toEqual({ mean: -1, ci95: [-1, 1] });
    expect(() => pairedDelta([1, 0], [1])).toThrow(/same rows/);
  });
});
