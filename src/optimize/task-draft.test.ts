import { describe, expect, it } from 'vitest';
import type { Target } from '../targets/target';
import { parseOptimizeConfig } from './config';
import { draftConfig, draftFromTask, firstPrompt, metricFor, readIntent, usableInstruction } from './task-draft';

/** A target that answers the intent question with `intent` and writes numbered review examples. */
function scripted(intent: string): Target {
  let n = 0;
  return {
    provider: 'openai-compatible',
    model: 'scripted',
    complete: async ({ system }) => {
      if (system.startsWith('You turn a task description')) return { text: intent, usage: { inputTokens: 1, outputTokens: 1 } };
      const lines = Array.from({ length: 10 }, () => {
        n++;
        return JSON.stringify({ input: `Review ${n}: ${n % 2 ? 'loved' : 'hated'} it`, expected: n % 2 ? 'positive' : 'negative' });
      });
      return { text: lines.join('\n'), usage: { inputTokens: 1, outputTokens: 1 } };
    },
  } as Target;
}

const task = 'classify a movie review as positive or negative';

describe('drafting a run from a task description', () => {
  it('reads the intent, or falls back to the task when the reply is off-topic or not an instruction', async () => {
    expect(await readIntent(scripted('Classify each movie review as positive or negative'), task)).toEqual({
      instruction: 'Classify each movie review as positive or negative.',
      from: 'llm',
    });
    expect(await readIntent(scripted('Result: 100% positive.'), task)).toEqual({ instruction: 'Classify a movie review as positive or negative.', from: 'task' });
    expect(await readIntent(scripted('- classify\n- reviews'), task)).toMatchObject({ from: 'task' });
    expect(usableInstruction('Sort the movie review by its tone.', task)).toBe(true);
    expect(usableInstruction('{"task": "classify movie reviews"}', task)).toBe(false);
  });

  it('chooses the metric the answers call for', () => {
    const rows = (expected: string[]) => expected.map((e, i) => ({ input: `q${i}`, expected: e }));
    expect(metricFor(rows(['12', '1,024', '3.5']))).toEqual({ metric: 'numeric', labels: null });
    expect(metricFor(rows(['Positive', 'negative', 'positive', 'negative', 'positive', 'negative']))).toEqual({ metric: 'exact', labels: ['negative', 'positive'] });
    expect(metricFor(rows(['The capital is Paris.', 'It is blue.', 'Seven days a week.']))).toEqual({ metric: 'contains', labels: null });
  });

  it('writes the first prompt in each strategy', () => {
    const shown = [{ input: 'Loved it', expected: 'positive' }];
    expect(firstPrompt('Classify the review.', 'plain', [], ['negative', 'positive'], 'exact')).toBe('Classify the review. Answer with one of: negative, positive. Reply with the answer only.');
    expect(firstPrompt('Add them.', 'step-by-step', [], null, 'numeric')).toBe('Add them. Think it through step by step, then give the number alone on the last line.');
    expect(firstPrompt('Classify the review.', 'examples', shown, ['negative', 'positive'], 'exact')).toMatch(/Reply with the answer only\.\n\nExamples:\n\nInput: Loved it\nOutput: positive$/);
  });

  it('keeps the examples a prompt shows out of the data, and writes a config the optimizer accepts', async () => {
    const draft = await draftFromTask(scripted('Classify the movie review as positive or negative.'), task, { strategy: 'examples', count: 12 });
    expect(draft.examples).toHaveLength(12);
    const shownInputs = [...draft.prompt.matchAll(/Input: (.*)/g)].map((m) => m[1]);
    expect(shownInputs).toHaveLength(3);
    for (const input of shownInputs) expect(draft.examples.map((e) => e.input)).not.toContain(input);
    expect(draft.metric).toBe('exact');
    const config = parseOptimizeConfig(draftConfig(draft, 'data.jsonl', { provider: 'openai-compatible', model: 'm', baseURL: 'http://127.0.0.1:1/v1' }));
    expect(config.prompt).toBe(draft.prompt);
    expect(config.dataset).toMatchObject({ path: 'data.jsonl', input: 'input', expected: 'expected' });
  });
});
