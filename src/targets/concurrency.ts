// A counting semaphore: at most `limit` tasks in flight, the rest wait in arrival order. One per Target,
// so every call of that target (candidates, judge calls, retries) shares the same limit.

export class Limiter {
  readonly limit: number;
  #active = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`Concurrency limit must be an integer >= 1, got ${limit}.`);
    this.limit = limit;
  }

  /** Runs `task` once a slot is free. Aborting while queued rejects at once with the signal's reason. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.#acquire(signal);
    try {
      return await task();
    } finally {
      this.#release();
    }
  }

  #acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#active < this.limit) {
      this.#active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.#waiting.splice(this.#waiting.indexOf(grant), 1);
        reject(signal!.reason);
      };
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.#waiting.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  #release(): void {
    // Hand the slot straight to the next waiter (the active count stays the same), so a task that
    // arrives meanwhile cannot jump the queue.
    const next = this.#waiting.shift();
    if (next) next();
    else this.#active--;
  }
}
