// Runs a prompt on dataset rows through the target and scores the answers with the metric. Every answer
// is kept by (prompt, row), so a prompt is never asked the same question twice in a run, and the answers
// travel with the result, so a resumed run does not pay for them again either. The user's feedback on
// a row's answer (config.feedback) joins that row's trace whatever the prompt, so the proposers read it
// whenever the row is in a minibatch (Promptomatix's feedback loop); it is not saved with the answers.
import type { Target } from '../targets/target';
import { ConfigError } from './config';
import type { Example } from './dataset';
import type { Trace } from './layout';
import type { Meter } from './meter';
import { JudgeAnswerError, type Metric } from './metrics';

export interface Evaluation {
  /** Mean metric over the rows, in [0, 1]. */
  score: number;
  /** Per row, in the order asked: the metric's value for that row's answer. */
  values: number[];
  traces: Trace[];
}

/** The answers a run has paid for: each prompt once, each answer by prompt and row (as loaded). */
export interface SavedAnswers {
  prompts: string[];
  answers: Array<{ prompt: number; row: number; response: string; score: number; feedback?: string }>;
}

export class Scorer {
  readonly #target: Target;
  readonly #metric: Metric;
  readonly #meter: Meter;
  readonly #examples: readonly Example[];
  /** Target calls one example costs: one answer, plus one judgement for an LLM-judge metric. */
  readonly #callsPerExample: number;
  readonly #answers = new Map<string, Trace>();
  /** The user's words on the answers to single rows, by row. */
  readonly #feedback: ReadonlyMap<number, string>;

  constructor(
    target: Target,
    metric: Metric,
    meter: Meter,
    examples: readonly Example[],
    callsPerExample: number,
    saved?: SavedAnswers,
    feedback: Readonly<Record<string, string>> = {},
  ) {
    this.#target = target;
    this.#metric = metric;
    this.#meter = meter;
    this.#examples = examples;
    this.#callsPerExample = callsPerExample;
    this.#feedback = userFeedback(feedback, examples.length);
    for (const a of saved?.answers ?? []) {
      const example = examples[a.row];
      const prompt = saved!.prompts[a.prompt];
      if (example === undefined || prompt === undefined) continue; // not this dataset's: ask again
      this.#answers.set(key(prompt, a.row), { query: example.input, response: a.response, score: a.score, ...(a.feedback ? { feedback: a.feedback } : {}) });
    }
  }

  /** Calls evaluating `prompt` on `rows` would still make (answers already known are free). */
  pendingCalls(prompt: string, rows: readonly number[]): number {
    return rows.filter((row) => !this.#answers.has(key(prompt, row))).length * this.#callsPerExample;
  }

  async evaluate(prompt: string, rows: readonly number[], signal?: AbortSignal): Promise<Evaluation> {
    this.#meter.reserve(this.pendingCalls(prompt, rows));
    const traces = await Promise.all(rows.map(async (row) => withFeedback(await this.#answer(prompt, row, signal), this.#feedback.get(row))));
    const values = traces.map((t) => t.score ?? 0);
    const score = values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);
    return { score, values, traces };
  }

  /** Every answer so far, for the result file. */
  saved(): SavedAnswers {
    const prompts: string[] = [];
    const index = new Map<string, number>();
    const answers: SavedAnswers['answers'] = [];
    for (const [k, trace] of this.#answers) {
      const cut = k.lastIndexOf('\u0000');
      const prompt = k.slice(0, cut);
      if (!index.has(prompt)) index.set(prompt, prompts.push(prompt) - 1);
      answers.push({ prompt: index.get(prompt)!, row: Number(k.slice(cut + 1)), response: trace.response, score: trace.score ?? 0, ...(trace.feedback ? { feedback: trace.feedback } : {}) });
    }
    return { prompts, answers };
  }

  async #answer(prompt: string, row: number, signal?: AbortSignal): Promise<Trace> {
    const known = this.#answers.get(key(prompt, row));
    if (known) return known;
    const example = this.#examples[row];
    const { text } = await this.#target.complete({ system: prompt, user: example.input, signal });
    const { score, feedback } = await this.#metric.score(text, example.expected, example.input, signal).catch((error: unknown) => {
      // A judge that answers without a readable score gives this answer no credit, not a failed run.
      if (error instanceof JudgeAnswerError) return { score: 0, feedback: undefined };
      throw error;
    });
    const trace: Trace = { query: example.input, response: text, score, ...(feedback ? { feedback } : {}) };
    this.#answers.set(key(prompt, row), trace);
    return trace;
  }
}

/** The non-blank feedback by row; a row the dataset does not have is an error, not a silent no-op. */
function userFeedback(feedback: Readonly<Record<string, string>>, rows: number): Map<number, string> {
  const byRow = new Map<number, string>();
  for (const [row, text] of Object.entries(feedback)) {
    if (Number(row) >= rows) throw new ConfigError(`config.feedback names row ${row}, but the dataset has ${rows} rows (counted from 0): remove it or check the dataset.`);
    if (text.trim()) byRow.set(Number(row), text.trim());
  }
  return byRow;
}

/** The user's words first, then the metric's (a judge's) if any. */
function withFeedback(trace: Trace, user: string | undefined): Trace {
  return user ? { ...trace, feedback: trace.feedback ? `${user} ${trace.feedback}` : user } : trace;
}

function key(prompt: string, row: number): string {
  return `${prompt}\u0000${row}`;
}
