// The word diff of two prompts, as each side shows it. Whitespace counts as a token of its own
// (diffWordsWithSpace), so each side is its own text exactly: a plain word diff takes the unchanged
// parts from the second text, and the Original side then showed the rewrite's spaces and line breaks.
import { diffWordsWithSpace } from 'diff';

export interface DiffPart {
  text: string;
  /** removed (only on the before side), added (only on the after side), or kept. */
  change: 'removed' | 'added' | 'kept';
}

export interface PromptDiffSides {
  before: DiffPart[];
  after: DiffPart[];
  /** Words removed or added (whitespace alone is not a word). */
  changedWords: number;
}

const wordsIn = (text: string) => text.split(/\s+/).filter(Boolean).length;

export function promptDiff(before: string, after: string): PromptDiffSides {
  const parts = diffWordsWithSpace(before, after);
  return {
    before: parts.filter((p) => !p.added).map((p) => ({ text: p.value, change: p.removed ? 'removed' : 'kept' })),
    after: parts.filter((p) => !p.removed).map((p) => ({ text: p.value, change: p.added ? 'added' : 'kept' })),
    changedWords: parts.filter((p) => p.added || p.removed).reduce((n, p) => n + wordsIn(p.value), 0),
  };
}
