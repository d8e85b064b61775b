// The page's handle on the engine worker.
import { proxy, wrap, type Remote } from 'comlink';
import type { EngineApi } from '../../workers/engine-api';
import { installErrorTransfer } from '../../workers/error-transfer';

installErrorTransfer();

export function startEngine(): { api: Remote<EngineApi>; terminate: () => void } {
  const worker = new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), { type: 'module' });
  return { api: wrap<EngineApi>(worker), terminate: () => worker.terminate() };
}

/** Wraps a callback so the worker can call it back across the boundary. */
export const callback = proxy;

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/**
 * The page's side of "the newest request wins" (svelte.dev's REPL `Bundler`): each request takes an id,
 * and once a newer one has started, an older one's callbacks, reply and error are dropped: it ends in
 * an AbortError, whatever the worker answers.
 */
export class RequestIds {
  #newest = 0;

  /** A new request's id: every older request is stale from now on. */
  next(): number {
    return ++this.#newest;
  }

  isNewest(id: number): boolean {
    return id === this.#newest;
  }

  /** `f` as request `id`'s callback: silent once the request is stale. */
  live<T>(id: number, f: (value: T) => void): (value: T) => void {
    return (value) => {
      if (this.isNewest(id)) f(value);
    };
  }

  /** Sends request `id` unless it is stale already; its reply or error, unless it is stale by then. */
  async send<T>(id: number, request: () => Promise<T>): Promise<T> {
    if (this.isNewest(id)) {
      try {
        const reply = await request();
        if (this.isNewest(id)) return reply;
      } catch (error) {
        if (this.isNewest(id)) throw error;
      }
    }
    throw new DOMException('Replaced by a newer request.', 'AbortError');
  }
}
