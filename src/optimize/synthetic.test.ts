// Synthetic data: well-formed distinct examples from whatever the target writes, and a bounded loop.
import { describe, expect, it } from 'vitest';
import type { Target } from '../targets/target';
import { parseExampleLines, synthesizeExamples } from './synthetic';

function scripted(answers: string[]): Target & { calls: number } {
  const target = {
    provider: 'test',
    model: 'scripted',
    calls: 0,
    async complete() {
      return { text: answers[Math.min(target.calls++, answers.length - 1)], usage: { inputTokens: 1, outputTokens: 1 } };
    },
  };
  return target;
}

describe('synthetic examples', () => {
  it('keeps only JSON lines with a string input and expected answer', () => {
    const text = ['Here you go:', '{"input": "2+2", "expected": "4"},', '```', '{"input": "x"}', '{broken', '{"input": "3+3", "expected": "6"}'].join('\n');
    expect(parseExampleLines(text)).toEqual([
      { input: '2+2', expected: '4' },
      { input: '3+3', expected: '6' },
    ]);
  });

  it('asks again until it has enough distinct examples', async () => {
    const target = scripted(['{"input": "a", "expected": "1"}\n{"input": "b", "expected": "2"}', '{"input": "a", "expected": "1"}\n{"input": "c", "expected": "3"}']);
    const examples = await synthesizeExamples(target, 'letters to numbers', 3);
    expect(examples.map((e) => e.input)).toEqual(['a', 'b', 'c']);
    expect(target.calls).toBe(2);
  });

  it('gives up after a few calls that add nothing, instead of looping', async () => {
    const target = scripted(['{"input": "a", "expected": "1"}']);
    const examples = await synthesizeExamples(target, 'letters', 5);
    expect(examples).toHaveLength(1);
    expect(target.calls).toBe(4);
  });

  it('says what to do when the model writes nothing usable', async () => {
    await expect(synthesizeExamples(scripted(['I cannot help with that.']), 'anything', 2)).rejects.toThrow(/no usable examples/);
  });
});
