// A target that needs no network: classification by a masked LM verbalizer. The system prompt, the
// input and "Answer:" are followed by masked slots; each label is scored by the mean log-probability
// of its tokens in those slots, minus its score with no input at all (contextual calibration, Zhao et
// al. 2021: a small model's prior for one label otherwise drowns the input), and the best label is
// the answer. It makes a fully offline optimize run possible and measurable, on any loaded model.
import { PositionState } from '../core/canvas';
import { logProbAt } from '../core/log-prob';
import type { Engine } from '../model/engine';
import { TextTooLongError } from '../model/errors';
import type { ChatRequest, ChatResponse, Target } from './target';

export class LocalMlmTarget implements Target {
  readonly provider = 'local-mlm';
  readonly model: string;
  readonly #engine: Engine;
  readonly #labels: { text: string; ids: number[] }[];

  constructor(engine: Engine, labels: readonly string[]) {
    this.#engine = engine;
    this.model = engine.info.model;
    // A label follows "Answer:" after a space, so it is tokenized with its leading space.
    this.#labels = labels.map((text) => ({ text, ids: engine.codec.encode(` ${text}`) }));
  }

  /**
   * Per system prompt, the labels' scores with an empty input: the prior to calibrate against. The
   * promise is kept, so the scorer's concurrent calls for a new prompt share one computation.
   */
  readonly #priors = new Map<string, Promise<Map<string, number>>>();

  async complete({ system, user, signal }: ChatRequest): Promise<ChatResponse> {
    const prior = await this.#prior(system, signal);
    const scores = await this.#scores(system, user, signal);
    const calibrated = (label: string) => scores.get(label)! - prior.get(label)!;
    // Ties go to the label listed first.
    const best = this.#labels.reduce((a, b) => (calibrated(b.text) > calibrated(a.text) ? b : a));
    return { text: best.text, usage: { inputTokens: 0, outputTokens: 0 } };
  }

  #prior(system: string, signal?: AbortSignal): Promise<Map<string, number>> {
    let prior = this.#priors.get(system);
    if (!prior) {
      const computed = this.#scores(system, '', signal);
      // A failed (say, aborted) computation is forgotten, so the next call for this prompt tries again.
      computed.catch(() => this.#priors.get(system) === computed && this.#priors.delete(system));
      this.#priors.set(system, computed);
      prior = computed;
    }
    return prior;
  }

  /** Mean log-probability of each label's tokens in the answer slots. */
  async #scores(system: string, user: string, signal?: AbortSignal): Promise<Map<string, number>> {
    const { codec, denoiser } = this.#engine;
    const vocab = this.#engine.info.vocabSize;
    const scores = new Map<string, number>();
    for (const length of new Set(this.#labels.map((l) => l.ids.length))) {
      signal?.throwIfAborted();
      const head = this.#fit(codec.encode(system), codec.encode(`\n\n${user.trim()}`), codec.encode('\nAnswer:'), length);
      const canvas = codec.frame([
        { state: PositionState.context, ids: head },
        { state: PositionState.masked, length },
      ]);
      const positions = Int32Array.from({ length }, (_, i) => codec.prefix.length + head.length + i);
      const logits = await denoiser.forward(canvas.ids, positions);
      for (const label of this.#labels.filter((l) => l.ids.length === length)) {
        let sum = 0;
        label.ids.forEach((id, r) => (sum += logProbAt(logits.subarray(r * vocab, (r + 1) * vocab), id)));
        scores.set(label.text, sum / length);
      }
    }
    return scores;
  }

  /** System prompt, input and cue, the input cut in the middle when the whole does not fit. */
  #fit(system: number[], input: number[], cue: number[], slots: number): number[] {
    const { codec } = this.#engine;
    const room = codec.room - system.length - cue.length - slots;
    if (room < 0) throw new TextTooLongError(codec.maxLength - room, codec.maxLength);
    if (input.length > room) {
      const half = Math.floor(room / 2);
      input = [...input.slice(0, half), ...input.slice(input.length - (room - half))];
    }
    return [...system, ...input, ...cue];
  }
}
