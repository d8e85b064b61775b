import { describe, expect, it } from 'vitest';
import { Rng } from '../src/core/rng';
import { chooseSpan, immediateRepeats, meanSummary, parseRules } from './infill-eval';

describe('chooseSpan', () => {
  // Token i begins a word where the flag is set: words are [0,1] [2] [3,4,5] [6] [7] [8,9].
  const starts = [true, false, true, true, false, false, true, true, true, false];
  const ids = starts.map((_, i) => 100 + i);

  it('masks whole words of 2 to 12 tokens, never the first word', () => {
    const rng = new Rng(1);
    for (let k = 0; k < 200; k++) {
      const span = chooseSpan(ids, (i) => starts[i], rng)!;
      expect(span.start).toBeGreaterThan(0);
      expect(starts[span.start]).toBe(true);
      expect(span.end === ids.length || starts[span.end]).toBe(true);
      expect(span.end - span.start).toBeGreaterThanOrEqual(2);
      expect(span.end - span.start).toBeLessThanOrEqual(12);
    }
  });

  it('is null when no run of whole words fits the bounds', () => {
    expect(chooseSpan([1, 2, 3], () => true, new Rng(0), 2, 2)).toEqual({ start: 1, end: 3 });
    expect(chooseSpan([1, 2], () => true, new Rng(0))).toBeNull();
    expect(chooseSpan(ids, (i) => starts[i], new Rng(0), 9, 12)).toBeNull(); // the longest run, tokens 2-9, is 8
  });
});

describe('immediateRepeats', () => {
  it('counts tokens equal to the one before, the context token included', () => {
    expect(immediateRepeats(7, [7, 8, 8, 8, 9])).toBe(3);
    expect(immediateRepeats(1, [2, 3])).toBe(0);
  });
});

describe('meanSummary', () => {
  it('gives the t interval around the mean, unbounded', () => {
    const s = meanSummary([-3, -2, -1]);
    expect(s.mean).toBe(-2);
    expect(s.ci95[0]).toBeCloseTo(-2 - 4.303 / Math.sqrt(3), 2);
    expect(s.ci95[1]).toBeCloseTo(-2 + 4.303 / Math.sqrt(3), 2);
    expect(s.n).toBe(3);
  });
});

describe('parseRules', () => {
  it('gives the named settings in order', () => {
    expect(parseRules('{"one token per step": {"steps": 64}, "left to right": {"steps": 64, "blockLength": 1}}')).toEqual([
      ['one token per step', { steps: 64 }],
      ['left to right', { steps: 64, blockLength: 1 }],
    ]);
    expect(parseRules('{}')).toEqual([]);
  });

  it('refuses text that is not an object of objects, saying what to give', () => {
    expect(() => parseRules('{steps: 64}')).toThrow(/--rules is not JSON .*e\.g\. '\{"one token per step"/);
    expect(() => parseRules('[{"steps": 64}]')).toThrow(/must be an object of named settings/);
    expect(() => parseRules('{"fast": 8}')).toThrow(/"fast" must be an object of engine settings/);
  });
});
