import { describe, expect, it } from 'vitest';
import { droppedPlaceholders, metaPrompt, placeholderRanges, retrieveTrajectory, wordEditDistance } from './gpo';

describe("GPO's pieces", () => {
  it('counts word edits as Levenshtein over words', () => {
    expect(wordEditDistance('Answer with one word.', 'Answer with one word.')).toBe(0);
    expect(wordEditDistance('Answer with one word.', 'Reply with one word.')).toBe(1); // a substitution
    expect(wordEditDistance('Answer with one word.', 'Answer with exactly one word.')).toBe(1); // an insertion
    expect(wordEditDistance('Answer  with\none word.', 'Answer with one word.')).toBe(0); // spacing is not an edit
    expect(wordEditDistance('a b c', '')).toBe(3);
    expect(wordEditDistance('kitten sitting on the mat', 'sitting kitten on a mat now')).toBe(4);
  });

  it('finds {name} and {{ name }} placeholders, and names the ones a rewrite dropped', () => {
    const text = 'Hello {user}, your order {{ order_id }} ships {date}.';
    expect(placeholderRanges(text).map(([a, b]) => text.slice(a, b))).toEqual(['{user}', '{{ order_id }}', '{date}']);
    expect(droppedPlaceholders(text, 'Hi {user}, order {{ order_id }} ships soon.')).toEqual(['{date}']);
    expect(droppedPlaceholders('{a} and {a}', 'only {a}')).toEqual(['{a}']);
    expect(droppedPlaceholders(text, `${text} Thanks!`)).toEqual([]);
    expect(placeholderRanges('A JSON object {"key": 1} is not a placeholder.')).toEqual([]);
  });

  it('retrieves the trajectory by importance, recency or relevance, best first', () => {
    const candidates = [
      { id: 0, prompt: 'classify the review', validationScore: 0.5 },
      { id: 1, prompt: 'classify the movie review carefully', validationScore: 0.8 },
      { id: 2, prompt: 'say positive or negative', validationScore: 0.6 },
      { id: 3, prompt: 'not scored', validationScore: null },
      { id: 4, prompt: 'classify the review now', validationScore: 0.7 },
    ];
    const prompts = (how: 'importance' | 'recency' | 'relevance') => retrieveTrajectory(candidates, 1, 2, how).map((p) => p.prompt);
    expect(prompts('importance')).toEqual(['classify the review now', 'say positive or negative']);
    expect(prompts('recency')).toEqual(['classify the review now', 'say positive or negative']);
    expect(retrieveTrajectory(candidates, 4, 2, 'recency').map((p) => p.prompt)).toEqual(['classify the movie review carefully', 'say positive or negative']);
    expect(prompts('relevance')).toEqual(['classify the review now', 'classify the review']);
  });

  it('writes a meta-prompt with the trajectory worst first, the failures, and the word budget', () => {
    const text = metaPrompt(
      'Decide the sentiment.',
      [
        { prompt: 'best one', score: 0.9 },
        { prompt: 'worse one', score: 0.6 },
      ],
      [
        { query: 'Great film', response: 'negative', score: 0, feedback: 'The answer "negative" is not the expected "positive".' },
        { query: 'Fine', response: 'positive', score: 1 },
      ],
      7,
    );
    expect(text.indexOf('worse one')).toBeLessThan(text.indexOf('best one'));
    expect(text).toContain('Query: Great film');
    expect(text).not.toContain('Query: Fine');
    expect(text).toContain('Change at most 7 words');
  });
});
