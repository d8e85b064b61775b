import { describe, expect, it } from 'vitest';
import type { Target } from '../targets/target';
import { reflect, reflectionPrompt } from './reflect';

function fakeOptimizer(reply: string): Target & { systems: string[] } {
  const systems: string[] = [];
  return { provider: 'openai-compatible', model: 'fake', systems, complete: async ({ system }) => (systems.push(system), { text: reply, usage: { inputTokens: 1, outputTokens: 1 } }) } as Target & { systems: string[] };
}

const traces = [
  { query: 'Great film!', response: 'positive', score: 1 },
  { query: 'Dull.', response: 'The review is negative.', score: 0, feedback: 'Too long.' },
  { query: 'Meh.', response: 'neutral', score: 0.5 },
];

describe('reflect', () => {
  it('shows the optimizer the prompt and the failures only, and gives its reply to the worst trace once', async () => {
    const optimizer = fakeOptimizer('  Say the label\n only. ');
    const { traces: out, reflection } = await reflect(optimizer, 'Classify the review.', traces);
    expect(reflection).toBe('Say the label only.');
    expect(out[1].feedback).toBe('Too long. Say the label only.');
    expect(out[0]).toEqual(traces[0]);
    expect(out[2]).toEqual(traces[2]);
    expect(optimizer.systems).toHaveLength(1);
    expect(optimizer.systems[0]).toContain('Instructions: Classify the review.');
    expect(optimizer.systems[0]).toContain('Query: Dull.');
    expect(optimizer.systems[0]).toContain('Query: Meh.');
    expect(optimizer.systems[0]).not.toContain('Great film!');
  });

  it('makes no call when nothing failed, and ignores an empty reply', async () => {
    const optimizer = fakeOptimizer('whatever');
    expect(await reflect(optimizer, 'p', [traces[0]])).toEqual({ traces: [traces[0]], reflection: null });
    expect(optimizer.systems).toHaveLength(0);
    expect((await reflect(fakeOptimizer('  '), 'p', traces)).reflection).toBeNull();
  });

  it('cuts a long prompt and shows at most four failures', () => {
    const many = Array.from({ length: 9 }, (_, i) => ({ query: `q${i}`, response: 'r', score: 0 }));
    const text = reflectionPrompt('word '.repeat(1000), many);
    expect(text).toContain('…');
    expect(text.match(/Query: /g)).toHaveLength(4);
  });
});
