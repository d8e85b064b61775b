// The no-target mode (the paper's Figure 1): rewrites of the prompt from the DLM alone, conditioned on
// the traces and their feedback. Offline, no key; nothing is scored, the user judges.
import type { Rewrite } from '../../optimize/propose';
import type { SuggestRequest } from '../../optimize/suggest';
import { isAbort } from '../engine-client';
import { newId, titleOf, type SuggestRecord } from '../history/records';
import { saveRecord } from '../history/store';
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
  /** Share of the masked tokens written so far, while running. */
  #progress = $state(0);
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
  get progress() {
    return this.#progress;
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
    const request: SuggestRequest = {
      prompt: form.prompt,
      locked: form.locked,
      marked: form.marked,
      traces: form.filledTraces(),
      candidates: this.count,
      editFraction: this.editShare,
      decoding: form.decoding(),
      seed: form.settings.seed,
    };
    try {
      this.#progress = 0;
      this.#rewrites = await this.#engine.suggest(request, (fraction) => (this.#progress = fraction));
      this.#from = request.prompt;
      if (this.#rewrites.length === 0) {
        this.#error = 'The model wrote nothing new: raise the temperature or the share of words to rewrite, or change the seed.';
      } else {
        const now = Date.now();
        const record: SuggestRecord = { kind: 'suggest', id: newId(), title: titleOf(request.prompt), createdAt: now, updatedAt: now, model: this.#engine.info?.model ?? '', request, rewrites: this.#rewrites };
        await saveRecord(record).catch(() => {}); // History is a convenience: a full disk must not lose the rewrites on screen
      }
    } catch (error) {
      if (!isAbort(error)) this.#error = describeError(error);
    } finally {
      this.#running = false;
    }
  }

  /** Shows a set of rewrites saved in History. */
  open(record: SuggestRecord): void {
    if (this.#running) return;
    this.count = record.request.candidates;
    this.editShare = record.request.editFraction;
    this.#from = record.request.prompt;
    this.#rewrites = record.rewrites;
    this.#error = null;
  }

  stop(): void {
    this.#engine.cancel();
  }
}
