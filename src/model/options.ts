// The choices a caller makes when loading a model, checked by name. Kept free of heavy imports so the
// page can validate its settings without loading ONNX Runtime.
import { OptionError } from '../core/errors';

/** Weight formats, by the transformers.js file each reads (package.ts); fp16 is for GPUs with shader-f16. */
export const quantizations = ['fp32', 'fp16', 'int8', 'q4'] as const;
export type Quantization = (typeof quantizations)[number];

export const backendChoices = ['auto', 'webgpu', 'wasm'] as const;
export type BackendChoice = (typeof backendChoices)[number];

export function parseQuantization(value: string): Quantization {
  if ((quantizations as readonly string[]).includes(value)) return value as Quantization;
  throw new OptionError(`Unknown quantization "${value}": use one of ${quantizations.join(', ')}.`);
}

export function parseBackend(value: string): BackendChoice {
  if ((backendChoices as readonly string[]).includes(value)) return value as BackendChoice;
  throw new OptionError(`Unknown backend "${value}": use one of ${backendChoices.join(', ')}.`);
}

/**
 * The largest model file the WASM backend is given: its 32-bit heap holds at most 4 GB, and loading a
 * model takes about twice the file's size there (the bytes, then the initialized weights).
 */
export const wasmFileLimit = 2 ** 31;
