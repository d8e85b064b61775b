import { describe, expect, it } from 'vitest';
import { DecodeOptionError } from './errors';
import { alphaCosine, alphaLinear, alphaQuota, lladaLinearQuota, maskgitQuota, quotaFor, scheduleNames } from './schedule';

const sum = (a: Int32Array): number => a.reduce((x, y) => x + y, 0);

describe('schedules', () => {
  it('linear gives floor(M/S) each step and the remainder to the first steps (LLaDA)', () => {
    expect([...lladaLinearQuota(10, 4)]).toEqual([3, 3, 2, 2]);
    expect([...lladaLinearQuota(8, 4)]).toEqual([2, 2, 2, 2]);
  });

  it('alpha-linear unmasks the expected share of what remains: 8 over 4 steps is 2 a step', () => {
    // R=8: 1 - 0.75/1 = 1/4 -> 2; R=6: 1 - 0.5/0.75 = 1/3 -> 2; R=4: 1 - 0.25/0.5 = 1/2 -> 2; last takes 2.
    expect([...alphaQuota(8, 4, alphaLinear)]).toEqual([2, 2, 2, 2]);
  });

  it('alpha-cosine starts slow and ends fast', () => {
    // Masked fraction cos(pi/2 i/4) = 1, .924, .707, .383:
    // round(10 * .076) = 1; round(9 * (1 - .707/.924)) = round(2.11) = 2; round(7 * (1 - .383/.707)) = 3; last 4.
    expect([...alphaQuota(10, 4, alphaCosine)]).toEqual([1, 2, 3, 4]);
    expect([...quotaFor('cosine', 10, 4)]).toEqual([1, 2, 3, 4]);
  });

  it('maskgit keeps floor(N cos(pi/2 (i+1)/S)) masked after step i', () => {
    // Remaining 9, 7, 3, 0.
    expect([...maskgitQuota(10, 4)]).toEqual([1, 2, 4, 3]);
    expect([...maskgitQuota(4, 4)]).toEqual([1, 1, 1, 1]);
  });

  it('every schedule sums to the count, and linear and maskgit never give a zero step when count >= steps', () => {
    for (const name of scheduleNames) {
      for (let steps = 1; steps <= 12; steps++) {
        for (let count = 0; count <= 40; count++) {
          const q = quotaFor(name, count, steps);
          expect(q.length).toBe(steps);
          expect(sum(q)).toBe(count);
          expect(q.every((k) => k >= 0)).toBe(true);
          if ((name === 'linear' || name === 'maskgit') && count >= steps) expect(q.every((k) => k >= 1)).toBe(true);
        }
      }
    }
  });

  it('with more steps than tokens, linear and maskgit take one a step and then give zero steps', () => {
    expect([...lladaLinearQuota(2, 5)]).toEqual([1, 1, 0, 0, 0]);
    expect([...maskgitQuota(2, 5)]).toEqual([1, 1, 0, 0, 0]);
  });

  it('rejects zero steps with an error that names the option and says what to set', () => {
    expect(() => lladaLinearQuota(4, 0)).toThrow(DecodeOptionError);
    expect(() => lladaLinearQuota(4, 0)).toThrow('steps must be an integer >= 1 (got 0): set steps to 8.');
  });
});
