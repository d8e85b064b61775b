// One optimize run as the page follows it: started, resumed or opened from History; its progress,
// live candidates, spend and result. The run record is saved to History at every checkpoint, so a
// reload loses at most the iteration in progress, and a run cut off that way can be resumed.
import type { ConfigInput } from '../../optimize/config';
import type { OptimizeEvent } from '../../optimize/loop';
import type { CandidateRecord, ScoredPrompt } from '../../optimize/result';
import type { RunUsage } from '../../optimize/meter';
import { isAbort } from '../engine-client';
import type { EngineState } from '../engine.svelte';
import type { HistoryState } from '../history/history.svelte';
import { newId, titleOf, type RunRecord } from '../history/records';
import { saveRecord } from '../history/store';
import { describeError } from '../shared/describe-error';
import { probeTarget } from '../../targets/probe';

export interface Estimate {
  calls: number;
  usd: number;
  pricesKnown: boolean;
}

export class RunState {
  #record = $state.raw<RunRecord | null>(null);
  #progress = $state.raw<{ iteration: number; of: number } | null>(null);
  #best = $state.raw<ScoredPrompt | null>(null);
  #liveUsage = $state.raw<RunUsage | null>(null);
  #running = $state(false);
  #stopping = $state(false);
  #error = $state<string | null>(null);
  #saving: Promise<void> = Promise.resolve();
  readonly #engine: EngineState;
  readonly #history: HistoryState;

  constructor(engine: EngineState, history: HistoryState) {
    this.#engine = engine;
    this.#history = history;
  }

  get record() {
    return this.#record;
  }
  get running() {
    return this.#running;
  }
  get stopping() {
    return this.#stopping;
  }
  get error() {
    return this.#error;
  }
  /** Every candidate so far: those of finished iterations, then those of the one in progress. */
  get candidates(): CandidateRecord[] {
    const r = this.#record;
    return r ? [...(r.result?.candidates ?? []), ...r.live] : [];
  }
  get best(): ScoredPrompt | null {
    return this.#record?.result?.best ?? this.#best ?? this.#record?.initial ?? null;
  }
  get initial(): ScoredPrompt | null {
    return this.#record?.result?.initial ?? this.#record?.initial ?? null;
  }
  /** Spend so far: updated after every scored candidate, and at every checkpoint. */
  get usage() {
    return this.#liveUsage ?? this.#record?.result?.usage ?? null;
  }
  get iterations(): number {
    return this.#record?.config.search?.iterations ?? 0;
  }
  get iterationsDone(): number {
    return this.#record?.result?.iterations.length ?? 0;
  }
  /** Share of the run done, counting the candidates of the iteration in progress. */
  get progress(): number {
    const r = this.#record;
    if (!r || this.iterations === 0) return 0;
    if (r.status === 'finished') return 1;
    const perIteration = r.config.search?.candidates ?? 1;
    return Math.min(1, (this.iterationsDone + Math.min(1, r.live.length / perIteration)) / this.iterations);
  }
  get iteration() {
    return this.#progress;
  }
  get resumable(): boolean {
    const status = this.#record?.status;
    return !this.#running && (status === 'stopped' || status === 'interrupted' || status === 'failed');
  }

  async start(config: ConfigInput, model: string, apiKey: string): Promise<void> {
    const now = Date.now();
    const record: RunRecord = {
      kind: 'optimize',
      id: newId(),
      title: titleOf(config.prompt),
      createdAt: now,
      updatedAt: now,
      status: 'running',
      config,
      model,
      initial: null,
      result: null,
      live: [],
      error: null,
    };
    await this.#execute(record, apiKey);
  }

  /** Goes on from the last checkpoint; only the budget and the feedback may change (the optimizer checks the rest). */
  async resume(change: Pick<ConfigInput, 'budget' | 'feedback'>, apiKey: string): Promise<void> {
    const record = this.#record;
    if (!record || this.#running) return;
    await this.#execute({ ...record, config: { ...record.config, ...change } }, apiKey);
  }

  stop(): void {
    if (!this.#running) return;
    this.#stopping = true;
    this.#engine.cancel();
  }

  open(record: RunRecord): void {
    if (this.#running) return;
    this.#record = record;
    this.#best = null;
    this.#progress = null;
    this.#error = record.error;
  }

  async #execute(record: RunRecord, apiKey: string): Promise<void> {
    this.#running = true;
    this.#stopping = false;
    this.#error = null;
    this.#best = null;
    this.#progress = null;
    this.#update({ ...record, status: 'running', live: [], error: null });
    try {
      const absent = await probeTarget(record.config.target);
      if (absent) throw new Error(absent);
      const result = await this.#engine.optimize(
        { config: record.config, apiKey: apiKey || undefined, previous: record.result ?? undefined },
        (event) => this.#onEvent(event),
      );
      this.#update({ result, live: [], status: result.stopReason === 'aborted' ? 'stopped' : 'finished' });
    } catch (error) {
      if (isAbort(error)) {
        this.#update({ status: 'stopped', live: [] });
      } else {
        this.#error = describeError(error);
        this.#update({ status: 'failed', live: [], error: this.#error });
      }
    } finally {
      this.#running = false;
      this.#stopping = false;
      await this.#saving;
      void this.#history.refresh();
    }
  }

  #onEvent(event: OptimizeEvent): void {
    switch (event.type) {
      case 'initial':
        this.#update({ initial: event.initial });
        break;
      case 'iteration':
        this.#progress = { iteration: event.iteration, of: event.of };
        break;
      case 'candidate':
        this.#liveUsage = event.usage;
        this.#update({ live: [...(this.#record?.live ?? []), event.candidate] }, false);
        break;
      case 'best':
        this.#best = event.best;
        break;
      case 'checkpoint':
        this.#liveUsage = null;
        this.#update({ result: event.result, live: [] });
        break;
      default:
        break;
    }
  }

  /** Changes the record and (unless told not to) queues a save, in order. */
  #update(change: Partial<RunRecord>, save = true): void {
    if (!this.#record && !('id' in change)) return;
    const record: RunRecord = { ...(this.#record as RunRecord), ...change, updatedAt: Date.now() };
    this.#record = record;
    if (save) this.#saving = this.#saving.then(() => saveRecord(record)).catch(() => {});
  }
}
