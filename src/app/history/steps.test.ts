import { describe, expect, it } from 'vitest';
import type { TraceStep } from '../../model/trace-step';
import { fileStepSchema, stepFromJson, stepToJson, storedStep, type LegacyStep } from './steps';

const step: TraceStep = {
  step: 1,
  positions: Int32Array.of(5, 9),
  ids: Int32Array.of(10, 12),
  texts: [' cat', ' rug'],
  conf: Float32Array.of(0.9, 0.7),
  committed: Int32Array.of(9),
  remasked: Int32Array.of(5),
};
/** The same step as pages before typed-array steps stored it in IndexedDB and wrote it to files. */
const legacy: LegacyStep = {
  step: 1,
  candidates: [
    { pos: 5, token: ' cat', id: 10, conf: Math.fround(0.9) },
    { pos: 9, token: ' rug', id: 12, conf: Math.fround(0.7) },
  ],
  committed: [9],
  remasked: [5],
};

describe("a decode's steps in History", () => {
  it('are read from IndexedDB as stored, and converted where an older page stored one object per candidate', () => {
    expect(storedStep(step)).toBe(step);
    expect(storedStep(legacy)).toEqual(step);
  });

  it('go through a JSON file and come back exactly, float32 confidences included', () => {
    const json = JSON.parse(JSON.stringify(stepToJson(step)));
    expect(json.positions).toEqual([5, 9]);
    expect(stepFromJson(json)).toEqual(step);
    expect(fileStepSchema.parse(json)).toEqual(step);
  });

  it('are read from a file in either form, and refused where the columns differ in length', () => {
    expect(fileStepSchema.parse(JSON.parse(JSON.stringify(legacy)))).toEqual(step);
    expect(fileStepSchema.safeParse({ ...stepToJson(step), texts: [' cat'] }).success).toBe(false);
    expect(fileStepSchema.safeParse({ ...stepToJson(step), positions: { 0: 5, 1: 9 } }).success).toBe(false);
  });
});
