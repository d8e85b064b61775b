// The model Remask ships with, trained by the pipeline under models/ and served from our own origin.
import type { Quantization } from './options';
import type { Backend } from './progress';

/** Folder name under models/ (and URL path under /models/ in the app). */
export const embeddedModelName = 'remask-mini';

/** int8 is the smallest download with fp32-level accuracy on the CPU; WebGPU runs fp32 at full speed. */
export function defaultQuantization(backend: Backend | 'auto'): Quantization {
  return backend === 'webgpu' ? 'fp32' : 'int8';
}
