import { describe, expect, it } from 'vitest';
import { OptionError } from '../core/errors';
import type { ChatRequest, Target } from '../targets/target';
import { parseOptimizeConfig } from './config';
import { createMetric, JudgeAnswerError, lastNumber, parseJudgeAnswer } from './metrics';

const score = (config: Parameters<typeof createMetric>[0], output: string, expected: string) =>
  createMetric(config).score(output, expected, 'the input');

/** A judge that always answers `reply` and remembers what it was asked. */
function fakeJudge(reply: string) {
  const asked: ChatRequest[] = [];
  const target: Target = {
    provider: 'openai-compatible',
    model: 'judge',
    async complete(request) {
      asked.push(request);
      return { text: reply, usage: { inputTokens: 0, outputTokens: 0 } };
    },
  };
  return { asked, target };
}

describe('rule metrics', () => {
  it('exact ignores case and surrounding or repeated whitespace, and nothing else', async () => {
    expect((await score('exact', '  Paris \n', 'paris')).score).toBe(1);
    expect((await score('exact', 'New   York', 'new york')).score).toBe(1);
    const miss = await score('exact', 'Paris.', 'Paris');
    expect(miss.score).toBe(0);
    expect(miss.feedback).toBe('The answer "Paris." is not the expected "Paris".');
  });

  it('contains finds the normalized expected text anywhere in the output', async () => {
    expect((await score('contains', 'The capital is PARIS, of course.', 'paris')).score).toBe(1);
    expect((await score('contains', 'The capital is Lyon.', 'Paris')).score).toBe(0);
  });

  it('regex without a group tests the output', async () => {
    expect((await score({ regex: '^\\d+$' }, '42', 'ignored')).score).toBe(1);
    expect((await score({ regex: '^\\d+$' }, 'forty-two', 'ignored'))).toEqual({ score: 0, feedback: 'The answer does not match /^\\d+$/.' });
  });

  it('regex with a group compares the first group to the expected answer', async () => {
    const metric = { regex: 'Answer:\\s*(\\w+)' };
    expect((await score(metric, 'Reasoning... Answer: B', 'b')).score).toBe(1);
    expect((await score(metric, 'Answer: C', 'B')).feedback).toBe('The answer gives "C" where "B" was expected.');
  });

  it('regex refuses a bad pattern at creation, naming metric.regex', () => {
    expect(() => createMetric({ regex: '(unclosed' })).toThrow(OptionError);
    expect(() => createMetric({ regex: '(unclosed' })).toThrow(/^metric\.regex "\(unclosed" is not a valid regular expression/);
  });

  it('numeric compares the last number in the output within a relative 1e-6', async () => {
    expect((await score('numeric', 'So 3 + 4 = 7.', '7')).score).toBe(1);
    expect((await score('numeric', 'The total is $1,234.50', '1234.5')).score).toBe(1);
    expect((await score('numeric', 'about 0.30000000000000004', '0.3')).score).toBe(1);
    expect((await score('numeric', '1000001', '1000000')).score).toBe(1);
    expect((await score('numeric', '1001', '1000')).feedback).toBe("The answer's last number is 1001; 1000 was expected.");
    expect((await score('numeric', 'I do not know', '5')).feedback).toBe('The answer has no number; 5 was expected.');
  });

  it('numeric says so when the expected answer has no number', async () => {
    await expect(score('numeric', '5', 'five')).rejects.toThrow(/needs a number as the expected answer, got "five"/);
  });

  it('lastNumber reads signs, decimals, thousands commas and exponents, and skips hyphens', () => {
    expect(lastNumber('x = -4')).toBe(-4);
    expect(lastNumber('#### 1,234,567')).toBe(1234567);
    expect(lastNumber('speed 3e8 m/s')).toBe(3e8);
    expect(lastNumber('pages 10-20')).toBe(20);
    expect(lastNumber('a list: 1,2,3')).toBe(3);
    expect(lastNumber('answer: .5.')).toBe(0.5);
    expect(lastNumber('none here')).toBeUndefined();
  });

  it('refuses an unknown metric, listing the choices', () => {
    expect(() => createMetric('fuzzy' as 'exact')).toThrow(/Unknown metric "fuzzy": use "exact", "contains", "numeric"/);
  });
});

