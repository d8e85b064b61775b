// Quota schedules: how many masked tokens to commit at each denoising step. Each returns an Int32Array
// of length `steps` summing to `count`.
//
// When steps > count (the sampler never asks for this: it clamps steps to the masked count), every
// schedule still sums to `count`: 'linear' and 'maskgit' commit one token per step until none are
// left and then give zero-quota steps at the end; the alpha schedules may give zero-quota steps
// anywhere (rounding), and their last step takes whatever remains. When count >= steps, 'linear'
// and 'maskgit' never give a zero step.
import { DecodeOptionError, optionText } from './errors';

export type ScheduleName = 'linear' | 'alpha-linear' | 'cosine' | 'maskgit';

export const scheduleNames: readonly ScheduleName[] = ['linear', 'alpha-linear', 'cosine', 'maskgit'];

/** alpha(t) is the probability that a token is unmasked at time t; t runs from 1 (all masked) to 0. */
export type Alpha = (t: number) => number;

/** MDLM / Dream linear schedule: alpha_t = 1 - t. */
export const alphaLinear: Alpha = (t) => 1 - t;

/** Cosine schedule: alpha_t = 1 - cos(pi/2 (1 - t)), so the masked fraction is cos(pi/2 (1 - t)). */
export const alphaCosine: Alpha = (t) => 1 - Math.cos((Math.PI / 2) * (1 - t));

function checkSizes(count: number, steps: number): void {
  if (!Number.isInteger(count) || count < 0) {
    throw new DecodeOptionError('count', `The number of tokens to unmask must be an integer >= 0 (got ${count}).`);
  }
  if (!Number.isInteger(steps) || steps < 1) {
    throw new DecodeOptionError('steps', optionText`{steps} must be an integer >= 1 (got ${steps}): set {steps} to 8.`);
  }
}

/** LLaDA `get_num_transfer_tokens`: k_i = floor(M/S) + (i < M mod S ? 1 : 0). */
export function lladaLinearQuota(count: number, steps: number): Int32Array {
  checkSizes(count, steps);
  const quota = new Int32Array(steps);
  const base = Math.floor(count / steps);
  const extra = count % steps;
  for (let i = 0; i < steps; i++) quota[i] = base + (i < extra ? 1 : 0);
  return quota;
}

/**
 * Reverse-process expectation (MDLM; Dream's sampler): going from t to s < t, each of the R masked
 * tokens is revealed with probability (alpha_s - alpha_t) / (1 - alpha_t), so
 * n = round(R (1 - (1 - alpha_s) / (1 - alpha_t))), with t = 1 - i/S and s = 1 - (i+1)/S.
 * The last step takes all that remain.
 */
export function alphaQuota(count: number, steps: number, alpha: Alpha): Int32Array {
  checkSizes(count, steps);
  const quota = new Int32Array(steps);
  let remaining = count;
  for (let i = 0; i < steps; i++) {
    const t = 1 - i / steps;
    const s = 1 - (i + 1) / steps;
    const maskedT = 1 - alpha(t);
    let n: number;
    if (i === steps - 1 || maskedT <= 0) n = remaining;
    else n = Math.round(remaining * (1 - (1 - alpha(s)) / maskedT));
    n = Math.min(Math.max(n, 0), remaining);
    quota[i] = n;
    remaining -= n;
  }
  return quota;
}

/**
 * MaskGIT (Chang et al. 2022, eq. 3 with the cosine gamma): after step i, floor(N cos(pi/2 (i+1)/S))
 * tokens stay masked; the quota is the difference. Clamped so every step commits at least one token
 * while tokens remain, and (when N >= S) enough stay masked for every later step to commit one.
 */
export function maskgitQuota(count: number, steps: number): Int32Array {
  checkSizes(count, steps);
  const quota = new Int32Array(steps);
  let remaining = count;
  for (let i = 0; i < steps; i++) {
    if (remaining === 0) break;
    const target = Math.floor(count * Math.cos((Math.PI / 2) * ((i + 1) / steps)));
    const stepsAfter = steps - 1 - i;
    const keep = Math.min(remaining - 1, Math.max(target, stepsAfter));
    quota[i] = remaining - keep;
    remaining = keep;
  }
  return quota;
}

/** The schedule by name: 'linear' = LLaDA per-block linear, 'cosine' = alpha cosine. */
export function quotaFor(name: ScheduleName, count: number, steps: number): Int32Array {
  switch (name) {
    case 'linear':
      return lladaLinearQuota(count, steps);
    case 'alpha-linear':
      return alphaQuota(count, steps, alphaLinear);
    case 'cosine':
      return alphaQuota(count, steps, alphaCosine);
    case 'maskgit':
      return maskgitQuota(count, steps);
    default:
      throw new DecodeOptionError(
        'schedule',
        `Unknown schedule ${JSON.stringify(name)}: use one of ${scheduleNames.join(', ')}.`,
      );
  }
}
