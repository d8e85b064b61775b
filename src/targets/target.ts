// What the optimizer needs from a target LLM: one system prompt + one user message in, text and token
// usage out. Kept this narrow so every provider, and every test double, fits behind it.
import { z } from 'zod';

export interface ChatRequest {
  system: string;
  user: string;
  /** Upper bound on the answer; the provider's default when absent (Anthropic requires one: 1024). */
  maxTokens?: number;
  /** Sampling temperature; the provider's default when absent. */
  temperature?: number;
  /** Aborting rejects at once with the signal's reason (an AbortError), without retries. */
  signal?: AbortSignal;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export interface ChatResponse {
  text: string;
  usage: Usage;
}

export interface Target {
  readonly provider: string;
  readonly model: string;
  complete(request: ChatRequest): Promise<ChatResponse>;
}

export const providers = ['openai', 'anthropic', 'openai-compatible'] as const;
export type Provider = (typeof providers)[number];

/** A target LLM as a run config names it; the CLI resolves apiKeyEnv, this module never reads env. */
export const targetConfigSchema = z.strictObject({
  provider: z.enum(providers),
  model: z.string().min(1),
  /** Endpoint root including the version, e.g. http://127.0.0.1:11434/v1; required for openai-compatible. */
  baseURL: z.string().url().optional(),
  /** Name of the environment variable holding the key. */
  apiKeyEnv: z.string().min(1).optional(),
});
export type TargetConfig = z.infer<typeof targetConfigSchema>;
