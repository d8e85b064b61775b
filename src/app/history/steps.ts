// A Playground decode's steps as History keeps them outside the page. IndexedDB stores a TraceStep as
// it is (structured clone keeps typed arrays). An exported file is JSON, which has no typed arrays: there
// each array is a plain one. Pages before steps crossed the worker as typed arrays stored, and exported,
// one object per candidate. Each of these forms is read back as a TraceStep.
import { z } from 'zod';
import type { TraceStep } from '../../model/trace-step';

/** A step in an exported file: the TraceStep's arrays as plain arrays, read back exactly (a float32 prints as the double it is). */
export interface StepJson {
  step: number;
  positions: number[];
  ids: number[];
  texts: string[];
  conf: number[];
  committed: number[];
  remasked: number[];
}

/** A step as pages before stored and exported it: one object per candidate. */
export interface LegacyStep {
  step: number;
  candidates: { pos: number; token: string; id: number; conf: number }[];
  committed: number[];
  remasked: number[];
}

export function stepToJson(step: TraceStep): StepJson {
  return {
    step: step.step,
    positions: Array.from(step.positions),
    ids: Array.from(step.ids),
    texts: [...step.texts],
    conf: Array.from(step.conf),
    committed: Array.from(step.committed),
    remasked: Array.from(step.remasked),
  };
}

export function stepFromJson(json: StepJson): TraceStep {
  return {
    step: json.step,
    positions: Int32Array.from(json.positions),
    ids: Int32Array.from(json.ids),
    texts: [...json.texts],
    conf: Float32Array.from(json.conf),
    committed: Int32Array.from(json.committed),
    remasked: Int32Array.from(json.remasked),
  };
}

export function stepFromLegacy(old: LegacyStep): TraceStep {
  return {
    step: old.step,
    positions: Int32Array.from(old.candidates, (c) => c.pos),
    ids: Int32Array.from(old.candidates, (c) => c.id),
    texts: old.candidates.map((c) => c.token),
    conf: Float32Array.from(old.candidates, (c) => c.conf),
    committed: Int32Array.from(old.committed),
    remasked: Int32Array.from(old.remasked),
  };
}

/** A step read from IndexedDB: as it was stored, or converted where an older page stored it as objects. */
export function storedStep(step: TraceStep | LegacyStep): TraceStep {
  return 'candidates' in step ? stepFromLegacy(step) : step;
}

const index = z.number().int().nonnegative();
const ids = z.array(index);

/** A step in an imported file, in either form, as a TraceStep; its columns must be one length. */
export const fileStepSchema = z.union([
  z
    .object({ step: index, positions: ids, ids, texts: z.array(z.string()), conf: z.array(z.number()), committed: ids, remasked: ids })
    .refine((s) => [s.ids, s.texts, s.conf].every((column) => column.length === s.positions.length), 'positions, ids, texts and conf differ in length')
    .transform(stepFromJson),
  z
    .object({
      step: index,
      candidates: z.array(z.object({ pos: index, token: z.string(), id: index, conf: z.number() })),
      committed: ids,
      remasked: ids,
    })
    .transform(stepFromLegacy),
]);
