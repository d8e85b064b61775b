// Span-infill evaluation's arithmetic: which run of tokens to mask, how often a fill stutters, a mean
// with its 95% interval; and the reading of its --rules flag.
// Pure, so it is tested apart from the runs (bench/infill.ts makes those with the model packages and the
// local LLM).
import type { Rng } from '../src/core/rng';
import type { InfillSettings } from '../src/model/engine';
import { tInterval, type Interval } from '../src/optimize/stats';

export interface Span {
  /** First masked token. */
  start: number;
  /** One past the last masked token. */
  end: number;
}

/**
 * A run of whole words, `min` to `max` tokens long, inside `ids` and never its first word: the case of
 * rewriting a phrase of a prompt. `startsWord(i)` says whether token i begins a word. Null when the text
 * has no such run.
 */
export function chooseSpan(ids: readonly number[], startsWord: (index: number) => boolean, rng: Rng, min = 2, max = 12): Span | null {
  const starts: number[] = [];
  for (let i = 1; i < ids.length; i++) if (startsWord(i)) starts.push(i);
  starts.push(ids.length);
  const spans: Span[] = [];
  for (let a = 0; a < starts.length - 1; a++) {
    for (let b = a + 1; b < starts.length && starts[b] - starts[a] <= max; b++) {
      if (starts[b] - starts[a] >= min) spans.push({ start: starts[a], end: starts[b] });
    }
  }
  return spans.length === 0 ? null : spans[Math.floor(rng.nextFloat() * spans.length)];
}

/** How many filled tokens repeat the token just before them (inside the fill or the last one of the context). */
export function immediateRepeats(before: number, fill: readonly number[]): number {
  let repeats = 0;
  fill.forEach((id, i) => {
    if (id === (i === 0 ? before : fill[i - 1])) repeats++;
  });
  return repeats;
}

export interface MeanSummary {
  mean: number;
  ci95: Interval;
  n: number;
}

/** Mean and its t interval, unbounded (log-probabilities and their differences). */
export function meanSummary(values: readonly number[]): MeanSummary {
  return { ...tInterval(values, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY), n: values.length };
}

const RULES_EXAMPLE = `'{"one token per step": {"steps": 64}}'`;

/** `--rules`: named engine settings, in order. An unknown setting name is refused by the engine when the
 * rule first decodes (Engine.decodeOptions), so only the shape is checked here. */
export function parseRules(text: string): [string, Partial<InfillSettings>][] {
  let rules: unknown;
  try {
    rules = JSON.parse(text);
  } catch (error) {
    throw new Error(`--rules is not JSON (${(error as Error).message}): give an object of named settings, e.g. ${RULES_EXAMPLE}`);
  }
  const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (!isObject(rules)) throw new Error(`--rules must be an object of named settings, e.g. ${RULES_EXAMPLE}`);
  for (const [name, settings] of Object.entries(rules)) {
    if (!isObject(settings)) throw new Error(`--rules: "${name}" must be an object of engine settings, e.g. ${RULES_EXAMPLE}`);
  }
  return Object.entries(rules as Record<string, Partial<InfillSettings>>);
}
