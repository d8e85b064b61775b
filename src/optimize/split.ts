// Honest splits: the optimizer selects on data it then does not report. Traces and minibatches come from
// train, keep/reject decisions from validation, and test is scored only for the initial and the final best
// prompt, read by no decision. Indices are rows as loaded, so a result can be checked against the file.
import { Rng, sampleDistinct } from '../core/rng';
import { DatasetError, type Example } from './dataset';

export const splitNames = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof splitNames)[number];

/** Shares of the rows (summing to 1), or the name of a column whose values say each row's part. */
export type SplitSpec = Record<SplitName, number> | string;

export interface DataSplit {
  train: number[];
  validation: number[];
  test: number[];
}

export const defaultSplit = { train: 0.5, validation: 0.25, test: 0.25 } as const;

/**
 * Below this many rows in validation or test a split measures nothing: 10 rows give a 95% interval about
 * 0.6 wide around a 50% accuracy. The run then uses every row for everything, and its result says so.
 */
export const minRowsPerHeldOutPart = 10;

export interface SplitOutcome {
  split: DataSplit;
  /** Set when the rows are too few to split: every part is then all the rows. */
  warning?: string;
}

/** Splits the rows by `spec`, seeded; the same rows, spec and seed give the same split. */
export function splitRows(examples: readonly Example[], spec: SplitSpec, seed: number): SplitOutcome {
  const split = typeof spec === 'string' ? byColumn(examples, spec) : byShares(examples.length, spec, seed);
  const short = (['validation', 'test'] as const).filter((name) => split[name].length < minRowsPerHeldOutPart);
  if (split.train.length === 0 || short.length > 0) {
    const all = examples.map((_, i) => i);
    const why = split.train.length === 0 ? 'train has no rows' : `${short.map((name) => `${name} has ${split[name].length}`).join(' and ')} of the ${minRowsPerHeldOutPart} rows needed`;
    return {
      split: { train: all, validation: all, test: all },
      warning: `Too few rows to split (${why}): every score was measured on the rows the run selected on, so it overstates how the prompt does on new data. Give at least ${Math.ceil(minRowsPerHeldOutPart / Math.min(defaultSplit.validation, defaultSplit.test))} rows for a held-out test.`,
    };
  }
  return { split };
}

function byShares(count: number, shares: Record<SplitName, number>, seed: number): DataSplit {
  const rng = new Rng(seed ^ 0x5eed5);
  const all = Array.from({ length: count }, (_, i) => i);
  const validation = Array.from(sampleDistinct(rng, count, Math.round(count * shares.validation)));
  const rest = without(all, validation);
  const test = Array.from(sampleDistinct(rng, rest.length, Math.round(count * shares.test)), (i) => rest[i]);
  return { train: without(rest, test), validation, test };
}

/** `from` less the members of `taken` (both ascending), in order. */
function without(from: readonly number[], taken: readonly number[]): number[] {
  const drop = new Set(taken);
  return from.filter((i) => !drop.has(i));
}

function byColumn(examples: readonly Example[], column: string): DataSplit {
  const split: DataSplit = { train: [], validation: [], test: [] };
  examples.forEach((example, i) => {
    const part = example.split;
    if (part === undefined) throw new DatasetError(`config.dataset.split names the column "${column}", but row ${i + 1} has no value there: give every row train, validation or test.`);
    if (!(splitNames as readonly string[]).includes(part)) {
      throw new DatasetError(`Row ${i + 1} has "${part}" in the split column "${column}": use train, validation or test.`);
    }
    split[part as SplitName].push(i);
  });
  return split;
}
