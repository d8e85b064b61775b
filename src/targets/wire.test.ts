// Wire formats checked against a fake transport: what goes out to each provider and what is read back.
import { describe, expect, it } from 'vitest';
import { createTarget } from './create-target';
import { TargetResponseError } from './errors';

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** A transport that records the request and answers `reply` with `status`. */
function fakeFetch(reply: unknown, status = 200) {
  const sent: Sent[] = [];
  const fetch = async (url: string, init: RequestInit) => {
    sent.push({ url, headers: init.headers as Record<string, string>, body: JSON.parse(init.body as string) });
    return new Response(typeof reply === 'string' ? reply : JSON.stringify(reply), { status });
  };
  return { sent, fetch };
}

describe('wire formats', () => {
  it('anthropic: posts to /v1/messages with the key, version and browser headers, the system prompt top-level', async () => {
    const { sent, fetch } = fakeFetch({
      content: [
        { type: 'text', text: 'Four' },
        { type: 'text', text: '.' },
      ],
      usage: { input_tokens: 21, output_tokens: 2 },
    });
    const target = createTarget({ provider: 'anthropic', model: 'claude-3-5-haiku-latest' }, 'sk-ant-x', { fetch });
    const answer = await target.complete({ system: 'Be brief.', user: '2+2?', temperature: 0.2 });
    expect(answer).toEqual({ text: 'Four.', usage: { inputTokens: 21, outputTokens: 2 } });
    expect(sent[0].url).toBe('https://api.anthropic.com/v1/messages');
    expect(sent[0].headers).toMatchObject({
      'x-api-key': 'sk-ant-x',
      'anthropic-version': '2023-06-01',
      'anthropic-dangerous-direct-browser-access': 'true',
      'content-type': 'application/json',
    });
    expect(sent[0].headers.authorization).toBeUndefined();
    expect(sent[0].body).toEqual({
      model: 'claude-3-5-haiku-latest',
      max_tokens: 1024,
      system: 'Be brief.',
      messages: [{ role: 'user', content: '2+2?' }],
      temperature: 0.2,
    });
  });

  it('anthropic: omits an empty system prompt and passes maxTokens through', async () => {
    const { sent, fetch } = fakeFetch({ content: [], usage: {} });
    const target = createTarget({ provider: 'anthropic', model: 'claude-sonnet-4-0' }, 'k', { fetch });
    expect(await target.complete({ system: '', user: 'hi', maxTokens: 10 })).toEqual({ text: '', usage: { inputTokens: 0, outputTokens: 0 } });
    expect(sent[0].body).toEqual({ model: 'claude-sonnet-4-0', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
  });

  it('openai: posts to the default base URL with max_completion_tokens and reads prompt/completion tokens', async () => {
    const { sent, fetch } = fakeFetch({
      choices: [{ message: { role: 'assistant', content: '4' } }],
      usage: { prompt_tokens: 12, completion_tokens: 1 },
    });
    const target = createTarget({ provider: 'openai', model: 'gpt-4o-mini' }, 'sk-x', { fetch });
    expect(await target.complete({ system: 's', user: 'u', maxTokens: 5 })).toEqual({ text: '4', usage: { inputTokens: 12, outputTokens: 1 } });
    expect(sent[0].url).toBe('https://api.openai.com/v1/chat/completions');
    expect(sent[0].headers.authorization).toBe('Bearer sk-x');
    expect(sent[0].body.max_completion_tokens).toBe(5);
    expect(sent[0].body.max_tokens).toBeUndefined();
  });

  it('openai: treats a null content (a refusal) as an empty answer and missing usage as zero', async () => {
    const { fetch } = fakeFetch({ choices: [{ message: { role: 'assistant', content: null, refusal: 'No.' } }] });
    const target = createTarget({ provider: 'openai', model: 'gpt-4o' }, 'k', { fetch });
    expect(await target.complete({ system: '', user: 'u' })).toEqual({ text: '', usage: { inputTokens: 0, outputTokens: 0 } });
  });

  it('reports a 2xx answer in the wrong format as TargetResponseError pointing at the base URL', async () => {
    const html = fakeFetch('<html>LM Studio</html>');
    const notHtml = createTarget({ provider: 'openai-compatible', model: 'm', baseURL: 'http://127.0.0.1:1234' }, undefined, { fetch: html.fetch });
    await expect(notHtml.complete({ system: '', user: 'u' })).rejects.toThrow(TargetResponseError);
    const wrong = fakeFetch({ models: [] });
    const noChoices = createTarget({ provider: 'openai-compatible', model: 'm', baseURL: 'http://x/v1' }, undefined, { fetch: wrong.fetch });
    await expect(noChoices.complete({ system: '', user: 'u' })).rejects.toThrow(/HTTP 200 but the answer has no choices.*base URL/);
  });
});
