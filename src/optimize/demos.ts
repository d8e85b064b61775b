// Few-shot demonstrations (DSPy's BootstrapFewShot): train rows the target answered correctly, with the
// answers it gave, shown to it in a block after the instructions. The block is not part of the text the
// proposers rewrite; choosing which rows fill it is part of the search, as the loop draws a set per
// candidate. Demonstrations come only from train rows, so validation and test stay unseen.
import { derivedSeed, Rng, sampleDistinct } from '../core/rng';
import type { Trace } from './layout';

export interface Demo {
  /** The row (of the dataset as loaded, always a train row) the demonstration comes from. */
  row: number;
  input: string;
  /** The target's own answer, which the metric scored in full. */
  output: string;
}

/**
 * The system prompt a candidate is scored with: its instructions, then its demonstrations laid out as
 * the target's questions are (Input / Output), so the target reads them as solved examples.
 */
export function withDemos(instructions: string, demos: readonly Demo[]): string {
  if (demos.length === 0) return instructions;
  const block = demos.map((d) => `Input: ${d.input.trim()}\nOutput: ${d.output.trim()}`).join('\n\n');
  return `${instructions}\n\nExamples:\n\n${block}`;
}

/** Demonstrations the minibatch's traces offer: rows answered with full marks, each row once. */
export function demoPool(rows: readonly number[], traces: readonly Trace[]): Demo[] {
  const pool = new Map<number, Demo>();
  rows.forEach((row, i) => {
    const trace = traces[i];
    if (trace.score === 1 && trace.response.trim() !== '' && !pool.has(row)) pool.set(row, { row, input: trace.query, output: trace.response });
  });
  return [...pool.values()];
}

/** Up to `k` demonstrations drawn from the pool, in row order; the draw is fixed by (seed, ...path). */
export function drawDemos(pool: readonly Demo[], k: number, seed: number, path: readonly number[]): Demo[] {
  if (k === 0 || pool.length === 0) return [];
  const rng = new Rng(derivedSeed(seed, ...path));
  return Array.from(sampleDistinct(rng, pool.length, Math.min(k, pool.length)), (i) => pool[i]).sort((a, b) => a.row - b.row);
}
