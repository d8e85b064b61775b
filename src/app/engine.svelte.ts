// The page's one engine worker and the model loaded in it, shared by every view. The worker runs one
// request at a time (a newer one supersedes the older), so `task` says what it is doing and views
// wait their turn instead of cancelling each other's work.
import { createContext } from 'svelte';
import type { Remote } from 'comlink';
import type { EngineApi, OptimizeRequest } from '../../workers/engine-api';
import type { InfillResult, InfillSettings, ModelInfo, TraceStep } from '../model/engine';
import type { BackendChoice, Quantization } from '../model/options';
import type { LoadProgress, LoadStage } from '../model/progress';
import type { OptimizeEvent } from '../optimize/loop';
import type { Rewrite } from '../optimize/propose';
import type { OptimizeResult } from '../optimize/result';
import type { SuggestRequest } from '../optimize/suggest';
import { callback, startEngine } from './engine-client';
import { describeError } from './shared/describe-error';
import { applyProgress, type FileProgress } from './shared/file-progress';

export interface ModelChoice {
  /** Package folder URL (absolute or relative to the page). */
  model: string;
  backend: BackendChoice;
  quantization: Quantization;
}

export type Task = 'decode' | 'suggest' | 'optimize';

export class EngineState {
  #api: Remote<EngineApi>;
  #terminate: () => void;
  #loaded: Promise<ModelInfo> | undefined;
  #choice = $state.raw<ModelChoice | null>(null);
  #info = $state.raw<ModelInfo | null>(null);
  #files = $state.raw<FileProgress[]>([]);
  /** What the load is doing once the files are in, for the status line. */
  #stage = $state<LoadStage | null>(null);
  #loading = $state(false);
  #error = $state<string | null>(null);
  #task = $state<Task | null>(null);

  constructor() {
    ({ api: this.#api, terminate: this.#terminate } = startEngine());
  }

  get choice() {
    return this.#choice;
  }
  get info() {
    return this.#info;
  }
  /** The files of the load in progress, in the order they started. */
  get files() {
    return this.#files;
  }
  get loading() {
    return this.#loading;
  }
  get error() {
    return this.#error;
  }
  get task() {
    return this.#task;
  }
  get stage() {
    return this.#stage;
  }
  /** "WebGPU" or "WASM", once a model is loaded. */
  get backendName() {
    return this.#info ? (this.#info.backend === 'webgpu' ? 'WebGPU' : 'WASM') : null;
  }
  get ready() {
    return this.#info !== null && this.#task === null;
  }

  load(choice: ModelChoice): Promise<ModelInfo> {
    this.#choice = choice;
    this.#error = null;
    this.#info = null;
    this.#files = [];
    this.#loading = true;
    const wasmPaths = new URL(`${import.meta.env.BASE_URL}ort/`, location.href).href;
    const model = new URL(choice.model, location.href).href;
    const request = { model, backend: choice.backend, quantization: choice.quantization, wasmPaths };
    this.#stage = null;
    const loaded = this.#api.load(
      request,
      callback((p: LoadProgress) => {
        this.#files = applyProgress(this.#files, p);
        if (p.status === 'stage') this.#stage = p.stage;
      }),
    );
    this.#loaded = loaded;
    loaded.then(
      (info) => {
        if (this.#loaded === loaded) this.#info = info;
      },
      (error) => {
        if (this.#loaded === loaded) this.#error = describeError(error);
      },
    ).finally(() => {
      if (this.#loaded === loaded) this.#loading = false;
    });
    return loaded;
  }

  /**
   * Stops a load in progress. A load cannot be interrupted inside ONNX Runtime, so the worker is ended
   * (which also frees its WebAssembly memory) and a fresh one started, with no model until the next load.
   */
  cancelLoad(): void {
    if (!this.#loading) return;
    this.#terminate();
    ({ api: this.#api, terminate: this.#terminate } = startEngine());
    this.#loaded = undefined;
    this.#loading = false;
    this.#files = [];
    this.#error = 'Loading was cancelled: pick a model in Models to load one.';
  }

  infill(text: string, settings: Partial<InfillSettings>, onStep: (step: TraceStep) => void): Promise<InfillResult> {
    return this.#run('decode', (api) => api.infill(text, settings, callback(onStep)));
  }

  suggest(request: SuggestRequest, onProgress: (fraction: number) => void): Promise<Rewrite[]> {
    return this.#run('suggest', (api) => api.suggest(request, callback(onProgress)));
  }

  optimize(request: OptimizeRequest, onEvent: (event: OptimizeEvent) => void): Promise<OptimizeResult> {
    return this.#run('optimize', (api) => api.optimize(request, callback(onEvent)));
  }

  /** Tokens of `text` for the loaded model; null while no model is loaded. Never waits for a task to end. */
  async countTokens(text: string): Promise<number | null> {
    if (!this.#info) return null;
    return this.#api.countTokens(text);
  }

  /** Stops the running task; its promise rejects with an AbortError (or, for optimize, resolves "aborted"). */
  cancel(): void {
    void this.#api.cancel();
  }

  async #run<T>(task: Task, work: (api: Remote<EngineApi>) => Promise<T>): Promise<T> {
    if (!this.#loaded) throw new Error('No model is loading: pick one in Models.');
    if (this.#task) throw new Error(`The model is busy (${this.#task}): wait for it or stop it first.`);
    this.#task = task;
    try {
      await this.#loaded;
      return await work(this.#api);
    } finally {
      this.#task = null;
    }
  }
}

export const [getEngine, setEngine] = createContext<EngineState>();
