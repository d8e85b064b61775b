// Selection over candidates: which of the scored masked positions to commit (or, for remasking, to
// re-open). Outputs are candidate indices; each function returns how many it wrote. Ties always go to
// the lower index. No allocation: `out` doubles as the working buffer (tfjs `TopK_impl` style).

/** Candidates 0..n-1 (a count) or those with eligible[i] === 1 (a mask over 0..eligible.length-1). */
export type Eligible = Uint8Array | number;

function candidateCount(eligible: Eligible): number {
  return typeof eligible === 'number' ? eligible : eligible.length;
}

function isEligible(eligible: Eligible, i: number): boolean {
  return typeof eligible === 'number' || eligible[i] === 1;
}

/**
 * Keep in out[0..k) the k best eligible candidates, best first, by insertion: O(n k), fine for the
 * block sizes we see. `better(a, b)` is strict, so an earlier (lower) index wins a tie.
 */
function bestK(conf: Float32Array, eligible: Eligible, k: number, out: Int32Array, highest: boolean): number {
  const n = candidateCount(eligible);
  if (conf.length < n) throw new RangeError(`select: conf has ${conf.length} entries for ${n} candidates`);
  const limit = Math.min(k, out.length);
  if (limit <= 0) return 0;
  let kept = 0;
  for (let i = 0; i < n; i++) {
    if (!isEligible(eligible, i)) continue;
    const c = conf[i];
    let j = kept;
    if (j === limit) {
      const worst = conf[out[j - 1]];
      if (!(highest ? c > worst : c < worst)) continue;
      j--; // the worst one drops out
    } else {
      kept++;
    }
    while (j > 0 && (highest ? c > conf[out[j - 1]] : c < conf[out[j - 1]])) {
      out[j] = out[j - 1];
      j--;
    }
    out[j] = i;
  }
  return kept;
}

/** Top-k eligible candidates by confidence, highest first (LLaDA `torch.topk` over masked positions). */
export function selectTopK(conf: Float32Array, eligible: Eligible, k: number, out: Int32Array): number {
  return bestK(conf, eligible, k, out, true);
}

/** The k lowest-confidence eligible candidates, lowest first (Mask-Predict / ReMDM remasking). */
export function lowestK(conf: Float32Array, eligible: Eligible, k: number, out: Int32Array): number {
  return bestK(conf, eligible, k, out, false);
}

/**
 * Fast-dLLM threshold rule (Wu et al. 2025, `get_transfer_index` with `threshold`): every candidate
 * 0..n-1 with conf >= threshold, in index order; if none passes, the single best, so every step
 * makes progress.
 */
export function selectThreshold(conf: Float32Array, n: number, threshold: number, out: Int32Array): number {
  // Confidences are float32: compare against the float32 threshold, so 0.9 stored as float32 passes 0.9.
  const cut = Math.fround(threshold);
  let count = 0;
  let best = -1;
  for (let i = 0; i < n; i++) {
    if (conf[i] >= cut) out[count++] = i;
    if (best < 0 || conf[i] > conf[best]) best = i;
  }
  if (count === 0 && best >= 0) out[count++] = best;
  return count;
}

/**
 * Fast-dLLM factor rule (Wu et al. 2025, Thm. 1 and `get_transfer_index_dynamic`): sort candidates by
 * confidence, highest first, and accept the n-th (1-based) while c_(n) >= 1 - f / (n + 1), i.e.
 * (n + 1)(1 - c_(n)) <= f; always at least the best one. Output is in confidence order.
 * Only the accepted prefix needs its order, so the top k are found with k doubled until one of them
 * fails: O(n a) for a accepted, where sorting all n candidates every step was O(n^2).
 */
export function selectFactor(conf: Float32Array, n: number, factor: number, out: Int32Array): number {
  for (let k = Math.min(8, n); ; k = Math.min(2 * k, n)) {
    const sorted = selectTopK(conf, n, k, out);
    let count = 0;
    while (count < sorted && conf[out[count]] >= 1 - factor / (count + 2)) count++;
    if (count < sorted || sorted === n) return Math.max(count, Math.min(1, sorted));
  }
}

/**
 * Write the `count` selected candidates to `out` (which may be `selected` itself) most confident first,
 * ties to the lower index: top-k over the selection, marked in `marks`, scratch over the candidates, all 0
 * on entry and on return.
 */
export function byConfidence(selected: Int32Array, count: number, conf: Float32Array, marks: Uint8Array, out: Int32Array): void {
  for (let i = 0; i < count; i++) marks[selected[i]] = 1;
  selectTopK(conf, marks, count, out);
  for (let i = 0; i < count; i++) marks[out[i]] = 0;
}

/**
 * Dilated unmasking (Luxembourg et al. 2025, "Plan for Speed"): of the `count` selected candidates,
 * keep none that neighbours a kept one in the text, most confident first, so two neighbours never
 * commit in the same step without seeing each other: neighbours depend on each other most, and a
 * parallel rule that commits both writes stutters such as "the the". `positions[c]` is candidate c's
 * position, ascending; `taken` is scratch over the candidates, all 0 on entry and on return.
 * `selected` is rewritten in place, most confident first; returns how many it keeps (at least one).
 */
export function keepApart(selected: Int32Array, count: number, positions: Int32Array, conf: Float32Array, taken: Uint8Array): number {
  byConfidence(selected, count, conf, taken.subarray(0, positions.length), selected);
  let kept = 0;
  for (let i = 0; i < count; i++) {
    const c = selected[i];
    const left = c > 0 && taken[c - 1] === 1 && positions[c - 1] === positions[c] - 1;
    const right = c + 1 < positions.length && taken[c + 1] === 1 && positions[c + 1] === positions[c] + 1;
    if (left || right) continue;
    taken[c] = 1;
    selected[kept++] = c;
  }
  for (let i = 0; i < kept; i++) taken[selected[i]] = 0;
  return kept;
}
