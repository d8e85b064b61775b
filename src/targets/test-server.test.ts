// The OpenAI-compatible test double itself: routes, CORS and scripted replies.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/support/openai-test-server';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('the OpenAI test server', () => {
  it('answers a CORS preflight so a browser page may call it', async () => {
    server = await startTestServer(() => 'ok');
    const response = await fetch(`${server.baseURL}/chat/completions`, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
  });

  it('answers 404 for anything but POST /v1/chat/completions', async () => {
    server = await startTestServer(() => 'ok');
    expect((await fetch(`${server.baseURL}/models`)).status).toBe(404);
    expect((await post(`${server.baseURL}/completions`, {})).status).toBe(404);
    expect(server.calls).toBe(0);
  });

  it('passes system, user and model to the script and counts words as tokens', async () => {
    server = await startTestServer(({ system, user, model }) => `${model}: ${system.length + user.length}`);
    const response = await post(`${server.baseURL}/chat/completions`, {
      model: 'tiny',
      messages: [
        { role: 'system', content: 'a b' },
        { role: 'user', content: [{ type: 'text', text: 'c d e' }] },
      ],
    });
    const body = (await response.json()) as { choices: Array<{ message: { content: string } }>; usage: Record<string, number> };
    expect(body.choices[0].message.content).toBe('tiny: 8');
    expect(body.usage).toEqual({ prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 });
    expect(server.requests[0]).toMatchObject({ system: 'a b', user: 'c d e', model: 'tiny' });
  });

  it('sends scripted failures with their status and Retry-After', async () => {
    server = await startTestServer(() => ({ status: 429, retryAfter: 3 }));
    const response = await post(`${server.baseURL}/chat/completions`, { model: 'm', messages: [] });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(await response.json()).toEqual({ error: { message: 'Scripted HTTP 429.' } });
  });
});
