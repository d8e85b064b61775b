// The no-target mode (the paper's Figure 1): rewrites of the prompt from the DLM alone, conditioned on
// the traces and their feedback. Offline, no key; nothing is scored, the user judges.
import type { Rewrite } from '../../optimize/propose';
import { isAbort } from '../engine-client';
import type { EngineState } from '../engine.svelte';
import { describeError } from '../shared/describe-error';
import type { OptimizeForm } from './optimize-form.svelte';

export class SuggestState {
  count = $state(4);
  /** Share of the editable words each rewrite may change. */
  editShare = $state(0.3);
  #rewrites = $state.raw<Rewrite[]>([]);
  #from = $state('');
  #running = $state(false);
  #error = $state<string | null>(null);
  readonly #engine: EngineState;

  constructor(engine: EngineState) {
    this.#engine = engine;
  }

  get rewrites() {
    return this.#rewrites;
  }
  /** The prompt the rewrites were made from. */
  get from() {
    return this.#from;
  }
  get running() {
    return this.#running;
  }
  get error() {
    return this.#error;
  }

  async run(form: OptimizeForm): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    this.#error = null;
    const from = form.prompt;
    try {
      this.#rewrites = await this.#engine.suggest({
        prompt: from,
        locked: form.locked,
        marked: form.rewrite,
        traces: form.filledTraces(),
        candidates: this.count,
        editFraction: this.editShare,
        decoding: form.decoding(),
        seed: form.seed,
      });
      this.#from = from;
      if (this.#rewrites.length === 0) this.#error = 'The model wrote nothing new: raise the temperature or the share of words to rewrite, or change the seed.';
    } catch (error) {
      if (!isAbort(error)) this.#error = describeError(error);
    } finally {
      this.#running = false;
    }
  }

  stop(): void {
    this.#engine.cancel();
  }
}
