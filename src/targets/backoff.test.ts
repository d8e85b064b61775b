import { describe, expect, it } from 'vitest';
import { backoffDelay, retryAfterMs, sleep, withTimeout } from './backoff';

describe('backoff', () => {
  it('doubles the ceiling each attempt and keeps half of it fixed, half random', () => {
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, 100, 10_000, () => 0))).toEqual([50, 100, 200, 400]);
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, 100, 10_000, () => 0.5))).toEqual([75, 150, 300, 600]);
  });

  it('never exceeds the maximum delay', () => {
    expect(backoffDelay(20, 100, 1_000, () => 0.999999)).toBeLessThanOrEqual(1_000);
  });

  it('reads Retry-After as seconds, as an HTTP date, and prefers retry-after-ms', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2_000);
    expect(retryAfterMs(new Headers({ 'retry-after': '0.5' }))).toBe(500);
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(retryAfterMs(new Headers({ 'retry-after': 'Wed, 21 Oct 2015 07:28:03 GMT' }), now)).toBe(3_000);
    expect(retryAfterMs(new Headers({ 'retry-after': '9', 'retry-after-ms': '250' }))).toBe(250);
  });

  it('ignores a missing or unreadable Retry-After', () => {
    expect(retryAfterMs(new Headers())).toBeUndefined();
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(new Headers({ 'retry-after': '-3' }))).toBeUndefined();
  });

  it('sleep stops at once with the signal reason when aborted', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const waiting = sleep(10_000, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('withTimeout aborts after its time and says it timed out, but not when the caller aborted', async () => {
    const timed = withTimeout(undefined, 10);
    await sleep(30);
    expect(timed.signal.aborted).toBe(true);
    expect(timed.timedOut()).toBe(true);

    const caller = new AbortController();
    const composed = withTimeout(caller.signal, 10_000);
    caller.abort();
    expect(composed.signal.aborted).toBe(true);
    expect(composed.signal.reason).toBe(caller.signal.reason);
    expect(composed.timedOut()).toBe(false);
    composed.done();
  });
});
