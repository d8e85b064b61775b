// The optimize benchmark's arithmetic and its table: per task and method, the test score over seeds, the
// gain over the initial prompt with its interval, and what it cost. Pure, so it is tested apart from the
// runs (bench/optimize.ts makes those against the local LLM).
import type { Proposer } from '../src/optimize/config';
import type { TestReport } from '../src/optimize/result';
import { isRealGain, percent, signedPoints } from '../src/optimize/stats';

/** The benchmark's methods: the optimizer's search settings under the names the table uses. */
export const benchMethods: Record<string, { proposer: Proposer; demos?: number }> = {
  remask: { proposer: 'dlm' },
  'remask+demos': { proposer: 'dlm', demos: 4 },
  'dlm-no-context': { proposer: 'dlm-blind' },
  'random-edits': { proposer: 'random' },
  gpo: { proposer: 'gpo' },
  hybrid: { proposer: 'hybrid' },
};

export interface BenchRun {
  task: string;
  method: string;
  seed: number;
  /** Diffusion steps per rewrite. */
  steps: number;
  test: TestReport;
  targetCalls: number;
  /** Calls to the optimizer LLM (GPO's), within the same budget. */
  optimizerCalls: number;
  /** Prompt and answer tokens of both LLMs, the target's and the optimizer's (absent in runs made before it was recorded). */
  tokens?: number;
  wallSeconds: number;
  bestPrompt: string;
}

export interface BenchSummary {
  task: string;
  method: string;
  seeds: number;
  testRows: number;
  /** Mean over seeds of the test score, and the spread (sample standard deviation, 0 for one seed). */
  score: number;
  scoreSd: number;
  /** Best minus initial on test: mean over seeds, and each seed's 95% interval. */
  delta: number;
  deltaIntervals: Array<[number, number]>;
  /** Seeds whose delta interval lies wholly above 0. */
  realGains: number;
  targetCalls: number;
  optimizerCalls: number;
  /** NaN when the runs did not record it. */
  tokens: number;
  wallSeconds: number;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const sd = (xs: readonly number[]) => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1)));

/** One row per (task, method), plus the initial prompt's row per task (read from the same runs' test). */
export function summarize(runs: readonly BenchRun[]): BenchSummary[] {
  const rows: BenchSummary[] = [];
  const tasks = [...new Set(runs.map((r) => r.task))];
  for (const task of tasks) {
    const ofTask = runs.filter((r) => r.task === task);
    // The initial prompt's score per seed: the same rows and prompt in every method of that seed.
    const initialBySeed = new Map(ofTask.map((r) => [r.seed, r.test.initial.score]));
    const initial = [...initialBySeed.values()];
    rows.push({ task, method: 'initial', seeds: initial.length, testRows: ofTask[0].test.n, score: mean(initial), scoreSd: sd(initial), delta: 0, deltaIntervals: [], realGains: 0, targetCalls: 0, optimizerCalls: 0, tokens: 0, wallSeconds: 0 });
    for (const method of [...new Set(ofTask.map((r) => r.method))]) {
      const own = ofTask.filter((r) => r.method === method);
      const scores = own.map((r) => r.test.best.score);
      rows.push({
        task,
        method,
        seeds: own.length,
        testRows: own[0].test.n,
        score: mean(scores),
        scoreSd: sd(scores),
        delta: mean(own.map((r) => r.test.delta.mean)),
        deltaIntervals: own.map((r) => r.test.delta.ci95),
        realGains: own.filter((r) => isRealGain(r.test.delta)).length,
        targetCalls: mean(own.map((r) => r.targetCalls)),
        optimizerCalls: mean(own.map((r) => r.optimizerCalls)),
        tokens: mean(own.map((r) => r.tokens ?? NaN)),
        wallSeconds: mean(own.map((r) => r.wallSeconds)),
      });
    }
  }
  return rows;
}


/** A Markdown table, as the README shows it. */
export function summaryTable(rows: readonly BenchSummary[]): string {
  const lines = [
    '| task | method | test score, % (mean ± sd over seeds) | best − initial, points | 95% interval per seed | seeds with a real gain | target + optimizer calls | tokens, thousands | wall, s |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const initial = r.method === 'initial';
    lines.push(
      [
        r.task,
        r.method,
        `${percent(r.score)} ± ${percent(r.scoreSd)} (n = ${r.testRows})`,
        initial ? '' : signedPoints(r.delta),
        initial ? '' : r.deltaIntervals.map(([lo, hi]) => `[${signedPoints(lo)}, ${signedPoints(hi)}]`).join(' '),
        initial ? '' : `${r.realGains}/${r.seeds}`,
        initial ? '' : r.optimizerCalls > 0 ? `${r.targetCalls.toFixed(0)} + ${r.optimizerCalls.toFixed(0)}` : r.targetCalls.toFixed(0),
        initial || Number.isNaN(r.tokens) ? '' : (r.tokens / 1000).toFixed(1),
        initial ? '' : r.wallSeconds.toFixed(0),
      ].join(' | ').replace(/^/, '| ').replace(/$/, ' |'),
    );
  }
  return lines.join('\n');
}

/** The paper's Figure 3 on our stack: test score of the best prompt against diffusion steps. */
export function stepsTable(runs: readonly BenchRun[]): string {
  const lines = ['| steps | test score, % | best − initial, points | 95% interval |', '| --- | --- | --- | --- |'];
  for (const r of [...runs].sort((a, b) => a.steps - b.steps)) {
    lines.push(`| ${r.steps} | ${percent(r.test.best.score)} | ${signedPoints(r.test.delta.mean)} | [${signedPoints(r.test.delta.ci95[0])}, ${signedPoints(r.test.delta.ci95[1])}] |`);
  }
  return lines.join('\n');
}
