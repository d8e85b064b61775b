import { describe, expect, it } from 'vitest';
import { DatasetError, type Example } from './dataset';
import { defaultSplit, minRowsPerHeldOutPart, splitRows } from './split';

const rows = (n: number, split?: (i: number) => string): Example[] =>
  Array.from({ length: n }, (_, i) => ({ input: `q${i}`, expected: 'a', ...(split ? { split: split(i) } : {}) }));

describe('splitting the rows', () => {
  it('makes disjoint parts that cover every row, in the shares asked, the same for the same seed', () => {
    const { split, warning } = splitRows(rows(100), defaultSplit, 7);
    expect(warning).toBeUndefined();
    expect([split.train.length, split.validation.length, split.test.length]).toEqual([50, 25, 25]);
    const all = [...split.train, ...split.validation, ...split.test];
    expect(new Set(all).size).toBe(100);
    expect(Math.min(...all)).toBe(0);
    expect(Math.max(...all)).toBe(99);
    expect(splitRows(rows(100), defaultSplit, 7).split).toEqual(split);
    expect(splitRows(rows(100), defaultSplit, 8).split.test).not.toEqual(split.test);
    // Not the first or last rows in order: a file sorted by label must not put one label in test.
    expect(split.test).not.toEqual(Array.from({ length: 25 }, (_, i) => 75 + i));
  });

  it('takes each row part from a named column, and names a row with a bad value', () => {
    const parts = ['train', 'train', 'validation', 'test'];
    const { split } = splitRows(rows(60, (i) => parts[i % 4]), 'split', 0);
    expect(split.validation).toEqual(Array.from({ length: 15 }, (_, i) => 4 * i + 2));
    expect(split.test).toEqual(Array.from({ length: 15 }, (_, i) => 4 * i + 3));
    expect(split.train).toHaveLength(30);
    expect(() => splitRows(rows(3, (i) => ['train', 'dev', 'test'][i]), 'split', 0)).toThrow(DatasetError);
    expect(() => splitRows(rows(3, (i) => ['train', 'dev', 'test'][i]), 'split', 0)).toThrow(/Row 2 has "dev"/);
    expect(() => splitRows(rows(3), 'part', 0)).toThrow(/row 1 has no value/);
  });

  it('runs on every row, and says why, when the rows are too few to split', () => {
    const small = splitRows(rows(24), defaultSplit, 0);
    const all = Array.from({ length: 24 }, (_, i) => i);
    expect(small.split).toEqual({ train: all, validation: all, test: all });
    expect(small.warning).toMatch(new RegExp(`validation has 6 and test has 6 of the ${minRowsPerHeldOutPart} rows needed`));
    expect(small.warning).toMatch(/overstates/);
    expect(splitRows(rows(40), defaultSplit, 0).warning).toBeUndefined();
  });
});
