// The Optimize view's state: the form, the start from a task description, the no-target rewrites, and
// the run with a target. The config is checked with the optimizer's own schema as the user types, so
// problems show before Run.
import { createContext } from 'svelte';
import { parseOptimizeConfig, type ConfigInput } from '../../optimize/config';
import { estimate } from '../../optimize/estimate';
import type { EngineState } from '../engine.svelte';
import type { HistoryState } from '../history/history.svelte';
import type { RunRecord, SuggestRecord } from '../history/records';
import { saveRecord } from '../history/store';
import { describeError } from '../shared/describe-error';
import { OptimizeForm } from './optimize-form.svelte';
import { RunState, type Estimate } from './run.svelte';
import { SuggestState } from './suggest.svelte';
import { TaskDraftState } from './task-draft.svelte';

export class OptimizeState {
  readonly form = new OptimizeForm();
  readonly taskDraft: TaskDraftState;
  readonly suggest: SuggestState;
  readonly run: RunState;
  #interrupted = $state.raw<RunRecord | null>(null);
  readonly #engine: EngineState;

  constructor(engine: EngineState, history: HistoryState) {
    this.#engine = engine;
    this.taskDraft = new TaskDraftState(engine);
    this.suggest = new SuggestState(engine);
    this.run = new RunState(engine, history);
  }

  /** The run's config, or what must change before it can run. */
  readonly checked = $derived.by((): { config: ConfigInput; estimate: Estimate } | { error: string } => {
    if (this.form.prompt.trim() === '') return { error: 'Write a system prompt first: there is nothing to optimize.' };
    const { examples, error } = this.form.dataset.parsed;
    if (error) return { error };
    if (examples.length === 0) return { error: 'Add a dataset: upload a CSV or JSONL file, or use the example dataset.' };
    const model = this.#engine.info ?? this.#engine.choice;
    const config = this.form.config(examples, { model: model?.model ?? '', quant: (this.#engine.info?.quantization ?? this.#engine.choice?.quantization) ?? 'int8' });
    try {
      const parsed = parseOptimizeConfig(config);
      const judging = typeof parsed.metric === 'object' && 'judge' in parsed.metric;
      return { config, estimate: estimate(parsed, examples, judging ? 2 : 1) };
    } catch (error) {
      return { error: describeError(error) };
    }
  });

  get interrupted() {
    return this.#interrupted;
  }

  async start(): Promise<void> {
    const checked = this.checked;
    if ('error' in checked) return;
    if (this.form.needsKey && !this.form.apiKey.key) return;
    await this.run.start(checked.config, this.#engine.info?.model ?? '', this.form.apiKey.key);
  }

  async resume(): Promise<void> {
    this.#interrupted = null;
    const rows = this.run.record?.config.dataset;
    const feedback = this.form.dataset.feedbackOn(rows && 'rows' in rows ? rows.rows.length : 0);
    await this.run.resume({ budget: this.form.budget(), feedback }, this.form.apiKey.key);
  }

  /** Shows a saved run and fills the form with its settings. */
  open(record: RunRecord): void {
    if (this.run.running) return;
    this.form.fill(record.config);
    this.run.open(record);
  }

  /** Suggested rewrites from History, with the prompt and traces they were made from back in the form. */
  openSuggestion(record: SuggestRecord): void {
    if (this.suggest.running) return;
    const { request } = record;
    this.form.setPrompt(request.prompt, request.locked, request.marked);
    this.form.traces = request.traces.map((t) => ({ query: t.query, response: t.response, feedback: t.feedback ?? '' }));
    this.suggest.open(record);
  }

  /** Runs still marked running when the page starts were cut off by a reload: offer to resume the newest. */
  async findInterrupted(records: readonly { kind: string }[]): Promise<void> {
    const cut = records.filter((r): r is RunRecord => r.kind === 'optimize' && (r as RunRecord).status === 'running');
    for (const record of cut) await saveRecord({ ...record, status: 'interrupted' }).catch(() => {});
    const newest = cut[0];
    if (newest && !this.run.running) {
      const record = { ...newest, status: 'interrupted' as const, live: [] };
      this.#interrupted = record;
      this.open(record);
    }
  }

  dismissInterrupted(): void {
    this.#interrupted = null;
  }
}

export const [getOptimize, setOptimize] = createContext<OptimizeState>();
