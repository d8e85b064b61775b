// Everything the Optimize view asks for, as one form: the prompt and its marks, the traces, the
// dataset, the target and the settings (form-fields.ts lists them, with their defaults). `config()`
// turns it into the optimizer's config (checked by the optimizer's own schema); `fill()` does the
// reverse for a run opened from History, and `useTaskDraft()` for a start from a task description.
import type { Quantization } from '../../model/options';
import type { ConfigInput } from '../../optimize/config';
import type { Example } from '../../optimize/dataset';
import type { Trace } from '../../optimize/layout';
import type { CharRange } from '../../optimize/prompt';
import type { TaskDraft } from '../../optimize/task-draft';
import { ApiKeyState } from './api-key.svelte';
import { DatasetState } from './dataset.svelte';
import { loadDraft, maxDraftDataset } from './draft';
import example from './example.json';
import {
  decodingFields,
  fieldByField,
  pick,
  providerDefaults,
  searchFields,
  settingsSchema,
  type Draft,
  type Settings,
  type TargetChoice,
  type TraceRow,
} from './form-fields';
import { addRange, shiftRanges, subtractRange } from './ranges';

const settingsKeys = settingsSchema.keyof().options;
const decodingKeys = decodingFields.keyof().options;
const searchKeys = searchFields.keyof().options;

export class OptimizeForm {
  #prompt = $state('');
  #locked = $state.raw<CharRange[]>([]);
  #marked = $state.raw<CharRange[]>([]);
  traces = $state<TraceRow[]>([]);
  readonly dataset = new DatasetState();
  #provider = $state<TargetChoice>('openai-compatible');
  /** The metric, target, DLM, search and budget fields, bound by the page as they are. */
  readonly settings = $state<Settings>(settingsSchema.parse({}));
  readonly apiKey = new ApiKeyState();

  constructor() {
    this.apiKey.use(this.#provider);
    this.#restore(loadDraft());
  }

  /** Everything the user typed, for the draft kept across reloads; no API key. */
  draft(): Draft {
    const d = this.dataset;
    return {
      ...this.settings,
      prompt: this.#prompt,
      locked: this.#locked,
      marked: this.#marked,
      traces: this.traces.map((t) => ({ ...t })),
      dataset: d.text && d.text.length <= maxDraftDataset ? { name: d.name, text: d.text, input: d.input, expected: d.expected, feedback: { ...d.feedback } } : null,
      provider: this.#provider,
    };
  }

  #restore(draft: Draft): void {
    this.setPrompt(draft.prompt, draft.locked, draft.marked);
    this.traces = draft.traces;
    if (draft.dataset) {
      this.dataset.input = draft.dataset.input;
      this.dataset.expected = draft.dataset.expected;
      this.dataset.set(draft.dataset.name, draft.dataset.text);
      this.dataset.feedback = draft.dataset.feedback;
    }
    this.provider = draft.provider;
    Object.assign(this.settings, pick(draft, settingsKeys));
  }

  get prompt() {
    return this.#prompt;
  }
  /** Edits keep the marks on their text. */
  set prompt(text: string) {
    this.#locked = shiftRanges(this.#prompt, text, this.#locked);
    this.#marked = shiftRanges(this.#prompt, text, this.#marked);
    this.#prompt = text;
  }
  get locked() {
    return this.#locked;
  }
  get marked() {
    return this.#marked;
  }

  /** Marks a selection locked (never edited) or to rewrite; a selection has one mark at most. */
  mark(range: CharRange, kind: 'locked' | 'marked'): void {
    if (range[1] <= range[0]) return;
    if (kind === 'locked') {
      this.#locked = addRange(this.#locked, range);
      this.#marked = subtractRange(this.#marked, range);
    } else {
      this.#marked = addRange(this.#marked, range);
      this.#locked = subtractRange(this.#locked, range);
    }
  }

