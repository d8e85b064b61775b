// Every provider behaviour over real HTTP, against the scripted OpenAI-compatible test double.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type Script, type TestServer, type TestServerOptions } from '../../test/support/openai-test-server';
import { OptionError } from '../core/errors';
import { createTarget } from './create-target';
import { TargetAuthError, TargetRequestError, TargetUnavailableError } from './errors';
import type { TargetOptions } from './http-client';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Waits are recorded, not slept, so retry tests are instant and exact. */
function fastOptions(overrides: Partial<TargetOptions> = {}) {
  const waits: number[] = [];
  const options: Partial<TargetOptions> = {
    baseDelayMs: 100,
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...overrides,
  };
  return { waits, options };
}

async function localTarget(script: Script, options: Partial<TargetOptions> = {}, serverOptions?: TestServerOptions, apiKey?: string) {
  server = await startTestServer(script, serverOptions);
  return createTarget({ provider: 'openai-compatible', model: 'test-model', baseURL: server.baseURL }, apiKey, options);
}

const ask = { system: 'You answer tersely.', user: 'What is two plus two?' };

describe('createTarget over HTTP', () => {
  it('returns the answer and reads token usage from the response', async () => {
    const target = await localTarget(({ system, user }) => `echo: ${system} | ${user}`);
    const answer = await target.complete(ask);
    expect(answer.text).toBe('echo: You answer tersely. | What is two plus two?');
    expect(answer.usage).toEqual({ inputTokens: 3 + 5, outputTokens: 10 });
    expect(target.provider).toBe('openai-compatible');
    expect(target.model).toBe('test-model');
  });

  it('sends the model, the system and user messages, max_tokens and temperature, and no key when none is given', async () => {
    const target = await localTarget(() => 'ok');
    await target.complete({ ...ask, maxTokens: 64, temperature: 0 });
    const [request] = server!.requests;
    expect(request.body).toEqual({
      model: 'test-model',
      messages: [
        { role: 'system', content: ask.system },
        { role: 'user', content: ask.user },
      ],
      max_tokens: 64,
      temperature: 0,
    });
    expect(request.authorization).toBeUndefined();
  });

  it('sends a key as a Bearer token when one is given, and accepts a base URL with a trailing slash', async () => {
    server = await startTestServer(() => 'ok');
    const target = createTarget({ provider: 'openai-compatible', model: 'm', baseURL: `${server.baseURL}/` }, 'sk-local');
    await target.complete(ask);
    expect(server.requests[0].authorization).toBe('Bearer sk-local');
  });

  it('waits as long as Retry-After says after a 429, then succeeds', async () => {
    const { waits, options } = fastOptions();
    const target = await localTarget((_, i) => (i === 0 ? { status: 429, retryAfter: 2 } : 'done'), options);
    expect((await target.complete(ask)).text).toBe('done');
    expect(server!.calls).toBe(2);
    expect(waits).toEqual([2_000]);
  });

  it('backs off exponentially with jitter after 5xx answers', async () => {
    const { waits, options } = fastOptions();
    const target = await localTarget((_, i) => (i < 3 ? { status: i === 1 ? 502 : 503 } : 'finally'), options);
    expect((await target.complete(ask)).text).toBe('finally');
    expect(waits).toEqual([75, 150, 300]);
  });

  it('gives up after the configured retries with TargetUnavailableError naming provider and status', async () => {
    const { waits, options } = fastOptions({ maxRetries: 2 });
    const target = await localTarget(() => ({ status: 503, body: { error: { message: 'Overloaded' } } }), options);
    const error = await target.complete(ask).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetUnavailableError);
    expect((error as TargetUnavailableError).status).toBe(503);
    expect((error as Error).message).toMatch(/^openai-compatible did not answer after 3 tries \(last: HTTP 503 Overloaded\)/);
    expect(server!.calls).toBe(3);
    expect(waits).toHaveLength(2);
  });

  it('reports a 401 as TargetAuthError at once, without the key even when the server echoes it', async () => {
    const key = 'sk-secret-123456';
    const { options } = fastOptions();
    const target = await localTarget(
      () => ({ status: 401, body: { error: { message: `Incorrect API key provided: ${key}.` } } }),
      options,
      undefined,
      key,
    );
    const error = await target.complete(ask).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetAuthError);
    expect((error as Error).message).toContain('HTTP 401');
    expect((error as Error).message).toContain('check the API key');
    expect((error as Error).message).not.toContain(key);
    expect(server!.calls).toBe(1);
  });

  it('reports other 4xx as TargetRequestError with the provider message, without retrying', async () => {
    const { options } = fastOptions();
    const target = await localTarget(() => ({ status: 400, body: { error: { message: "Unsupported value: 'temperature'." } } }), options);
    const error = await target.complete(ask).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetRequestError);
    expect((error as Error).message).toContain("openai-compatible rejected the request (HTTP 400: Unsupported value: 'temperature'.)");
    expect(server!.calls).toBe(1);
  });

  it('does not retry a 429 that means the quota is spent', async () => {
    const { options } = fastOptions();
    const body = { error: { message: 'You exceeded your current quota.', code: 'insufficient_quota' } };
    const target = await localTarget(() => ({ status: 429, body }), options);
    await expect(target.complete(ask)).rejects.toThrow(/HTTP 429.*billing/);
    expect(server!.calls).toBe(1);
  });

  it('says to check the base URL when the path does not exist', async () => {
    server = await startTestServer(() => 'ok');
    const target = createTarget({ provider: 'openai-compatible', model: 'm', baseURL: server.baseURL.replace('/v1', '') });
    await expect(target.complete(ask)).rejects.toThrow(/HTTP 404.*base URL/);
  });

  it('retries network errors and then reports that the server could not be reached', async () => {
    server = await startTestServer(() => 'ok');
    const baseURL = server.baseURL;
    await server.close();
    server = undefined;
    const { waits, options } = fastOptions({ maxRetries: 1 });
    const target = createTarget({ provider: 'openai-compatible', model: 'm', baseURL }, undefined, options);
    await expect(target.complete(ask)).rejects.toThrow(/did not answer after 2 tries \(last: could not reach http:\/\/127\.0\.0\.1/);
    expect(waits).toHaveLength(1);
  });

  it('times out a slow answer and retries it', async () => {
    const { waits, options } = fastOptions({ timeoutMs: 250, maxRetries: 1 });
    const target = await localTarget(() => 'late', options, { delayMs: 5_000 });
    await expect(target.complete(ask)).rejects.toThrow(/after 2 tries \(last: no answer within 0\.25 s/);
    expect(waits).toHaveLength(1);
  });

  it('rejects at once with an AbortError when the caller aborts mid-request, without retrying', async () => {
    const { waits, options } = fastOptions();
    const controller = new AbortController();
    // Abort once the server holds the request, so the abort surely lands mid-request.
    const abortWhenReceived = () => (setTimeout(() => controller.abort(), 10), 5_000);
    const target = await localTarget(() => 'late', options, { delayMs: abortWhenReceived });
    const started = Date.now();
    const pending = target.complete({ ...ask, signal: controller.signal });
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(server!.calls).toBe(1);
    expect(waits).toEqual([]);
  });

  it('stops waiting between retries when the caller aborts', async () => {
    const controller = new AbortController();
    // The 503 goes back at once; the abort lands while the client waits its 10-20 s backoff.
    const abortSoonAfter = () => (setTimeout(() => controller.abort(), 100), 0);
    const target = await localTarget(() => ({ status: 503 }), { baseDelayMs: 20_000 }, { delayMs: abortSoonAfter });
    const started = Date.now();
    const pending = target.complete({ ...ask, signal: controller.signal });
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(server!.calls).toBe(1);
  });

  it('rejects without calling when the signal is already aborted', async () => {
    const target = await localTarget(() => 'ok');
    await expect(target.complete({ ...ask, signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    expect(server!.calls).toBe(0);
  });

  it('keeps at most the concurrency limit in flight across all calls of one target', async () => {
    const target = await localTarget((_, i) => `answer ${i}`, { concurrency: 2 }, { delayMs: 100 });
    const answers = await Promise.all(Array.from({ length: 6 }, () => target.complete(ask)));
    expect(answers.map((a) => a.text).sort()).toEqual([0, 1, 2, 3, 4, 5].map((i) => `answer ${i}`));
    expect(server!.maxInFlight).toBe(2);
  });
});

describe('createTarget configuration', () => {
  it('needs a base URL for openai-compatible', () => {
    expect(() => createTarget({ provider: 'openai-compatible', model: 'llama3.2' })).toThrow(OptionError);
    expect(() => createTarget({ provider: 'openai-compatible', model: 'llama3.2' })).toThrow(/target\.baseURL/);
  });

  it('needs a key for openai and anthropic, naming the variable to set', () => {
    expect(() => createTarget({ provider: 'openai', model: 'gpt-4o-mini', apiKeyEnv: 'OPENAI_API_KEY' })).toThrow(
      'The openai target needs an API key: set the environment variable OPENAI_API_KEY.',
    );
    expect(() => createTarget({ provider: 'anthropic', model: 'claude-3-5-haiku-latest' })).toThrow(OptionError);
  });

  it('refuses retry and concurrency settings out of range, naming the field', () => {
    const config = { provider: 'openai-compatible', model: 'm', baseURL: 'http://127.0.0.1:1/v1' } as const;
    expect(() => createTarget(config, undefined, { concurrency: 0 })).toThrow('target.concurrency is 0: use a whole number >= 1.');
    expect(() => createTarget(config, undefined, { maxRetries: -1 })).toThrow(/^target\.maxRetries is -1/);
    expect(() => createTarget(config, undefined, { timeoutMs: 0 })).toThrow(/^target\.timeoutMs is 0/);
  });

  it('refuses an unknown provider and an empty model', () => {
    expect(() => createTarget({ provider: 'gemini' as 'openai', model: 'x' }, 'k')).toThrow(/Unknown target provider "gemini"/);
    expect(() => createTarget({ provider: 'openai', model: ' ' }, 'k')).toThrow(/target\.model/);
  });
});
