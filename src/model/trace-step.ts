// One decoding step as the engine reports it and the Playground replays it: the sampler's snapshot with
// each chosen token's text. Engine, worker and page share this one form; its arrays cross the worker
// boundary by transfer (workers/step-transfer.ts), and History keeps it as is in IndexedDB.
import type { StepSnapshot } from '../core/sampler';

/** Column i of positions, ids, texts and conf is one candidate. */
export interface TraceStep {
  step: number;
  /** Every position still masked before this step (the candidates), left to right. */
  positions: Int32Array;
  /** The token chosen for each candidate. */
  ids: Int32Array;
  /** Its text, as the tokenizer writes it (" cat", "##ed"): strings cannot be transferred, so a plain array. */
  texts: string[];
  /** Its confidence. */
  conf: Float32Array;
  /** Positions unmasked by this step. */
  committed: Int32Array;
  /** Committed positions re-opened by this step. */
  remasked: Int32Array;
}

/**
 * The step of `snapshot`, holding the snapshot's own arrays (fresh copies every step), so that whoever
 * receives it may transfer them; `copy` gives it arrays of its own instead.
 */
export function traceStep(snapshot: StepSnapshot, tokenText: (id: number) => string, { copy = false } = {}): TraceStep {
  const own = <A extends Int32Array | Float32Array>(a: A): A => (copy ? (a.slice() as A) : a);
  return {
    step: snapshot.step,
    positions: own(snapshot.positions),
    ids: own(snapshot.tokens),
    texts: Array.from(snapshot.tokens, tokenText),
    conf: own(snapshot.conf),
    committed: own(snapshot.committed),
    remasked: own(snapshot.remasked),
  };
}

/** The candidate index of `position` in `step`, or -1 where it was not a candidate. */
export function candidateAt(step: TraceStep, position: number): number {
  return step.positions.indexOf(position);
}
