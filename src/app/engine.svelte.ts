// The page's one engine worker and the model loaded in it, shared by every view. The newest request
// wins, here as in the worker: a newer request (a load too) aborts the older, whose reply is then
// dropped. `task` says what the newest request is, so that views wait their turn instead of
// cancelling each other's work.
import { createContext } from 'svelte';
import type { Remote } from 'comlink';
import type { EngineApi, OptimizeRequest, TaskDraftRequest } from '../../workers/engine-api';
import type { CachedPackage } from '../model/cache';
import type { InfillResult, InfillSettings, ModelInfo } from '../model/engine';
import type { TraceStep } from '../model/trace-step';
import type { BackendChoice, Quantization } from '../model/options';
import type { LoadProgress, LoadStage } from '../model/progress';
import type { OptimizeEvent } from '../optimize/loop';
import type { Rewrite } from '../optimize/propose';
import type { OptimizeResult } from '../optimize/result';
import type { SuggestRequest } from '../optimize/suggest';
import type { TaskDraft } from '../optimize/task-draft';
import { callback, RequestIds, startEngine } from './engine-client';
import { describeError } from './shared/describe-error';
import { applyProgress, type FileProgress } from './shared/file-progress';

export interface ModelChoice {
  /** Package folder URL (absolute or relative to the page). */
  model: string;
  backend: BackendChoice;
  quantization: Quantization;
}

export type Task = 'decode' | 'suggest' | 'optimize' | 'draft';

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
  #requests = new RequestIds();
  /** Rejects the download in progress, if any (the worker running it was ended). */
  #downloadEnded: ((reason: unknown) => void) | null = null;

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
    // The worker aborts the running request: its reply is dropped.
    this.#requests.next();
    this.#task = null;
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
    this.#downloadEnded?.(new DOMException('The download stopped: the engine restarted when the load was cancelled.', 'AbortError'));
    ({ api: this.#api, terminate: this.#terminate } = startEngine());
    this.#loaded = undefined;
    this.#loading = false;
    this.#files = [];
    this.#error = 'Loading was cancelled: pick a model in Models to load one.';
  }

  infill(text: string, settings: Partial<InfillSettings>, onStep: (step: TraceStep) => void): Promise<InfillResult> {
    return this.#run('decode', (api, live) => api.infill(text, settings, live(onStep)));
  }

  suggest(request: SuggestRequest, onProgress: (fraction: number) => void): Promise<Rewrite[]> {
    return this.#run('suggest', (api, live) => api.suggest(request, live(onProgress)));
  }

  optimize(request: OptimizeRequest, onEvent: (event: OptimizeEvent) => void): Promise<OptimizeResult> {
    return this.#run('optimize', (api, live) => api.optimize(request, live(onEvent)));
  }

  /** A start from a task description, through the target alone: it needs no model, only waits for a load in progress. */
  draftTask(request: TaskDraftRequest): Promise<TaskDraft> {
    return this.#run('draft', (api) => api.draftTask(request), { needsModel: false });
  }

  /** Tokens of `text` for the loaded model; null while no model is loaded. Never waits for a task to end. */
  async countTokens(text: string): Promise<number | null> {
    if (!this.#info) return null;
    return this.#api.countTokens(text);
  }

  /**
   * Fetches a package into the worker's model cache beside whatever runs (see EngineApi.download). A
   * worker ended by cancelLoad answers nothing more, so the download in it is rejected here.
   */
  download(source: string, quantization: Quantization, onProgress: (progress: LoadProgress) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#downloadEnded = reject;
      this.#api.download(source, quantization, callback(onProgress)).then(resolve, reject);
    }).finally(() => (this.#downloadEnded = null));
  }

  cancelDownload(): void {
    void this.#api.cancelDownload();
  }

  cachedPackages(): Promise<CachedPackage[]> {
    return this.#api.cachedPackages();
  }

  removeCachedPackage(source: string): Promise<void> {
    return this.#api.removeCachedPackage(source);
  }

  /** Stops the running task; its promise rejects with an AbortError (or, for optimize, resolves "aborted"). */
  cancel(): void {
    void this.#api.cancel();
  }

  /** Sends `work` as the newest request; `live` makes a callback the worker can call, silent once a newer request starts. */
  async #run<T>(
    task: Task,
    work: (api: Remote<EngineApi>, live: <V>(f: (value: V) => void) => (value: V) => void) => Promise<T>,
    { needsModel = true } = {},
  ): Promise<T> {
    if (needsModel && !this.#loaded) throw new Error('No model is loading: pick one in Models.');
    const id = this.#requests.next();
    this.#task = task;
    try {
      // A load in progress is a request too: a newer one would abort it.
      await (needsModel ? this.#loaded : this.#loaded?.catch(() => {}));
      return await this.#requests.send(id, () => work(this.#api, (f) => callback(this.#requests.live(id, f))));
    } finally {
      if (this.#requests.isNewest(id)) this.#task = null;
    }
  }
}

export const [getEngine, setEngine] = createContext<EngineState>();
