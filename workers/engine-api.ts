// The engine worker's API: the one interface the UI calls through comlink (`Remote<EngineApi>`).
import type { InfillResult, InfillSettings, LoadRequest, ModelInfo, TraceStep } from '../src/model/engine';
import type { ProgressCallback } from '../src/model/progress';

export interface EngineApi {
  /** Loads a model package, replacing any loaded one. */
  load(request: LoadRequest, onProgress?: ProgressCallback): Promise<ModelInfo>;
  /**
   * Infills the [MASK]s of `text`. A newer call supersedes an older one still running: the older
   * rejects with an AbortError, which callers treat as "replaced", not as a failure.
   */
  infill(text: string, settings: Partial<InfillSettings>, onStep?: (step: TraceStep) => void): Promise<InfillResult>;
  /** Stops the running infill, if any. */
  cancel(): void;
}
