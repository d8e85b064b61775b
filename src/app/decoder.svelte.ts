// State of the infill page: the engine worker, the loaded model, and the last decode.
import type { Remote } from 'comlink';
import type { EngineApi } from '../../workers/engine-api';
import type { InfillResult, ModelInfo, TraceStep } from '../model/engine';
import type { BackendChoice, Quantization } from '../model/options';
import type { LoadProgress } from '../model/progress';
import { callback, isAbort, startEngine } from './engine-client';

export interface ModelChoice {
  model: string;
  backend: BackendChoice;
  quantization: Quantization;
}

export class Decoder {
  #api: Remote<EngineApi>;
  #loaded: Promise<ModelInfo> | undefined;
  #info = $state.raw<ModelInfo | null>(null);
  #loading = $state.raw<LoadProgress | null>(null);
  #busy = $state(false);
  #error = $state<string | null>(null);
  #result = $state.raw<InfillResult | null>(null);
  #steps = $state.raw<TraceStep[]>([]);

  constructor() {
    this.#api = startEngine().api;
  }

  get info() {
    return this.#info;
  }
  get loading() {
    return this.#loading;
  }
  get busy() {
    return this.#busy;
  }
  get error() {
    return this.#error;
  }
  get result() {
    return this.#result;
  }
  get steps() {
    return this.#steps;
  }

  load(choice: ModelChoice): Promise<ModelInfo> {
    this.#error = null;
    this.#info = null;
    const wasmPaths = new URL(`${import.meta.env.BASE_URL}ort/`, location.href).href;
    const model = new URL(choice.model, location.href).href;
    this.#loaded = this.#api
      .load({ model, backend: choice.backend, quantization: choice.quantization, wasmPaths }, callback((p: LoadProgress) => {
          this.#loading = p;
        }),
      )
      .then((info) => (this.#info = info));
    this.#loaded.catch((error) => (this.#error = describe(error))).finally(() => (this.#loading = null));
    return this.#loaded;
  }

  async decode(text: string, settings: Parameters<EngineApi['infill']>[1]): Promise<void> {
    if (!this.#loaded) return;
    this.#busy = true;
    this.#error = null;
    this.#steps = [];
    try {
      await this.#loaded;
      const steps: TraceStep[] = [];
      this.#result = await this.#api.infill(text, settings, callback((step: TraceStep) => {
        steps.push(step);
        this.#steps = [...steps];
      }));
    } catch (error) {
      if (!isAbort(error)) this.#error = describe(error);
    } finally {
      this.#busy = false;
    }
  }

  cancel(): void {
    void this.#api.cancel();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
