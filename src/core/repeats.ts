// What the repeat guard (DecodeOptions.avoidRepeats) calls a repeat: a phrase of 1 to MAX_PERIOD tokens
// written twice in a row ("a file file", "the use of the use of"). A masked-diffusion model fills
// neighbouring masks from near-identical marginals, so a parallel decoder writes such stutters and loops;
// real text almost never does. On 400 held-out instruction spans, 0.3% of the original tokens complete
// one, all of them a token written twice (`npm run eval:infill` reports the original spans' own rate
// beside each model's). Banning a phrase seen anywhere nearby instead would also ban 3.5-8.6% of the
// original tokens ("of the", ", and" recur within a sentence).

/** The longest phrase, in tokens, whose immediate repetition counts as a repeat. */
export const MAX_PERIOD = 6;

/** Room `repeatedTokens` may need in its `out` array: one token per period and window placement. */
export const MAX_REPEATED = MAX_PERIOD * (MAX_PERIOD + 1);

/**
 * The tokens position `p` must not hold, given `view`: the decided tokens, -1 where a position is still
 * masked (what view[p] holds makes no difference). Token x is banned when writing it at p would make
 * some run of 2k tokens around p (k <= MAX_PERIOD) a phrase of k tokens said twice: every other pair
 * (i, i + k) of the run decided and equal, and x the decided token p pairs with. Written to `out`
 * (duplicates possible); returns how many.
 */
export function repeatedTokens(view: ArrayLike<number>, p: number, out: Int32Array): number {
  const n = view.length;
  let count = 0;
  for (let k = 1; k <= MAX_PERIOD; k++) {
    for (let start = Math.max(0, p - 2 * k + 1); start <= p && start + 2 * k <= n; start++) {
      const partner = p < start + k ? p + k : p - k;
      if (view[partner] < 0) continue;
      let twice = true;
      for (let i = start; i < start + k && twice; i++) {
        if (i !== p && i + k !== p) twice = view[i] >= 0 && view[i] === view[i + k];
      }
      if (twice) out[count++] = view[partner];
    }
  }
  return count;
}

/** How many of `positions` hold a repeat in the finished text `ids`: the guard's rule, as a measure. */
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
