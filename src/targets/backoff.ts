// When to try again, how long to wait, and how to wait so that an abort cuts the wait short.

/**
 * Exponential backoff with "equal jitter" (AWS Architecture Blog, "Exponential Backoff and Jitter"):
 * half of base * 2^attempt is fixed, half is random, so retries spread out but never come at once.
 */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, random: () => number): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
  return ceiling / 2 + (ceiling / 2) * random();
}

/**
 * The server's own wait, in ms, if it sent one: `retry-after-ms` (OpenAI), else `Retry-After` as seconds
 * or an HTTP date (RFC 9110 §10.2.3). Undefined when absent or unreadable. In a browser these headers
 * are only visible when the server exposes them (CORS), otherwise backoff applies.
 */
export function retryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = Number(headers.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Waits `ms`; an abort rejects at once with the signal's reason and clears the timer. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A signal that aborts when the caller's does or after `ms`, whichever is first. Hand-rolled rather than
 * AbortSignal.any + AbortSignal.timeout because `done()` removes the listener from the caller's signal,
 * which lives for a whole optimize run and would otherwise collect one listener per request.
 */
export function withTimeout(caller: AbortSignal | undefined, ms: number): { signal: AbortSignal; timedOut(): boolean; done(): void } {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort(caller!.reason);
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`No answer within ${ms} ms.`, 'TimeoutError'));
  }, ms);
  if (caller?.aborted) onAbort();
  else caller?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut && !caller?.aborted,
    done: () => {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onAbort);
    },
  };
}
