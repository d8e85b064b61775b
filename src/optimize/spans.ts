// Which tokens of the prompt a candidate rewrites. Each strategy returns a MaskPlan of about `count`
// tokens: random spans; the span the DLM itself finds least likely given the traces; new text inserted
// after a sentence; or the spans the user marked for rewriting.
import type { Rng } from '../core/rng';
import { OptionError } from '../core/errors';
import type { CharRange, EditablePrompt, MaskPlan } from './prompt';

export const spanStrategies = ['random', 'low-confidence', 'insert', 'marked'] as const;
export type SpanStrategy = (typeof spanStrategies)[number];

/** New text inserted at a slot: long enough for a short instruction, short enough to stay on topic. */
const minInsertTokens = 4;
export const maxInsertTokens = 24;

export interface SpanInputs {
  rng: Rng;
  /** Per prompt token, -log p(token | rest, traces) from the DLM; needed by 'low-confidence'. */
  surprisal?: Float32Array;
  /** Character ranges the user marked "to rewrite"; needed by 'marked'. */
  marked?: readonly CharRange[];
  /**
   * Token range [start, end) the plan must stay in: a prompt longer than the DLM's window is rewritten
   * one window at a time, so its spans must lie within one.
   */
  region?: [number, number];
}

export function planSpans(strategy: SpanStrategy, prompt: EditablePrompt, count: number, inputs: SpanInputs): MaskPlan {
  const [from, to] = inputs.region ?? [0, prompt.tokens.length];
  const inRegion = (token: number) => token >= from && token < to;
  const runs = prompt
    .editableRuns()
    .map((run) => run.filter(inRegion))
    .filter((run) => run.length > 0);
  switch (strategy) {
    case 'random':
      return maskOnly(randomSpans(runs, count, inputs.rng));
    case 'low-confidence':
      return maskOnly(leastLikelyWindow(runs, count, inputs.surprisal));
    case 'insert':
      return insertAtSlot(
        prompt.insertionSlots().filter((at) => at >= from && at <= to),
        to,
        count,
        inputs.rng,
      );
    case 'marked':
      return maskOnly(markedWindow(prompt, runs.flat(), count, inputs.marked ?? [], inputs.rng));
  }
}

function maskOnly(masked: Set<number>): MaskPlan {
  return { masked, inserts: new Map() };
}

/** One to three contiguous spans inside editable runs, `count` tokens in all. */
function randomSpans(runs: readonly number[][], count: number, rng: Rng): Set<number> {
  const masked = new Set<number>();
  const spans = 1 + (rng.nextUint32() % 3);
  for (let s = 0; s < spans && masked.size < count; s++) {
    const run = runs[rng.nextUint32() % runs.length];
    const length = Math.min(run.length, Math.ceil((count - masked.size) / (spans - s)));
    const start = rng.nextUint32() % (run.length - length + 1);
    for (let i = start; i < start + length; i++) masked.add(run[i]);
  }
  // Overlapping spans can leave the budget short: fill it from the editable tokens in order.
  for (const token of runs.flat()) {
    if (masked.size >= count) break;
    masked.add(token);
  }
  return masked;
}

/** The window of `count` consecutive editable tokens with the highest total surprisal. */
function leastLikelyWindow(runs: readonly number[][], count: number, surprisal: Float32Array | undefined): Set<number> {
  if (!surprisal) throw new Error('low-confidence spans need the per-token surprisal');
  let best: number[] = [];
  let bestScore = -Infinity;
  for (const run of runs) {
    const length = Math.min(count, run.length);
    for (let start = 0; start + length <= run.length; start++) {
      let score = 0;
      for (let i = start; i < start + length; i++) score += surprisal[run[i]];
      if (score > bestScore) {
        bestScore = score;
        best = run.slice(start, start + length);
      }
    }
  }
  return new Set(best);
}

function insertAtSlot(found: readonly number[], fallback: number, count: number, rng: Rng): MaskPlan {
  const slots = found.length > 0 ? found : [fallback];
  const at = slots[rng.nextUint32() % slots.length];
  const length = Math.min(maxInsertTokens, Math.max(minInsertTokens, count));
  return { masked: new Set(), inserts: new Map([[at, length]]) };
}

/** The user's marked tokens; when they exceed the budget, a random window of `count` among them. */
function markedWindow(prompt: EditablePrompt, editable: readonly number[], count: number, marked: readonly CharRange[], rng: Rng): Set<number> {
  const inside = editable.filter((i) => prompt.overlaps(i, marked));
  if (inside.length <= count) return new Set(inside);
  const start = rng.nextUint32() % (inside.length - count + 1);
  return new Set(inside.slice(start, start + count));
}

/**
 * The span strategies that apply: the chosen ones, else every one, without those with nothing to work on.
 * Marks mean "rewrite this": where the user marked text and chose nothing else, only marked text is rewritten.
 */
export function strategiesFor(chosen: readonly SpanStrategy[] | undefined, prompt: EditablePrompt, hasMarks: boolean): SpanStrategy[] {
  const wanted = chosen ?? (hasMarks ? ['marked'] : spanStrategies.filter((s) => s !== 'marked'));
  const editable = prompt.editableTokens().length > 0;
  const usable = wanted.filter((s) => (s === 'marked' ? hasMarks && editable : s === 'insert' || editable));
  if (usable.length === 0) {
    throw new OptionError(`None of the span strategies ${wanted.join(', ')} can edit this prompt: unlock some text, mark some, or allow "insert".`);
  }
  return usable;
}
