import { describe, expect, it } from 'vitest';
import { pairedDelta, scoreSummary } from '../src/optimize/stats';
import { stepsTable, summarize, summaryTable, type BenchRun } from './optimize-bench';

/** A run whose test rows give `initial` and `best` (0/1 per row). */
function run(method: string, seed: number, initial: number[], best: number[], extra: Partial<BenchRun> = {}): BenchRun {
  return {
    task: 'toy',
    method,
    seed,
    steps: 8,
    test: { n: initial.length, initial: scoreSummary(initial), best: scoreSummary(best), delta: pairedDelta(initial, best) },
    targetCalls: 100,
    optimizerCalls: 0,
    tokens: 24_000,
    wallSeconds: 10,
    bestPrompt: 'p',
    ...extra,
  };
}

const zeros = Array(20).fill(0);
const ones = Array(20).fill(1);
const half = [...Array(10).fill(1), ...Array(10).fill(0)];

describe('the optimize benchmark summary', () => {
  it('averages over seeds, counts the seeds whose gain is beyond the noise, and gives the initial row', () => {
    const rows = summarize([run('remask', 0, zeros, ones), run('remask', 1, half, half), run('gpo', 0, zeros, half, { optimizerCalls: 12 }), run('gpo', 1, half, half, { optimizerCalls: 8 })]);
    expect(rows.map((r) => r.method)).toEqual(['initial', 'remask', 'gpo']);
    expect(rows[0].score).toBeCloseTo(0.25, 10); // seeds 0 and 1: 0 and 0.5
    expect(rows[0].scoreSd).toBeCloseTo(Math.SQRT1_2 / 2, 10);
    expect(rows[1].score).toBeCloseTo(0.75, 10);
    expect(rows[1].delta).toBeCloseTo(0.5, 10);
    expect(rows[1].realGains).toBe(1); // seed 0's 0 -> 1 on 20 rows; seed 1 changed nothing
    expect(rows[2].optimizerCalls).toBe(10);
    const table = summaryTable(rows);
    expect(table).toContain('| toy | remask | 75.0 ± 35.4 (n = 20) | +50.0 |');
    expect(table).toContain('| 1/2 | 100 | 24.0 | 10 |');
    expect(table).toContain('| 100 + 10 |');
    // Runs recorded before tokens were: the column stays empty rather than saying 0.
    const older = summaryTable(summarize([run('remask', 0, zeros, ones, { tokens: undefined })]));
    expect(older).toContain('| 1/1 | 100 |  | 10 |');
  });

  it('lists Figure 3 by steps', () => {
    const table = stepsTable([run('remask', 0, zeros, half, { steps: 32 }), run('remask', 0, zeros, ones, { steps: 1 })]);
    expect(table.split('\n').slice(2).map((line) => line.split(' | ')[0])).toEqual(['| 1', '| 32']);
  });
});
