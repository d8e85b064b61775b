// Rebuilds the decode canvas after any step from the worker's per-step snapshots, for the step
// scrubber: the input's text with each [MASK] shown as still masked (with the model's current guess)
// or as the token committed there, with the confidence it had when it was committed.
import { candidateAt, type TraceStep } from '../../model/trace-step';
import { MASK_MARKER as maskMarker } from '../../model/mask-marker';

export type Piece =
  | { kind: 'text'; text: string }
  /** `fresh`: committed by the step being shown. */
  | { kind: 'token'; slot: number; text: string; conf: number; step: number; fresh: boolean }
  /** Still masked; `guess` is what the next step would write here if it committed it. */
  | { kind: 'mask'; slot: number; guess: string | null; conf: number | null };

interface Committed {
  text: string;
  conf: number;
  step: number;
}

export function maskCount(input: string): number {
  return input.split(maskMarker).length - 1;
}

/**
 * The canvas after `upto` steps: 0 is before the first step, `steps.length` is the final text. A token
 * joins the text before it as the tokenizer's own decoding joins it: where words carry their space
 * (byte-level BPE: " cat", and "ed" continuing a word) every token takes the space before its [MASK];
 * elsewhere (WordPiece) only a "##" continuation does, so "[MASK] [MASK]" filled with "dispos" and "ed"
 * reads "disposed" on the canvas as in the final text.
 */
export function canvasAt(input: string, steps: readonly TraceStep[], upto: number, wordsCarrySpaces = true): Piece[] {
  const texts = input.split(maskMarker);
  // Every masked position is a candidate of the first step, left to right: the k-th [MASK] is the k-th.
  const positions = steps.length > 0 ? steps[0].positions.slice().sort() : new Int32Array(0);
  const committed = new Map<number, Committed>();
  const shown = Math.max(0, Math.min(upto, steps.length));
  for (let s = 0; s < shown; s++) {
    const step = steps[s];
    for (const pos of step.committed) {
      const c = candidateAt(step, pos);
      if (c >= 0) committed.set(pos, { text: step.texts[c], conf: step.conf[c], step: s + 1 });
    }
    for (const pos of step.remasked) committed.delete(pos);
  }
  const next = steps[shown];
  const pieces: Piece[] = [];
  texts.forEach((text, slot) => {
    const isLast = slot === texts.length - 1;
    const token = isLast ? undefined : committed.get(positions[slot]);
    const continuation = token?.text.startsWith('##') ?? false;
    const takesSpace = token !== undefined && text.endsWith(' ') && (wordsCarrySpaces || continuation || /^\s/.test(token.text));
    const body = takesSpace ? text.slice(0, -1) : text;
    if (body) pieces.push({ kind: 'text', text: body });
    if (isLast) return;
    if (token) {
      const shownText = continuation ? token.text.slice(2) : token.text;
      pieces.push({ kind: 'token', slot, text: shownText, conf: token.conf, step: token.step, fresh: token.step === shown });
    } else {
      pieces.push({ kind: 'mask', slot, ...guessAt(next, positions[slot]) });
    }
  });
  return pieces;
}

/** What `step` would write at `position` if it committed it: none where it is not one of its candidates. */
function guessAt(step: TraceStep | undefined, position: number): { guess: string | null; conf: number | null } {
  const c = step ? candidateAt(step, position) : -1;
  return step && c >= 0 ? { guess: step.texts[c], conf: step.conf[c] } : { guess: null, conf: null };
}

/** Tokens committed at each step: the schedule as it actually ran. */
export function committedPerStep(steps: readonly TraceStep[]): number[] {
  return steps.map((s) => s.committed.length);
}

/** Replaces the words of text[start, end) with one [MASK] each (a selection "painted" with masks). */
export function maskSelection(text: string, start: number, end: number): { text: string; caret: number } {
  const selected = text.slice(start, end);
  const words = selected.split(/\s+/).filter(Boolean).length;
  const masks = Array.from({ length: Math.max(1, words) }, () => maskMarker).join(' ');
  const lead = selected.match(/^\s*/)![0];
  const trail = selected.match(/\s*$/)![0];
  const replacement = selected.trim() === '' && selected.length > 0 ? `${selected}${maskMarker}` : `${lead}${masks}${trail}`;
  return { text: text.slice(0, start) + replacement + text.slice(end), caret: start + replacement.length };
}
