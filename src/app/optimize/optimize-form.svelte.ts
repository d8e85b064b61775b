// Everything the Optimize view asks for, as one form: the prompt and its marks, the traces, the
// dataset and metric, the target, the DLM and search settings and the budget. `config()` turns it
// into the optimizer's config (checked by the optimizer's own schema); `fill()` does the reverse for
// a run opened from History.
import type { ConfidenceName } from '../../core/confidence';
import type { ScheduleName } from '../../core/schedule';
import type { Quantization } from '../../model/options';
import { dlmDefaults, searchDefaults, type ConfigInput } from '../../optimize/config';
import type { Example } from '../../optimize/dataset';
import type { Trace } from '../../optimize/layout';
import type { CharRange } from '../../optimize/prompt';
import type { Provider } from '../../targets/target';
import { ApiKeyState } from './api-key.svelte';
import { DatasetState } from './dataset.svelte';
import { loadDraft, maxDraftDataset, type Draft } from './draft';
import example from './example.json';
import { addRange, shiftRanges, subtractRange } from './ranges';

export type MetricKind = 'exact' | 'contains' | 'numeric' | 'regex' | 'judge';

export interface TraceRow {
  query: string;
  response: string;
  feedback: string;
}

/** An LLM provider, or the loaded model itself as an offline classifier (no network, no key). */
export type TargetChoice = Provider | 'local-mlm';

/** Where each provider answers by default; openai-compatible defaults to Remask's own `npm run local-llm`. */
export const providerDefaults: Record<TargetChoice, { baseURL: string; model: string; needsKey: boolean }> = {
  openai: { baseURL: 'https://api.openai.com/v1', model: 'gpt-4o-mini', needsKey: true },
  anthropic: { baseURL: 'https://api.anthropic.com/v1', model: 'claude-3-5-haiku-latest', needsKey: true },
  'openai-compatible': { baseURL: 'http://127.0.0.1:8090/v1', model: 'gemma-3-270m', needsKey: false },
  'local-mlm': { baseURL: '', model: '', needsKey: false },
};

export class OptimizeForm {
  #prompt = $state(example.prompt);
  #locked = $state.raw<CharRange[]>([]);
  #rewrite = $state.raw<CharRange[]>([]);
  traces = $state<TraceRow[]>(example.traces.map((t) => ({ ...t })));
  readonly dataset = new DatasetState();
  metric = $state<MetricKind>('exact');
  regex = $state('');
  rubric = $state('');
  #provider = $state<TargetChoice>('openai-compatible');
  /** The local classifier's labels, comma-separated as typed. */
  labels = $state('positive, negative');
  model = $state(providerDefaults['openai-compatible'].model);
  baseURL = $state(providerDefaults['openai-compatible'].baseURL);
  readonly apiKey = new ApiKeyState();
  steps = $state(dlmDefaults.steps);
  schedule = $state<ScheduleName>(dlmDefaults.schedule);
  confidence = $state<ConfidenceName>(dlmDefaults.confidence);
  temperature = $state(dlmDefaults.temperature);
  seed = $state(searchDefaults.seed);
  iterations = $state(searchDefaults.iterations);
  candidates = $state(searchDefaults.candidates);
  minibatch = $state(searchDefaults.minibatch);
  maxCalls = $state<number | null>(200);
  maxUSD = $state<number | null>(1);

  constructor() {
    this.apiKey.use(this.#provider);
    const draft = loadDraft();
    if (draft) this.#restore(draft);
  }

  /** Everything the user typed, for the draft kept across reloads; no API key. */
  draft(): Draft {
    const d = this.dataset;
    return {
      version: 1,
      prompt: this.#prompt,
      locked: this.#locked,
      rewrite: this.#rewrite,
      traces: this.traces.map((t) => ({ ...t })),
      dataset: d.text && d.text.length <= maxDraftDataset ? { name: d.name, text: d.text, input: d.input, expected: d.expected } : null,
      metric: this.metric,
      regex: this.regex,
      rubric: this.rubric,
      provider: this.#provider,
      labels: this.labels,
      model: this.model,
      baseURL: this.baseURL,
      steps: this.steps,
      schedule: this.schedule,
      confidence: this.confidence,
      temperature: this.temperature,
      seed: this.seed,
      iterations: this.iterations,
      candidates: this.candidates,
      minibatch: this.minibatch,
      maxCalls: this.maxCalls,
      maxUSD: this.maxUSD,
    };
  }

  #restore(draft: Draft): void {
    this.setPrompt(draft.prompt, draft.locked, draft.rewrite);
    this.traces = draft.traces;
    if (draft.dataset) {
      this.dataset.input = draft.dataset.input;
      this.dataset.expected = draft.dataset.expected;
      this.dataset.set(draft.dataset.name, draft.dataset.text);
    }
    this.provider = draft.provider;
    this.labels = draft.labels ?? this.labels;
    ({ metric: this.metric, regex: this.regex, rubric: this.rubric, model: this.model, baseURL: this.baseURL } = draft);
    ({ steps: this.steps, schedule: this.schedule, confidence: this.confidence, temperature: this.temperature, seed: this.seed } = draft);
    ({ iterations: this.iterations, candidates: this.candidates, minibatch: this.minibatch, maxCalls: this.maxCalls, maxUSD: this.maxUSD } = draft);
  }

  get prompt() {
    return this.#prompt;
  }
  /** Edits keep the marks on their text. */
  set prompt(text: string) {
    this.#locked = shiftRanges(this.#prompt, text, this.#locked);
    this.#rewrite = shiftRanges(this.#prompt, text, this.#rewrite);
    this.#prompt = text;
  }
  get locked() {
    return this.#locked;
  }
  get rewrite() {
    return this.#rewrite;
  }

