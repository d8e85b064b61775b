// Runs a prompt on examples through the target and scores the answers with the metric. Every answer
// is kept by (prompt, input), so a prompt is never asked the same question twice in a run.
import type { Target } from '../targets/target';
import type { Example } from './dataset';
import type { Trace } from './layout';
import type { Meter } from './meter';
import { JudgeAnswerError, type Metric } from './metrics';

export interface Evaluation {
  /** Mean metric over the examples, in [0, 1]. */
  score: number;
  traces: Trace[];
}

export class Scorer {
  readonly #target: Target;
  readonly #metric: Metric;
  readonly #meter: Meter;
  /** Target calls one example costs: one answer, plus one judgement for an LLM-judge metric. */
  readonly #callsPerExample: number;
  readonly #answers = new Map<string, Trace>();

  constructor(target: Target, metric: Metric, meter: Meter, callsPerExample: number) {
    this.#target = target;
    this.#metric = metric;
    this.#meter = meter;
    this.#callsPerExample = callsPerExample;
  }

  /** Calls evaluating `prompt` on `examples` would still make (answers already known are free). */
  pendingCalls(prompt: string, examples: readonly Example[]): number {
    return examples.filter((e) => !this.#answers.has(key(prompt, e))).length * this.#callsPerExample;
  }

  async evaluate(prompt: string, examples: readonly Example[], signal?: AbortSignal): Promise<Evaluation> {
    this.#meter.reserve(this.pendingCalls(prompt, examples));
    const traces = await Promise.all(examples.map((example) => this.#answer(prompt, example, signal)));
    const score = traces.reduce((sum, t) => sum + (t.score ?? 0), 0) / Math.max(1, traces.length);
    return { score, traces };
  }

  async #answer(prompt: string, example: Example, signal?: AbortSignal): Promise<Trace> {
    const known = this.#answers.get(key(prompt, example));
    if (known) return known;
    const { text } = await this.#target.complete({ system: prompt, user: example.input, signal });
    const { score, feedback } = await this.#metric.score(text, example.expected, example.input, signal).catch((error: unknown) => {
      // A judge that answers without a readable score gives this answer no credit, not a failed run.
      if (error instanceof JudgeAnswerError) return { score: 0, feedback: undefined };
      throw error;
    });
    const trace: Trace = { query: example.input, response: text, score, ...(feedback ? { feedback } : {}) };
    this.#answers.set(key(prompt, example), trace);
    return trace;
  }
}

function key(prompt: string, example: Example): string {
  return `${prompt}\u0000${example.input}`;
}
