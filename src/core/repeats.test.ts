import { describe, expect, it } from 'vitest';
import { countRepeats, isAmong, MAX_GAP, MAX_PERIOD, MAX_REPEATED, repeatedTokens } from './repeats';

const repeated = (view: number[], p: number) => {
  const out = new Int32Array(MAX_REPEATED);
  return [...new Set(out.subarray(0, repeatedTokens(view, p, out)))].sort((a, b) => a - b);
};

describe('repeatedTokens', () => {
  it('bans the tokens beside a position, ignoring masked ones', () => {
    expect(repeated([10, 11, -1, 12, 13], 2)).toEqual([11, 12]);
    expect(repeated([10, -1, -1, 12, 13], 2)).toEqual([12]);
    expect(repeated([-1, 5], 0)).toEqual([5]);
  });

  it('bans the token that would say a phrase twice in a row, from either side of it', () => {
    const [THE, USE, OF, A] = [1, 2, 3, 4];
    // "the use of the use [?]": "of" would repeat "the use of".
    expect(repeated([THE, USE, OF, THE, USE, -1], 5)).toContain(OF);
    // "the use of [?] use of": "the".
    expect(repeated([THE, USE, OF, -1, USE, OF], 3)).toContain(THE);
    // "[?] use of the use of": "the", the first copy completed from the second.
    expect(repeated([-1, USE, OF, THE, USE, OF], 0)).toContain(THE);
    // With one token between the copies: "the use of a the use [?]".
    expect(repeated([THE, USE, OF, A, THE, USE, -1], 6)).toContain(OF);
    // A phrase said again further on, or only in part, is no repeat: only the neighbours are banned.
    expect(repeated([THE, USE, OF, A, OF, THE, USE, -1], 7)).toEqual([USE]);
    expect(repeated([THE, USE, OF, A, OF, THE, -1], 6)).toEqual([THE]);
    // "a, [?] and": the token two back is fine ("a, a and"), unless the phrase goes on ("a, a,").
    expect(repeated([A, OF, -1, THE], 2)).toEqual([OF, THE].sort());
    expect(repeated([A, OF, -1, OF], 2)).toEqual([OF, A].sort());
  });

  it('looks at phrases up to MAX_PERIOD tokens, up to MAX_GAP apart, and not at the position itself', () => {
    const phrase = (k: number) => Array.from({ length: k }, (_, i) => 10 + i);
    const fill = (k: number, gap: number) => {
      const view = [...phrase(k), ...Array<number>(gap).fill(99), ...phrase(k)];
      view[view.length - 1] = -1;
      return repeated(view, view.length - 1).includes(10 + k - 1);
    };
    expect(fill(MAX_PERIOD, 0)).toBe(true);
    expect(fill(MAX_PERIOD, MAX_GAP)).toBe(true);
    expect(fill(MAX_PERIOD, MAX_GAP + 1)).toBe(false);
    // MAX_PERIOD + 1 tokens said twice hold MAX_PERIOD said twice one apart: the first length out of reach is this.
    expect(fill(MAX_PERIOD + MAX_GAP + 1, 0)).toBe(false);
    expect(fill(2, 1)).toBe(true);
    expect(fill(1, 1)).toBe(false); // a single token two apart: "a, b, a" is fine
    // The candidate's own token may be in the view (mayRepeat writes it there): same answer as masked.
    for (const own of [-1, 1, 2, 3]) expect(repeated([1, 2, 3, 1, own, 3], 4)).toEqual([1, 2, 3]);
  });

  it('countRepeats counts the positions whose token the guard would have banned, in the finished text', () => {
    // "x the use of the use of y": the second "the use of" (positions 4-6) says a phrase again, and so,
    // read from the other side, does the first (1-3); "x" and "y" do not.
    const text = [9, 1, 2, 3, 1, 2, 3, 8];
    expect(countRepeats(text, [0, 1, 2, 3, 4, 5, 6, 7])).toBe(6);
    expect(countRepeats(text, [4, 5, 6])).toBe(3);
    expect(countRepeats([9, 1, 2, 3, 8], [1, 2, 3])).toBe(0);
  });

  it('isAmong looks only at the first count tokens', () => {
    expect(isAmong(3, Int32Array.of(1, 3), 2)).toBe(true);
    expect(isAmong(3, Int32Array.of(1, 3), 1)).toBe(false);
  });
});