describe('judge metric', () => {
  it('asks the judge with the rubric, input, expected and output, and returns score/10 with its feedback', async () => {
    const { asked, target } = fakeJudge('SCORE: 7\nFEEDBACK: Correct but it forgets the unit.');
    const metric = createMetric({ judge: { rubric: 'Gives the right number with its unit.' } }, target);
    expect(metric.name).toBe('judge');
    const signal = new AbortController().signal;
    expect(await metric.score('42', '42 km', 'How far is it?', signal)).toEqual({ score: 0.7, feedback: 'Correct but it forgets the unit.' });
    expect(asked[0].system).toContain('SCORE:');
    expect(asked[0].user).toContain('Gives the right number with its unit.');
    expect(asked[0].user).toContain('<input>\nHow far is it?\n</input>');
    expect(asked[0].user).toContain('<reference_answer>\n42 km\n</reference_answer>');
    expect(asked[0].user).toContain('<answer_to_grade>\n42\n</answer_to_grade>');
    expect(asked[0].temperature).toBe(0);
    expect(asked[0].signal).toBe(signal);
  });

  it('asks at the temperature a run config sets for the judge (reasoning models take only 1)', async () => {
    const { asked, target } = fakeJudge('SCORE: 9');
    const config = parseOptimizeConfig({ prompt: 'p', dataset: { rows: [{ input: 'a', expected: 'b' }] }, metric: { judge: { rubric: 'Is right.', temperature: 1 } }, target: { provider: 'openai', model: 'o3' } });
    await createMetric(config.metric, target).score('b', 'b', 'a');
    expect(asked[0].temperature).toBe(1);
    expect(() => parseOptimizeConfig({ ...config, metric: { judge: { rubric: 'Is right.', temperature: 3 } } })).toThrow(/temperature/);
  });

  it('reads the score from markdown, fractions and decimals, clamped to [0, 1]', () => {
    expect(parseJudgeAnswer('**SCORE:** 8\n**FEEDBACK:** Clear and complete.')).toEqual({ score: 0.8, feedback: 'Clear and complete.' });
    expect(parseJudgeAnswer('Score = 7.5/10. Mostly right.')).toEqual({ score: 0.75, feedback: 'Mostly right.' });
    expect(parseJudgeAnswer('score: 4/5').score).toBe(0.8);
    expect(parseJudgeAnswer('SCORE: 12').score).toBe(1);
    expect(parseJudgeAnswer('I would give it 3/10. The answer ignores the question.')).toEqual({
      score: 0.3,
      feedback: 'The answer ignores the question.',
    });
  });

  it('takes the last score when the judge restates it', () => {
    expect(parseJudgeAnswer('At first I thought SCORE: 9, but on reflection\nSCORE: 5\nFEEDBACK: Half right.').score).toBe(0.5);
  });

  it('falls back to the first sentence when there is no FEEDBACK line', () => {
    expect(parseJudgeAnswer('SCORE: 6\nThe answer is right. It is too long.')).toEqual({ score: 0.6, feedback: 'The answer is right.' });
    expect(parseJudgeAnswer('SCORE: 10')).toEqual({ score: 1 });
  });

  it('throws JudgeAnswerError when the judge gives no score', async () => {
    const { target } = fakeJudge('This answer looks fine to me.');
    const metric = createMetric({ judge: { rubric: 'Is polite.' } }, target);
    await expect(metric.score('hi', 'hello', 'greet')).rejects.toThrow(JudgeAnswerError);
    await expect(metric.score('hi', 'hello', 'greet')).rejects.toThrow(/without a "SCORE: n" line/);
  });

  it('needs a rubric and a judge target', () => {
    const { target } = fakeJudge('SCORE: 1');
    expect(() => createMetric({ judge: { rubric: ' ' } }, target)).toThrow(/^metric\.judge\.rubric is empty/);
    expect(() => createMetric({ judge: { rubric: 'Is polite.' } })).toThrow(/needs a judge target/);
  });
});
