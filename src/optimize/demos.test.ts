import { describe, expect, it } from 'vitest';
import { demoPool, drawDemos, withDemos } from './demos';

const trace = (query: string, response: string, score: number) => ({ query, response, score });

describe('demonstrations', () => {
  it('lay out after the instructions as the questions are asked, and leave the prompt as it is without any', () => {
    expect(withDemos('Classify.', [])).toBe('Classify.');
    expect(withDemos('Classify.', [{ row: 3, input: ' Great! ', output: 'positive\n' }, { row: 7, input: 'Awful.', output: 'negative' }])).toBe(
      'Classify.\n\nExamples:\n\nInput: Great!\nOutput: positive\n\nInput: Awful.\nOutput: negative',
    );
  });

  it('come only from answers with full marks, each row once', () => {
    const pool = demoPool([4, 9, 4, 2, 5], [trace('a', 'x', 1), trace('b', 'y', 0.5), trace('a', 'x', 1), trace('c', '', 1), trace('d', 'z', 0)]);
    expect(pool).toEqual([{ row: 4, input: 'a', output: 'x' }]);
  });

  it('are drawn at most k, in row order, the same for the same seed and path', () => {
    const pool = [5, 1, 8, 3, 6].map((row) => ({ row, input: `q${row}`, output: `a${row}` }));
    const drawn = drawDemos(pool, 3, 7, [2, 1]);
    expect(drawn).toHaveLength(3);
    expect(drawn.map((d) => d.row)).toEqual([...drawn.map((d) => d.row)].sort((a, b) => a - b));
    expect(drawDemos(pool, 3, 7, [2, 1])).toEqual(drawn);
    expect(new Set([0, 1, 2, 3, 4, 5, 6, 7].map((i) => drawDemos(pool, 3, 7, [2, i]).map((d) => d.row).join()))).not.toEqual(new Set([drawn.map((d) => d.row).join()]));
    expect(drawDemos(pool, 9, 7, [1])).toHaveLength(5);
    expect(drawDemos([], 3, 7, [1])).toEqual([]);
    expect(drawDemos(pool, 0, 7, [1])).toEqual([]);
  });
});