  /** Removes the marks from a selection, or every mark when nothing is selected. */
  unmark(range: CharRange): void {
    const all: CharRange = range[1] > range[0] ? range : [0, this.#prompt.length];
    this.#locked = subtractRange(this.#locked, all);
    this.#marked = subtractRange(this.#marked, all);
  }

  setPrompt(text: string, locked: CharRange[], marked: CharRange[]): void {
    this.#prompt = text;
    this.#locked = locked;
    this.#marked = marked;
  }

  /** Earlier prompts replaced by a rewrite or a result, newest last: Undo goes back through them. */
  #revisions = $state.raw<Array<{ text: string; locked: CharRange[]; marked: CharRange[] }>>([]);

  get revisions() {
    return this.#revisions.length;
  }

  /** Replaces the prompt with a rewrite or a result, keeping the one it replaces for Undo. */
  usePrompt(text: string, locked: CharRange[], marked: CharRange[]): void {
    this.#revisions = [...this.#revisions, { text: this.#prompt, locked: this.#locked, marked: this.#marked }];
    this.setPrompt(text, locked, marked);
  }

  undoPrompt(): void {
    const last = this.#revisions.at(-1);
    if (!last) return;
    this.#revisions = this.#revisions.slice(0, -1);
    this.setPrompt(last.text, last.locked, last.marked);
  }

  get provider() {
    return this.#provider;
  }
  set provider(provider: TargetChoice) {
    const was = providerDefaults[this.#provider];
    const now = providerDefaults[provider];
    const s = this.settings;
    // Swap in the new provider's defaults unless the user typed their own.
    if (!s.baseURL || s.baseURL === was.baseURL) s.baseURL = now.baseURL;
    if (!s.model || s.model === was.model) s.model = now.model;
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
    return pick(this.settings, decodingKeys);
  }

  config(examples: Example[], dlm: { model: string; quant: Quantization }): ConfigInput {
    const s = this.settings;
    const metric: ConfigInput['metric'] = s.metric === 'regex' ? { regex: s.regex } : s.metric === 'judge' ? { judge: { rubric: s.rubric } } : s.metric;
    return {
      prompt: this.#prompt,
      locked: this.#locked,
      marked: this.#marked,
      dataset: { rows: examples },
      metric,
      target: this.target(),
      dlm: { model: dlm.model, quant: dlm.quant, ...this.decoding() },
      search: pick(s, searchKeys),
      feedback: this.dataset.feedbackOn(examples.length),
      budget: this.budget(),
    };
  }

  /** The target as the run config takes it; the worker makes every target call from this. */
  target(): ConfigInput['target'] {
    const s = this.settings;
    return this.#provider === 'local-mlm'
      ? { provider: 'local-mlm', labels: s.labels.split(',').map((l) => l.trim()).filter(Boolean) }
      : { provider: this.#provider, model: s.model.trim(), ...(s.baseURL.trim() ? { baseURL: s.baseURL.trim() } : {}) };
  }

  budget(): ConfigInput['budget'] {
    const { maxCalls, maxUSD } = this.settings;
    return { ...(maxCalls ? { maxTargetCalls: maxCalls } : {}), ...(maxUSD ? { maxUSD } : {}) };
  }

  /** Fills the form from a saved run's config; a setting the config leaves out takes its default, as the run did. */
  fill(config: ConfigInput): void {
    this.setPrompt(config.prompt, config.locked ?? [], config.marked ?? []);
    if ('rows' in config.dataset) this.dataset.setExamples('saved run', config.dataset.rows);
    this.dataset.feedback = { ...config.feedback };
    const s = this.settings;
    const m = config.metric;
    s.metric = typeof m === 'string' ? m : 'regex' in m ? 'regex' : 'judge';
    if (typeof m === 'object' && 'regex' in m) s.regex = m.regex;
    if (typeof m === 'object' && 'judge' in m) s.rubric = m.judge.rubric;
    if (config.target.provider === 'local-mlm') {
      this.provider = 'local-mlm';
      s.labels = config.target.labels.join(', ');
    } else {
      this.provider = config.target.provider;
      s.model = config.target.model;
      s.baseURL = config.target.baseURL ?? providerDefaults[config.target.provider].baseURL;
    }
    Object.assign(s, fieldByField(decodingFields, config.dlm), fieldByField(searchFields, config.search));
    s.maxCalls = config.budget?.maxTargetCalls ?? null;
    s.maxUSD = config.budget?.maxUSD ?? null;
  }

  /** A start from a task description: its prompt (Undo brings the old one back), its examples as the dataset, its metric. */
  useTaskDraft(draft: TaskDraft): void {
    this.usePrompt(draft.prompt, [], []);
    this.dataset.setExamples('synthetic-examples.jsonl', draft.examples);
    this.settings.metric = draft.metric;
    if (draft.labels) this.settings.labels = draft.labels.join(', ');
  }

  useExampleDataset(): void {
    this.dataset.set('bookshop-messages.csv', example.dataset);
  }
}
