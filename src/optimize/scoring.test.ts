// The user's feedback on single answers (config.feedback): the Scorer gives it to that row's traces,
// and a run's proposer reads it, here GPO's optimizer LLM, whose meta-prompt shows it as the Problem.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../model/engine';
import type { ChatRequest, Target } from '../targets/target';
import { ConfigError, parseOptimizeConfig } from './config';
import { optimize } from './loop';
import { Meter } from './meter';
import { createMetric } from './metrics';
import { Scorer } from './scoring';

const fixture = fileURLToPath(new URL('../../test/fixtures/tiny-model', import.meta.url));
const rows = [
  { input: 'I loved this film.', expected: 'positive' },
  { input: 'Terrible and boring.', expected: 'negative' },
  { input: 'A moving story.', expected: 'positive' },
];

/** A target right on every row but the second, where it answers "maybe"; it keeps the system prompts it read. */
function unsure(): Target & { systems: string[] } {
  const systems: string[] = [];
  return {
    provider: 'openai-compatible',
    model: 'scripted',
    systems,
    async complete({ system, user }: ChatRequest) {
      systems.push(system ?? '');
      // GPO's optimizer LLM: the part it was given, one word changed.
      const text = system?.startsWith('You improve one part') ? user.replace('Answer', 'Reply') : user === rows[1].input ? 'maybe' : rows.find((r) => r.input === user)!.expected;
      return { text, usage: { inputTokens: 1, outputTokens: 1 } };
    },
  };
}

const scorer = (target: Target, feedback: Record<string, string> = {}) => new Scorer(target, createMetric('exact'), new Meter({}), rows, 1, undefined, feedback);

describe("the user's feedback on single answers", () => {
  it("becomes that row's trace feedback, whatever the prompt, and only that row's", async () => {
    const s = scorer(unsure(), { '1': ' It is clearly negative: say so. ', '2': '   ' });
    for (const prompt of ['Classify the review.', 'Say positive or negative.']) {
      const { traces } = await s.evaluate(prompt, [0, 1, 2]);
      // The user's words first, then the metric's.
      expect(traces.map((t) => t.feedback)).toEqual([undefined, 'It is clearly negative: say so. The answer "maybe" is not the expected "negative".', undefined]);
    }
    // It is the user's, not the target's answer: the saved answers do not keep it.
    expect(s.saved().answers.filter((a) => a.feedback?.includes('clearly'))).toEqual([]);
  });

  it('names a row the dataset does not have', () => {
    expect(() => scorer(unsure(), { '3': 'Too long.' })).toThrow(ConfigError);
    expect(() => scorer(unsure(), { '3': 'Too long.' })).toThrow(/config\.feedback names row 3, but the dataset has 3 rows/);
  });

  it('is a map from row index to words in the run config', () => {
    const config = { prompt: 'Classify.', dataset: { rows }, metric: 'exact', target: { provider: 'openai-compatible', model: 'm' } } as const;
    expect(parseOptimizeConfig(config).feedback).toEqual({});
    expect(parseOptimizeConfig({ ...config, feedback: { 2: 'Shorter.' } }).feedback).toEqual({ 2: 'Shorter.' });
    expect(() => parseOptimizeConfig({ ...config, feedback: { first: 'Shorter.' } })).toThrow('config.feedback: each key is a row index (0, 1, 2, ...).');
  });

  describe('in a run', () => {
    let engine: Engine;
    beforeAll(async () => {
      engine = await Engine.load({ model: fixture, quantization: 'fp32', backend: 'wasm' });
    });
    afterAll(() => engine.dispose());

    const config = (feedback: Record<string, string>) =>
      parseOptimizeConfig({
        prompt: 'Classify the review. Answer with one word.',
        dataset: { rows },
        metric: 'exact',
        target: { provider: 'openai-compatible', model: 'scripted' },
        dlm: { quant: 'fp32', steps: 2 },
        search: { proposer: 'gpo', iterations: 2, candidates: 1, minibatch: 3, seed: 0 },
        feedback,
      });

    it('reaches the proposer in the next iteration: a stopped run resumed with the words the user wrote', async () => {
      const first = unsure();
      const stop = new AbortController();
      const stopped = await optimize({
        config: config({}),
        examples: rows,
        engine,
        target: first,
        signal: stop.signal,
        onEvent: (e) => e.type === 'checkpoint' && stop.abort(),
      });
      expect(stopped.iterations).toHaveLength(1);
      expect(first.systems.some((s) => s.startsWith('You improve one part'))).toBe(true);
      expect(first.systems.filter((s) => s.includes('Reviews this harsh'))).toEqual([]);

      // Resumed with the user's words on row 1's answer: only the feedback (and the budget) may change.
      const next = unsure();
      const resumed = await optimize({ config: config({ '1': 'Reviews this harsh are negative.' }), examples: rows, engine, target: next, previous: stopped });
      expect(resumed.iterations).toHaveLength(2);
      const meta = next.systems.find((s) => s.startsWith('You improve one part'));
      expect(meta).toContain('Query: Terrible and boring.\nReply: maybe\nProblem: Reviews this harsh are negative. The answer');
    });
  });
});
