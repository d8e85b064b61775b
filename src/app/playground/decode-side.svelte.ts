// One side of the Playground: a strategy, and the decode it produced, step by step.
import type { InfillResult } from '../../model/engine';
import type { TraceStep } from '../../model/trace-step';
import type { Strategy } from './strategy';

export class DecodeSide {
  readonly name: 'A' | 'B';
  strategy = $state() as Strategy;
  #input = $state('');
  #steps = $state.raw<TraceStep[]>([]);
  #result = $state.raw<InfillResult | null>(null);
  #error = $state<string | null>(null);
  #stopped = $state(false);

  constructor(name: 'A' | 'B', strategy: Strategy) {
    this.name = name;
    this.strategy = { ...strategy };
  }

  /** The text this side last decoded (the steps replay over it). */
  get input() {
    return this.#input;
  }
  get steps() {
    return this.#steps;
  }
  get result() {
    return this.#result;
  }
  get error() {
    return this.#error;
  }
  /** Stopped by the user before it finished: its steps so far stay to replay. */
  get stopped() {
    return this.#stopped;
  }

  start(input: string): void {
    this.#input = input;
    this.#steps = [];
    this.#result = null;
    this.#error = null;
    this.#stopped = false;
  }

  step(step: TraceStep): void {
    this.#steps = [...this.#steps, step];
  }

  finish(result: InfillResult): void {
    this.#result = result;
  }

  stop(): void {
    this.#stopped = true;
  }

  fail(message: string): void {
    this.#error = message;
  }

  restore(input: string, steps: TraceStep[], result: InfillResult): void {
    this.#input = input;
    this.#steps = steps;
    this.#result = result;
    this.#error = null;
  }
}
