// 95% intervals for what a run reports on its test rows: a score (the mean of per-row metric values) and
// the paired difference between two prompts on the same rows. A gain whose interval holds 0 is no gain.

export type Interval = [number, number];

export interface ScoreSummary {
  score: number;
  ci95: Interval;
}

export interface DeltaSummary {
  mean: number;
  ci95: Interval;
}

const z95 = 1.959963984540054;

/**
 * Wilson's score interval for a proportion (Wilson 1927): unlike the normal interval it stays inside
 * [0, 1] and is honest at 0/n and n/n, where small test sets often land.
 */
export function wilson(successes: number, n: number): Interval {
  if (n === 0) return [0, 1];
  const p = successes / n;
  const z2 = z95 * z95;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = ((z95 / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n)));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Student's t at 0.975 for 1 to 30 degrees of freedom (the printed table, to 3 decimals). */
const tTable = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/**
 * Student's t quantile at 0.975 with `df` degrees of freedom: the table up to 30, then the Cornish-Fisher
 * expansion around the normal quantile (Abramowitz & Stegun 26.7.5), within 0.0005 of exact there.
 */
export function t975(df: number): number {
  if (df <= tTable.length) return tTable[Math.max(1, Math.round(df)) - 1];
  const z = z95;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2) + (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / (384 * df ** 3);
}

/** Mean and t interval (n - 1 degrees of freedom), clipped to [lo, hi]; the whole range below 2 values. */
export function tInterval(values: readonly number[], lo: number, hi: number): { mean: number; ci95: Interval } {
  const n = values.length;
  const mean = n === 0 ? 0 : values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, ci95: [lo, hi] };
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1);
  const half = t975(n - 1) * Math.sqrt(variance / n);
  return { mean, ci95: [Math.max(lo, mean - half), Math.min(hi, mean + half)] };
}

/** A score in [0, 1]: Wilson's interval when every value is 0 or 1 (accuracy), else a t interval. */
export function scoreSummary(values: readonly number[]): ScoreSummary {
  if (values.every((v) => v === 0 || v === 1)) {
    const successes = values.filter((v) => v === 1).length;
    return { score: values.length === 0 ? 0 : successes / values.length, ci95: wilson(successes, values.length) };
  }
  const { mean, ci95 } = tInterval(values, 0, 1);
  return { score: mean, ci95 };
}

/** `after - before` on the same rows: the paired t interval of the per-row differences. */
export function pairedDelta(before: readonly number[], after: readonly number[]): DeltaSummary {
  if (before.length !== after.length) throw new RangeError(`pairedDelta needs the same rows: ${before.length} before, ${after.length} after.`);
  return tInterval(
    after.map((a, i) => a - before[i]),
    -1,
    1,
  );
}

/** True when the interval lies wholly above 0: the only kind of gain worth reporting as one. */
export const isRealGain = (delta: DeltaSummary): boolean => delta.ci95[0] > 0;

/** A share as a percentage, one decimal: 0.913 -> "91.3". */
export const percent = (x: number): string => (100 * x).toFixed(1);

/** A difference of shares in percentage points, signed: 0.08 -> "+8.0". */
export const signedPoints = (x: number): string => `${x >= 0 ? '+' : ''}${percent(x)}`;

/** How to read a delta, in words the CLI and the app share. */
export function deltaVerdict(delta: DeltaSummary): string {
  if (isRealGain(delta)) return 'a gain beyond the noise';
  if (delta.ci95[1] < 0) return 'worse, beyond the noise';
  return 'within the noise: no gain shown';
}
