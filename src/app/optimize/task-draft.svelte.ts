// "Start from a task description" (Promptomatix's start, as `remask draft` does it): the target set in
// the form reads the task, writes a first prompt in the chosen strategy and synthetic examples, and the
// metric they call for is chosen; they fill the form for the user to review before a run.
import type { DraftStrategy, TaskDraft } from '../../optimize/task-draft';
import { probeTarget } from '../../targets/probe';
import { isAbort } from '../engine-client';
import type { EngineState } from '../engine.svelte';
import { describeError } from '../shared/describe-error';
import type { OptimizeForm } from './optimize-form.svelte';

/** Examples written by default: enough for a first run, few enough for a local model to write quickly. */
const defaultCount = 20;
/** The fewest examples to ask for, as `remask draft --count` takes them: the metric is read from their answers. */
export const minCount = 2;

export class TaskDraftState {
  task = $state('');
  strategy = $state<DraftStrategy>('plain');
  count = $state(defaultCount);
  #running = $state(false);
  #error = $state<string | null>(null);
  /** The last draft that filled the form, for the summary under the button. */
  #done = $state.raw<TaskDraft | null>(null);
  readonly #engine: EngineState;

  constructor(engine: EngineState) {
    this.#engine = engine;
  }

  get running() {
    return this.#running;
  }
  get error() {
    return this.#error;
  }
  get done() {
    return this.#done;
  }

  /** Why the form's target cannot draft yet, or null. */
  blocked(form: OptimizeForm): string | null {
    if (form.provider === 'local-mlm') return 'Choose an LLM as the target below: the page’s classifier cannot write examples.';
    if (form.needsKey && !form.apiKey.key) return `Enter your ${form.provider} API key below first.`;
    if (!this.task.trim()) return 'Describe the task first, e.g. “classify a review as positive or negative”.';
    if (!Number.isInteger(this.count) || this.count < minCount) return `Ask for at least ${minCount} examples, as a whole number.`;
    return null;
  }

  async run(form: OptimizeForm): Promise<void> {
    if (this.#running || this.blocked(form)) return;
    const target = form.target();
    if (target.provider === 'local-mlm') return;
    this.#running = true;
    this.#error = null;
    this.#done = null;
    try {
      // As before a run: a local server that is not there is said at once, not after five retries.
      const absent = await probeTarget(target);
      if (absent) {
        this.#error = absent;
        return;
      }
      const draft = await this.#engine.draftTask({ task: this.task, strategy: this.strategy, count: this.count, target, apiKey: form.apiKey.key || undefined });
      form.useTaskDraft(draft);
      this.#done = draft;
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
