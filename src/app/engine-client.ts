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
