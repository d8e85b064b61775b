// What the repeat guard (DecodeOptions.avoidRepeats) calls a repeat: a phrase of 1 to MAX_PERIOD tokens
// written twice in a row ("a file file", "the use of the use of"), or a phrase of two or more twice with
// up to MAX_GAP tokens between ("the use of a the use of"). A masked-diffusion model fills neighbouring
// masks from near-identical marginals, so a parallel decoder writes such stutters and loops; real text
// rarely does. On 400 held-out instruction spans 0.5% of the original tokens are part of one (0.3% a
// token written twice); allowing two tokens between the copies would make it 1.0%, and banning any
// two-token phrase seen again within 16 tokens 8.6% ("of the" and ", and" recur within a sentence).
// `npm run eval:infill` reports the original spans' own rate beside each model's.

/** The longest phrase, in tokens, whose repetition counts as a repeat. */
export const MAX_PERIOD = 6;

/** How many tokens may stand between the two copies of a phrase of two or more tokens. */
export const MAX_GAP = 1;

/** Room `repeatedTokens` may need in its `out` array: one token per copy placement around a position. */
export const MAX_REPEATED = 2 + (MAX_GAP + 1) * (MAX_PERIOD * (MAX_PERIOD + 1) - 2);

/**
 * The tokens position `p` must not hold, given `view`: the decided tokens, -1 where a position is still
 * masked (what view[p] holds makes no difference). Token x is banned when writing it at p would make a
 * phrase of k tokens (k <= MAX_PERIOD) said twice, p in one of the copies: every other token of the two
 * copies decided and equal, and x the decided token p pairs with. The copies follow each other at once
 * for a single token ("the the"), and with up to MAX_GAP tokens between them for a longer phrase ("the
 * use of a the use of"). Written to `out` (duplicates possible); returns how many.
 */
export function repeatedTokens(view: ArrayLike<number>, p: number, out: Int32Array): number {
  const n = view.length;
  let count = 0;
  for (let k = 1; k <= MAX_PERIOD; k++) {
    for (let gap = 0; gap <= (k === 1 ? 0 : MAX_GAP); gap++) {
      const second = k + gap; // from the first copy's start to the second's
      for (let start = Math.max(0, p - second - k + 1); start <= p && start + second + k <= n; start++) {
        const offset = p < start + k ? p - start : p - start - second; // p's place in its copy
        if (offset < 0) continue; // p falls in the gap
        const partner = p < start + k ? p + second : p - second;
        if (view[partner] < 0) continue;
        let twice = true;
        for (let i = 0; i < k && twice; i++) {
          if (i !== offset) twice = view[start + i] >= 0 && view[start + i] === view[start + second + i];
        }
        if (twice) out[count++] = view[partner];
      }
    }
  }
  return count;
}

/**
 * How many of `positions` hold a token that is part of a repeat in the finished text `ids` (either copy):
 * the guard's rule, as a measure.
 */
export function countRepeats(ids: ArrayLike<number>, positions: Iterable<number>): number {
  const out = new Int32Array(MAX_REPEATED);
  let count = 0;
  for (const p of positions) if (isAmong(ids[p], out, repeatedTokens(ids, p, out))) count++;
  return count;
}

/** Whether `token` is among the first `count` of `tokens`. */
export function isAmong(token: number, tokens: Int32Array, count: number): boolean {
  for (let i = 0; i < count; i++) if (tokens[i] === token) return true;
  return false;
}
