import { describe, expect, it } from 'vitest';
import { parseOptimizeConfig } from '../../optimize/config';
import type { OptimizeResult } from '../../optimize/result';
import { sameRows, trainAnswers } from './answers';

const rows = ['a', 'b', 'c', 'd'].map((input) => ({ input, expected: input.toUpperCase() }));
const config = parseOptimizeConfig({ prompt: 'Best.', dataset: { rows }, metric: 'exact', target: { provider: 'openai-compatible', model: 'm' } });

/** A result whose best prompt "Best." answered rows 0 to 3, the original answered row 1; train is rows 1 to 3. */
const result = {
  best: { id: 2, prompt: 'Best.', score: 0.5, metric: 0.5 },
  split: { train: [1, 2, 3], validation: [0], test: [0] },
  answers: {
    prompts: ['Original.', 'Best.'],
    answers: [
      { prompt: 0, row: 1, response: 'x', score: 0 },
      { prompt: 1, row: 0, response: 'A', score: 1 },
      { prompt: 1, row: 3, response: 'D', score: 1 },
      { prompt: 1, row: 2, response: 'no', score: 0 },
      { prompt: 1, row: 1, response: 'B', score: 1 },
    ],
  },
  config,
} as unknown as OptimizeResult;

describe('the answers a user can give feedback on', () => {
  it('are the best prompt’s answers on train rows, worst first, then by row', () => {
    expect(trainAnswers(result)).toEqual([
      { row: 2, input: 'c', expected: 'C', response: 'no', score: 0 },
      { row: 1, input: 'b', expected: 'B', response: 'B', score: 1 },
      { row: 3, input: 'd', expected: 'D', response: 'D', score: 1 },
    ]);
  });

  it('are open to feedback only while the form holds the same rows in the same order', () => {
    expect(sameRows(rows, rows.map((r) => ({ ...r })))).toBe(true);
    expect(sameRows(rows, [...rows].reverse())).toBe(false);
    expect(sameRows(rows, rows.slice(1))).toBe(false);
  });
});