  /** Marks a selection locked (never edited) or to rewrite; a selection has one mark at most. */
  mark(range: CharRange, kind: 'locked' | 'rewrite'): void {
    if (range[1] <= range[0]) return;
    if (kind === 'locked') {
      this.#locked = addRange(this.#locked, range);
      this.#rewrite = subtractRange(this.#rewrite, range);
    } else {
      this.#rewrite = addRange(this.#rewrite, range);
      this.#locked = subtractRange(this.#locked, range);
    }
  }

  /** Removes the marks from a selection, or every mark when nothing is selected. */
  unmark(range: CharRange): void {
    const all: CharRange = range[1] > range[0] ? range : [0, this.#prompt.length];
    this.#locked = subtractRange(this.#locked, all);
    this.#rewrite = subtractRange(this.#rewrite, all);
  }

  setPrompt(text: string, locked: CharRange[], rewrite: CharRange[]): void {
    this.#prompt = text;
    this.#locked = locked;
    this.#rewrite = rewrite;
  }

  /** Earlier prompts replaced by a rewrite or a result, newest last: Undo goes back through them. */
  #revisions = $state.raw<Array<{ text: string; locked: CharRange[]; rewrite: CharRange[] }>>([]);

  get revisions() {
    return this.#revisions.length;
  }

  /** Replaces the prompt with a rewrite or a result, keeping the one it replaces for Undo. */
  usePrompt(text: string, locked: CharRange[], rewrite: CharRange[]): void {
    this.#revisions = [...this.#revisions, { text: this.#prompt, locked: this.#locked, rewrite: this.#rewrite }];
    this.setPrompt(text, locked, rewrite);
  }

  undoPrompt(): void {
    const last = this.#revisions.at(-1);
    if (!last) return;
    this.#revisions = this.#revisions.slice(0, -1);
    this.setPrompt(last.text, last.locked, last.rewrite);
  }

  get provider() {
    return this.#provider;
  }
  set provider(provider: TargetChoice) {
    const was = providerDefaults[this.#provider];
    const now = providerDefaults[provider];
    // Swap in the new provider's defaults unless the user typed their own.
    if (!this.baseURL || this.baseURL === was.baseURL) this.baseURL = now.baseURL;
    if (!this.model || this.model === was.model) this.model = now.model;
    this.#provider = provider;
    this.apiKey.use(provider);
  }
  get needsKey() {
    return providerDefaults[this.#provider].needsKey;
  }

  /** Traces with some text, as the DLM reads them. */
  filledTraces(): Trace[] {
    return this.traces
      .filter((t) => t.query.trim() || t.response.trim())
      .map((t) => ({ query: t.query, response: t.response, ...(t.feedback.trim() ? { feedback: t.feedback } : {}) }));
  }

  decoding() {
    return { steps: this.steps, schedule: this.schedule, confidence: this.confidence, temperature: this.temperature };
  }

  config(examples: Example[], dlm: { model: string; quant: Quantization }): ConfigInput {
    const metric: ConfigInput['metric'] =
      this.metric === 'regex' ? { regex: this.regex } : this.metric === 'judge' ? { judge: { rubric: this.rubric } } : this.metric;
    return {
      prompt: this.#prompt,
      locked: this.#locked,
      rewrite: this.#rewrite,
      dataset: { rows: examples },
      metric,
      target:
        this.#provider === 'local-mlm'
          ? { provider: 'local-mlm', labels: this.labels.split(',').map((l) => l.trim()).filter(Boolean) }
          : { provider: this.#provider, model: this.model.trim(), ...(this.baseURL.trim() ? { baseURL: this.baseURL.trim() } : {}) },
      dlm: { model: dlm.model, quant: dlm.quant, ...this.decoding() },
      search: { iterations: this.iterations, candidates: this.candidates, minibatch: this.minibatch, seed: this.seed },
      budget: this.budget(),
    };
  }

  budget(): ConfigInput['budget'] {
    return {
      ...(this.maxCalls ? { maxTargetCalls: this.maxCalls } : {}),
      ...(this.maxUSD ? { maxUSD: this.maxUSD } : {}),
    };
  }

  /** Fills the form from a saved run's config. */
  fill(config: ConfigInput): void {
    this.setPrompt(config.prompt, config.locked ?? [], config.rewrite ?? []);
    if ('rows' in config.dataset) this.dataset.setExamples('saved run', config.dataset.rows);
    const m = config.metric;
    this.metric = typeof m === 'string' ? m : 'regex' in m ? 'regex' : 'judge';
    if (typeof m === 'object' && 'regex' in m) this.regex = m.regex;
    if (typeof m === 'object' && 'judge' in m) this.rubric = m.judge.rubric;
    if (config.target.provider === 'local-mlm') {
      this.provider = 'local-mlm';
      this.labels = config.target.labels.join(', ');
    } else {
      this.provider = config.target.provider;
      this.model = config.target.model;
      this.baseURL = config.target.baseURL ?? providerDefaults[config.target.provider].baseURL;
    }
    const d = config.dlm ?? {};
    this.steps = d.steps ?? this.steps;
    this.schedule = d.schedule ?? this.schedule;
    this.confidence = d.confidence ?? this.confidence;
    this.temperature = d.temperature ?? this.temperature;
    const s = config.search ?? {};
    this.iterations = s.iterations ?? this.iterations;
    this.candidates = s.candidates ?? this.candidates;
    this.minibatch = s.minibatch ?? this.minibatch;
    this.seed = s.seed ?? this.seed;
    this.maxCalls = config.budget?.maxTargetCalls ?? null;
    this.maxUSD = config.budget?.maxUSD ?? null;
  }

  useExampleDataset(): void {
    this.dataset.set('bookshop-messages.csv', example.dataset);
  }
}
