// The two wire formats: how a ChatRequest becomes an HTTP body, and how the answer becomes a ChatResponse.
// OpenAI: https://platform.openai.com/docs/api-reference/chat/create
// Anthropic: https://docs.anthropic.com/en/api/messages
import { TargetResponseError } from './errors';
import type { ChatRequest, ChatResponse } from './target';

export interface WireRequest {
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export interface Wire {
  request(model: string, request: ChatRequest, apiKey: string | undefined): WireRequest;
  /** Throws TargetResponseError when the answer lacks the fields this format promises. */
  response(provider: string, status: number, json: unknown): ChatResponse;
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/**
 * OpenAI chat completions. `tokenField` differs by server: OpenAI's reasoning models reject the
 * deprecated `max_tokens` and every OpenAI model takes `max_completion_tokens`, while Ollama, LM Studio,
 * vLLM and llama.cpp all read `max_tokens`.
 */
export function openaiWire(tokenField: 'max_completion_tokens' | 'max_tokens'): Wire {
  return {
    request(model, { system, user, maxTokens, temperature }, apiKey) {
      const messages = system === '' ? [] : [{ role: 'system', content: system }];
      messages.push({ role: 'user', content: user });
      const body: Record<string, unknown> = { model, messages };
      if (maxTokens !== undefined) body[tokenField] = maxTokens;
      if (temperature !== undefined) body.temperature = temperature;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (apiKey) headers.authorization = `Bearer ${apiKey}`;
      return { path: '/chat/completions', headers, body };
    },
    response(provider, status, json) {
      const answer = json as { choices?: Array<{ message?: { content?: unknown } }>; usage?: Record<string, unknown> };
      const message = answer?.choices?.[0]?.message;
      if (!message) throw new TargetResponseError(provider, status, 'the answer has no choices[0].message');
      return {
        // content is null when the model returned only a refusal or a tool call: treat as an empty answer.
        text: typeof message.content === 'string' ? message.content : '',
        usage: { inputTokens: count(answer.usage?.prompt_tokens), outputTokens: count(answer.usage?.completion_tokens) },
      };
    },
  };
}

/** Anthropic's answer must fit a stated budget: max_tokens is required, and 1024 covers a task answer. */
export const anthropicDefaultMaxTokens = 1024;

export const anthropicWire: Wire = {
  request(model, { system, user, maxTokens, temperature }, apiKey) {
    const body: Record<string, unknown> = {
      model,
      max_tokens: maxTokens ?? anthropicDefaultMaxTokens,
      messages: [{ role: 'user', content: user }],
    };
    // The system prompt is a top-level field here, not a message; an empty one is rejected, so omit it.
    if (system !== '') body.system = system;
    if (temperature !== undefined) body.temperature = temperature;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'anthropic-version': '2023-06-01',
      // Without it the API refuses CORS requests; the user brings their own key, which is what it is for.
      'anthropic-dangerous-direct-browser-access': 'true',
    };
    if (apiKey) headers['x-api-key'] = apiKey;
    return { path: '/messages', headers, body };
  },
  response(provider, status, json) {
    const answer = json as { content?: Array<{ type?: string; text?: unknown }>; usage?: Record<string, unknown> };
    if (!Array.isArray(answer?.content)) throw new TargetResponseError(provider, status, 'the answer has no content list');
    const text = answer.content
      .filter((block) => block.type === 'text' && typeof block.text === 'string')
      .map((block) => block.text as string)
      .join('');
    return { text, usage: { inputTokens: count(answer.usage?.input_tokens), outputTokens: count(answer.usage?.output_tokens) } };
  },
};
