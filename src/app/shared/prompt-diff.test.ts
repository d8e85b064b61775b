import { describe, expect, it } from 'vitest';
import { promptDiff } from './prompt-diff';

const join = (parts: { text: string }[]) => parts.map((p) => p.text).join('');

describe('the prompt diff', () => {
  it('shows each side as its own text, spaces and line breaks included', () => {
    const before = 'The customer is unhappy. Answer with one word.';
    const after = 'The customer is unhappy.\nReply with one word.';
    const sides = promptDiff(before, after);
    expect(join(sides.before)).toBe(before);
    expect(join(sides.after)).toBe(after);
    expect(sides.before.filter((p) => p.change === 'removed').map((p) => p.text).join('|')).toContain('Answer');
    expect(sides.after.filter((p) => p.change === 'added').map((p) => p.text).join('|')).toContain('Reply');
    expect(sides.changedWords).toBe(2); // Answer out, Reply in; the line break is no word
  });

  it('counts no change for the same text', () => {
    expect(promptDiff('Same text.', 'Same text.').changedWords).toBe(0);
  });
});
