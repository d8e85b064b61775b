// The Models view's state: the embedded model, the packages cached in IndexedDB, and a download in
// progress (per file, cancellable). The engine worker does the downloading and the cache's bookkeeping;
// this class shows it.
import { createContext } from 'svelte';
import type { CachedPackage } from '../../model/cache';
import { defaultQuantization } from '../../model/embedded';
import type { Quantization } from '../../model/options';
import type { LoadProgress } from '../../model/progress';
import { isAbort } from '../engine-client';
import type { EngineState } from '../engine.svelte';
import { embeddedModelUrl, rememberChoice } from '../model-choice';
import { describeError } from '../shared/describe-error';
import { applyProgress, type FileProgress } from '../shared/file-progress';
import { packageSource } from './model-source';

export class ModelsState {
  #cached = $state.raw<CachedPackage[]>([]);
  #files = $state.raw<FileProgress[]>([]);
  #downloading = $state<string | null>(null);
  #error = $state<string | null>(null);
  #notice = $state<string | null>(null);
  readonly #engine: EngineState;

  constructor(engine: EngineState) {
    this.#engine = engine;
    void this.refresh();
  }

  get cached() {
    return this.#cached;
  }
  get files() {
    return this.#files;
  }
  get downloading() {
    return this.#downloading;
  }
  get error() {
    return this.#error;
  }
  get notice() {
    return this.#notice;
  }

  /** Absolute URL of the embedded model, as the worker and the cache name it. */
  get embedded(): string {
    return new URL(embeddedModelUrl, location.href).href;
  }

  /** Models to pick from: the embedded one, every cached one, and the current one. */
  choices(current?: string): string[] {
    const all = [embeddedModelUrl, ...this.#cached.map((p) => p.source).filter((s) => s !== this.embedded)];
    return current && !all.includes(current) && new URL(current, location.href).href !== this.embedded ? [current, ...all] : all;
  }

  async refresh(): Promise<void> {
    try {
      this.#cached = await this.#engine.cachedPackages();
    } catch (error) {
      this.#error = `The model cache cannot be read (${describeError(error)})`;
    }
  }

  async download(input: string, quantization: Quantization): Promise<void> {
    if (this.#downloading) return;
    this.#error = null;
    this.#notice = null;
    let source: string;
    try {
      source = new URL(packageSource(input), location.href).href;
    } catch (error) {
      this.#error = describeError(error);
      return;
    }
    this.#downloading = source;
    this.#files = [];
    try {
      await this.#engine.download(source, quantization, (p: LoadProgress) => (this.#files = applyProgress(this.#files, p)));
      this.#notice = `Downloaded ${source} (${quantization}). Press "Use" to load it.`;
    } catch (error) {
      this.#error = isAbort(error) ? 'Download cancelled; the files that were complete stay cached.' : describeError(error);
      // Only the finished files are left to show: an unfinished one would sit there "starting…" forever.
      this.#files = this.#files.filter((f) => f.done);
    } finally {
      this.#downloading = null;
      await this.refresh();
    }
  }

  cancel(): void {
    this.#engine.cancelDownload();
  }

  /**
   * Deletes a model's files. Removing the model in use also stops using it: the built-in model is loaded
   * and remembered instead, or the next visit would load (and download) the removed one again.
   */
  async remove(source: string): Promise<void> {
    const choice = this.#engine.choice;
    const inUse = choice !== null && new URL(choice.model, location.href).href === source;
    await this.#engine.removeCachedPackage(source);
    if (inUse) this.use(this.embedded, defaultQuantization(choice.backend));
    this.#notice = inUse ? `Removed ${source} from this device; the built-in model is in use again.` : `Removed ${source} from this device.`;
    await this.refresh();
  }

  use(source: string, quantization: Quantization): void {
    const choice = { model: source, backend: this.#engine.choice?.backend ?? 'auto', quantization } as const;
    rememberChoice(choice);
    void this.#engine.load(choice);
  }
}

export const [getModels, setModels] = createContext<ModelsState>();
