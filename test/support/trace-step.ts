// A decoding step as an engine reports it, for tests of what carries steps (worker, page).
import type { TraceStep } from '../../src/model/trace-step';

export const sampleStep = (): TraceStep => ({
  step: 0,
  positions: Int32Array.of(5, 9),
  ids: Int32Array.of(10, 11),
  texts: [' cat', ' mat'],
  conf: Float32Array.of(0.9, 0.4),
  committed: Int32Array.of(5),
  remasked: Int32Array.of(),
});
