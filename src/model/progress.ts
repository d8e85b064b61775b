/** Progress of a model load, one file at a time (the shape transformers.js uses). */
export type LoadProgress =
  | { status: 'initiate'; file: string }
  | { status: 'progress'; file: string; loaded: number; total: number | null }
  | { status: 'done'; file: string }
  | { status: 'ready'; backend: Backend };

export type Backend = 'webgpu' | 'wasm';

export type ProgressCallback = (progress: LoadProgress) => void;
