// The engine worker's API: the one interface the UI calls through comlink (`Remote<EngineApi>`).
import type { InfillResult, InfillSettings, LoadRequest, ModelInfo } from '../src/model/engine';
import type { TraceStep } from '../src/model/trace-step';
import type { CachedPackage } from '../src/model/cache';
import type { Quantization } from '../src/model/options';
import type { ProgressCallback } from '../src/model/progress';
import type { ConfigInput } from '../src/optimize/config';
import type { Example } from '../src/optimize/dataset';
import type { OptimizeEvent } from '../src/optimize/loop';
import type { Rewrite } from '../src/optimize/propose';
import type { OptimizeResult } from '../src/optimize/result';
import type { SuggestRequest } from '../src/optimize/suggest';
import type { DraftStrategy, TaskDraft } from '../src/optimize/task-draft';
import type { TargetConfig } from '../src/targets/target';

export interface OptimizeRequest {
  config: ConfigInput;
  /** The dataset, parsed in the page (a browser has no file paths); overrides config.dataset. */
  examples?: Example[];
  /** Kept in the worker's memory for this run only; sent to the target's provider and nowhere else. */
  apiKey?: string;
  /** A stopped run to go on from. */
  previous?: OptimizeResult;
}

/** A start from a task description (Promptomatix): the target reads it and writes the prompt and examples. */
export interface TaskDraftRequest {
  task: string;
  strategy: DraftStrategy;
  /** Examples to write for the dataset. */
  count: number;
  target: TargetConfig;
  /** Kept in the worker's memory for this request only; sent to the target's provider and nowhere else. */
  apiKey?: string;
}

/**
 * The newest request wins: a load, infill, suggest or optimize aborts the one running, which rejects
 * with an AbortError that callers treat as "replaced", not as a failure; the newer one starts once the
 * older has stopped. So no method takes an AbortSignal, and a callback is its own last argument, not a
 * field of an options object as elsewhere in Remask: comlink proxies only a function passed as an argument.
 */
export interface EngineApi {
  /** Loads a model package, replacing any loaded one; the old one is released once the request it aborted has stopped. */
  load(request: LoadRequest, onProgress?: ProgressCallback): Promise<ModelInfo>;
  /** Infills the [MASK]s of `text`; onStep gets every step, its typed arrays transferred, not copied. */
  infill(text: string, settings: Partial<InfillSettings>, onStep?: (step: TraceStep) => void): Promise<InfillResult>;
  /** Rewrites of a prompt from the DLM alone, conditioned on traces (no target, no key); onProgress gets the share written. */
  suggest(request: SuggestRequest, onProgress?: (fraction: number) => void): Promise<Rewrite[]>;
  /** Runs the optimizer with the loaded model as the DLM; cancel() ends it with stopReason "aborted". */
  optimize(request: OptimizeRequest, onEvent?: (event: OptimizeEvent) => void): Promise<OptimizeResult>;
  /** A first prompt, synthetic examples and their metric from a task description, through the target; needs no model. */
  draftTask(request: TaskDraftRequest): Promise<TaskDraft>;
  /** Stops the running request, if any. */
  cancel(): void;
  /**
   * Fetches a model package into the model cache ahead of use (the Models view), beside the running
   * request: a download neither replaces one nor is replaced by one, only by a newer download.
   */
  download(source: string, quantization: Quantization, onProgress?: ProgressCallback): Promise<void>;
  /** Stops the download in progress, if any; the files it finished stay cached. */
  cancelDownload(): void;
  /** Every cached package, newest first. */
  cachedPackages(): Promise<CachedPackage[]>;
  /** Deletes a cached package's files. */
  removeCachedPackage(source: string): Promise<void>;
  /** Tokens of `text` for the loaded model (the page's token meter); answered between forward passes. */
  countTokens(text: string): Promise<number>;
}
