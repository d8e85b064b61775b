// The page's side of "the newest request wins": a replaced request's callbacks, reply and error are dropped.
import { describe, expect, it } from 'vitest';
import { RequestIds } from './engine-client';

describe('RequestIds', () => {
  it('passes the newest request its reply and its error', async () => {
    const requests = new RequestIds();
    await expect(requests.send(requests.next(), async () => 'text')).resolves.toBe('text');
    const failure = new Error('The model failed.');
    await expect(requests.send(requests.next(), () => Promise.reject(failure))).rejects.toBe(failure);
  });

  it('drops the reply of a request that a newer one replaced: it rejects with an AbortError', async () => {
    const requests = new RequestIds();
    const older = requests.next();
    let answer!: (text: string) => void;
    const reply = requests.send(older, () => new Promise<string>((resolve) => (answer = resolve)));
    requests.next();
    answer('stale');
    await expect(reply).rejects.toMatchObject({ name: 'AbortError', message: 'Replaced by a newer request.' });
  });

  it('drops the error of a replaced request too, as an AbortError', async () => {
    const requests = new RequestIds();
    const older = requests.next();
    let fail!: (error: Error) => void;
    const reply = requests.send(older, () => new Promise<string>((_, reject) => (fail = reject)));
    requests.next();
    fail(new Error('The model failed.'));
    await expect(reply).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('never sends a request replaced before it was sent', async () => {
    const requests = new RequestIds();
    const older = requests.next();
    requests.next();
    let sent = false;
    await expect(requests.send(older, async () => (sent = true))).rejects.toMatchObject({ name: 'AbortError' });
    expect(sent).toBe(false);
  });

  it('silences the callbacks of a replaced request', () => {
    const requests = new RequestIds();
    const steps: number[] = [];
    const onStep = requests.live(requests.next(), (step: number) => steps.push(step));
    onStep(0);
    requests.next();
    onStep(1);
    expect(steps).toEqual([0]);
  });
});
