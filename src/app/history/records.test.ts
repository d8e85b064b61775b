import { describe, expect, it } from 'vitest';
import { compareLabel, type RunRecord } from './records';

const run = (target: RunRecord['config']['target'], result: Partial<NonNullable<RunRecord['result']>> | null): RunRecord =>
  ({
    kind: 'optimize',
    id: 'r',
    title: 'You classify reviews…',
    createdAt: 1,
    updatedAt: 2,
    status: 'finished',
    config: { prompt: 'p', dataset: { rows: [] }, metric: 'exact', target },
    model: 'm',
    initial: { id: 0, prompt: 'p', score: 0.5, metric: 0.5 },
    result: result as RunRecord['result'],
    live: [],
    error: null,
  }) as RunRecord;

describe('a run as a comparison names it', () => {
  it('names the target, the iterations and the best scores, the test one where the run held rows out', () => {
    const test = { n: 150, initial: { score: 0.83, ci95: [0.76, 0.88] }, best: { score: 0.91, ci95: [0.85, 0.94] }, delta: { mean: 0.08, ci95: [0.01, 0.13] } };
    const withTest = run({ provider: 'openai-compatible', model: 'gemma-3-270m', baseURL: 'http://127.0.0.1:8090/v1' }, { best: { id: 4, prompt: 'q', score: 0.9, metric: 0.9 }, iterations: [{}, {}] as never, test: test as never });
    expect(compareLabel(withTest)).toBe('You classify reviews… · gemma-3-270m · 2 iterations · best: validation 0.900, test 91.0%');
    const local = run({ provider: 'local-mlm', labels: ['positive', 'negative'] }, null);
    expect(compareLabel(local)).toBe('You classify reviews… · the page model · 0 iterations · best: validation 0.500');
  });
});
