// Decoding steps cross to the page as typed arrays, transferred rather than copied (onnxruntime-web's
// proxy-messages.ts): the worker gives up the buffers, the page receives them without a copy. Token
// texts are strings, which cannot be transferred: they are cloned.
import { transfer } from 'comlink';
import type { TraceStep } from '../src/model/trace-step';

/** The buffers of the steps' arrays, each once (a buffer listed twice would fail the post). */
export function stepBuffers(steps: readonly TraceStep[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const s of steps) {
    for (const array of [s.positions, s.ids, s.conf, s.committed, s.remasked]) buffers.add(array.buffer as ArrayBuffer);
  }
  return [...buffers];
}

/**
 * `value` marked for comlink to transfer the buffers of `steps`, when it is posted as an argument of a
 * proxied callback or as a reply. Once posted, those arrays are empty on this side: nothing here may
 * read them again.
 */
export function withSteps<T extends object>(value: T, steps: readonly TraceStep[]): T {
  return transfer(value, stepBuffers(steps));
}
