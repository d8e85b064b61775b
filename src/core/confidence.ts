// The confidence kernel: per row of logits, choose a token (greedy or Gumbel-max) and score how sure
// the model is, in ONE pass over the vocabulary with an online, numerically stable log-sum-exp
// (running max m, sum s = sum exp(l - m) rescaled by exp(m_old - m_new) whenever the max grows;
// Milakov & Gimelshein, "Online normalizer calculation for softmax", 2018).
import type { Rng } from './rng';

/**
 * 'prob': softmax probability of the chosen token (LLaDA `low_confidence` remasking);
 * 'margin': p(top1) - p(top2) (Dream `margin`); 'entropy': negative entropy of the softmax (Dream
 * `entropy`); 'random': u ~ U(0,1) (LLaDA `random` remasking). All read the UN-noised softmax.
 */
export type ConfidenceName = 'prob' | 'margin' | 'entropy' | 'random';

export const confidenceNames: readonly ConfidenceName[] = ['prob', 'margin', 'entropy', 'random'];

export interface ScoreOptions {
  confidence: ConfidenceName;
  /** 0 = greedy argmax; T > 0 = Gumbel-max argmax(l + T g), a sample from softmax(l / T). */
  temperature: number;
  rng: Rng;
  /** Length vocab; 1 = this token id is never chosen and is left out of the softmax (pad, mask, specials). */
  suppress?: Uint8Array;
}

/** Gumbel-max (float64): argmax over logits l of l + T g, g = -log(-log u), samples softmax(l / T). */
export function gumbelScore(logit: number, temperature: number, rng: Rng): number {
  return logit - temperature * Math.log(-Math.log(rng.nextFloat()));
}

/**
 * For each of `rows` rows of row-major [rows x vocab] `logits`, write the chosen token to outToken,
 * its confidence to outConf and (optionally) its softmax probability to outProb.
 * Ties go to the lower token id. Random draws per row, in order: one per unsuppressed, finite logit
 * when temperature > 0, then one for 'random' confidence. Logits of -Infinity are never chosen.
 */
export function scoreRows(
  logits: Float32Array,
  rows: number,
  vocab: number,
  opts: ScoreOptions,
  outToken: Int32Array,
  outConf: Float32Array,
  outProb?: Float32Array,
): void {
  if (logits.length < rows * vocab) {
    throw new RangeError(`scoreRows: ${logits.length} logits cannot hold ${rows} rows of ${vocab}`);
  }
  if (outToken.length < rows || outConf.length < rows || (outProb !== undefined && outProb.length < rows)) {
    throw new RangeError(`scoreRows: output arrays must hold ${rows} rows`);
  }
  const { confidence, temperature, rng, suppress } = opts;
  if (suppress !== undefined && suppress.length < vocab) {
    throw new RangeError(`scoreRows: suppress must have one entry per token (${vocab})`);
  }
  if (!(temperature >= 0) || !Number.isFinite(temperature)) {
    throw new RangeError(`scoreRows: temperature must be finite and >= 0 (got ${temperature})`);
  }
  const sample = temperature > 0;

  for (let r = 0; r < rows; r++) {
    const base = r * vocab;
    // Running max (top-1 logit), second-largest logit, sum of exp(l - max), and
    // t = sum exp(l - max) (l - max), from which the entropy is log s - t/s.
    let max = -Infinity;
    let second = -Infinity;
    let sum = 0;
    let tilted = 0;
    let chosen = -1;
    let chosenScore = -Infinity;
    let chosenLogit = -Infinity;
    for (let v = 0; v < vocab; v++) {
      if (suppress !== undefined && suppress[v] === 1) continue;
      const l = logits[base + v];
      if (l === -Infinity) continue;
      if (sum === 0) {
        max = l;
        sum = 1;
      } else if (l > max) {
        // New max: rescale, t' = e^d (t + d s) with d = m_old - m_new; the new element adds e^0 * 0 to t.
        const d = max - l;
        const scale = Math.exp(d);
        tilted = scale * (tilted + d * sum);
        sum = sum * scale + 1;
        second = max;
        max = l;
      } else {
        const d = l - max;
        const e = Math.exp(d);
        sum += e;
        tilted += e * d;
        if (l > second) second = l;
      }
      const score = sample ? gumbelScore(l, temperature, rng) : l;
      if (score > chosenScore) {
        chosenScore = score;
        chosen = v;
        chosenLogit = l;
      }
    }
    if (chosen < 0) {
      throw new RangeError(`scoreRows: row ${r} has no choosable token (all suppressed or -Infinity)`);
    }
    const prob = Math.exp(chosenLogit - max) / sum;
    let conf: number;
    switch (confidence) {
      case 'prob':
        conf = prob;
        break;
      case 'margin':
        conf = (1 - Math.exp(second - max)) / sum;
        break;
      case 'entropy':
        conf = tilted / sum - Math.log(sum);
        break;
      case 'random':
        conf = rng.nextFloat();
        break;
      default:
        throw new RangeError(`scoreRows: unknown confidence ${JSON.stringify(confidence)}`);
    }
    outToken[r] = chosen;
    outConf[r] = conf;
    if (outProb !== undefined) outProb[r] = prob;
  }
}

/**
 * Per row, the four numbers greedy selection needs, as a model graph that reduces its logits on the
 * device returns them (16 bytes a row instead of 4 x vocab): the top token, its log-probability, the
 * runner-up's log-probability and the entropy of the row's softmax (suppressed tokens left out).
 */
export interface RowSummary {
  token: Int32Array;
  logProb: Float32Array;
  secondLogProb: Float32Array;
  entropy: Float32Array;
}

/** Greedy tokens and confidences from row summaries: what scoreRows gives at temperature 0. */
export function confidenceFromSummary(
  summary: RowSummary,
  rows: number,
  confidence: ConfidenceName,
  rng: Rng,
  outToken: Int32Array,
  outConf: Float32Array,
): void {
  if (summary.token.length < rows || summary.logProb.length < rows || summary.secondLogProb.length < rows || summary.entropy.length < rows) {
    throw new RangeError(`confidenceFromSummary: the summary must hold ${rows} rows`);
  }
  for (let r = 0; r < rows; r++) {
    const prob = Math.exp(summary.logProb[r]);
    outToken[r] = summary.token[r];
    switch (confidence) {
      case 'prob':
        outConf[r] = prob;
        break;
      case 'margin':
        outConf[r] = prob - Math.exp(summary.secondLogProb[r]);
        break;
      case 'entropy':
        outConf[r] = -summary.entropy[r];
        break;
      case 'random':
        outConf[r] = rng.nextFloat();
        break;
      default:
        throw new RangeError(`confidenceFromSummary: unknown confidence ${JSON.stringify(confidence)}`);
    }
  }
}
