/** Progress of a model load, one file at a time (the shape transformers.js uses). */
export type LoadProgress =
  | { status: 'initiate'; file: string }
  | { status: 'progress'; file: string; loaded: number; total: number | null }
  | { status: 'done'; file: string }
  /** What the load does once the files are in: the slow part a user would otherwise wait through unexplained. */
  | { status: 'stage'; stage: LoadStage }
  | { status: 'ready'; backend: Backend };

export type Backend = 'webgpu' | 'wasm';

/** After the download: ONNX Runtime compiles the graph for the backend, then one small run warms it up. */
export type LoadStage = 'compiling' | 'warming-up';

export type ProgressCallback = (progress: LoadProgress) => void;
