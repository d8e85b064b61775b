// Turns a TargetConfig (+ the key the CLI or the UI resolved) into a Target.
import { OptionError } from '../core/errors';
import { defaultTargetOptions, JsonClient, type TargetOptions } from './http-client';
import { providers, type Provider, type Target, type TargetConfig } from './target';
import { anthropicWire, openaiWire, type Wire } from './wire';

interface ProviderSpec {
  wire: Wire;
  /** Undefined where the user must give one. */
  defaultBaseURL?: string;
  needsKey: boolean;
}

const specs: Record<Provider, ProviderSpec> = {
  openai: { wire: openaiWire('max_completion_tokens'), defaultBaseURL: 'https://api.openai.com/v1', needsKey: true },
  anthropic: { wire: anthropicWire, defaultBaseURL: 'https://api.anthropic.com/v1', needsKey: true },
  // Local servers (Ollama, LM Studio, vLLM, llama.cpp) usually take no key; send one only if given.
  'openai-compatible': { wire: openaiWire('max_tokens'), needsKey: false },
};

/** Counts must be whole and times positive; the CLI and the UI pass these through from the user. */
function checkOptions(options: TargetOptions): TargetOptions {
  const rules: Array<[keyof TargetOptions, boolean, string]> = [
    ['maxRetries', Number.isInteger(options.maxRetries) && options.maxRetries >= 0, 'a whole number >= 0'],
    ['concurrency', Number.isInteger(options.concurrency) && options.concurrency >= 1, 'a whole number >= 1'],
    ['timeoutMs', options.timeoutMs > 0, 'a number of milliseconds > 0'],
    ['baseDelayMs', options.baseDelayMs >= 0, 'a number of milliseconds >= 0'],
    ['maxDelayMs', options.maxDelayMs >= 0, 'a number of milliseconds >= 0'],
  ];
  for (const [name, ok, want] of rules) {
    if (!ok) throw new OptionError(`target.${name} is ${String(options[name])}: use ${want}.`);
  }
  return options;
}

/**
 * A Target for `config`. `options` override the retry, timeout and concurrency defaults (tests use it
 * to inject time and transport). One Target = one concurrency limit: share it across the run.
 */
export function createTarget(config: TargetConfig, apiKey?: string, options: Partial<TargetOptions> = {}): Target {
  const spec = specs[config.provider] as ProviderSpec | undefined;
  if (!spec) throw new OptionError(`Unknown target provider "${config.provider}": use one of ${providers.join(', ')}.`);
  if (!config.model?.trim()) throw new OptionError(`The ${config.provider} target needs a model name (target.model).`);
  const baseURL = (config.baseURL ?? spec.defaultBaseURL)?.replace(/\/+$/, '');
  if (!baseURL) {
    throw new OptionError(
      `The ${config.provider} target needs a base URL (target.baseURL), e.g. http://127.0.0.1:11434/v1 for Ollama.`,
    );
  }
  if (spec.needsKey && !apiKey) {
    const where = config.apiKeyEnv ? `set the environment variable ${config.apiKeyEnv}` : 'give an API key';
    throw new OptionError(`The ${config.provider} target needs an API key: ${where}.`);
  }
  const client = new JsonClient(config.provider, checkOptions({ ...defaultTargetOptions, ...options }), apiKey);
  const { provider, model } = config;
  return {
    provider,
    model,
    async complete(request) {
      request.signal?.throwIfAborted();
      const wire = spec.wire.request(model, request, apiKey);
      const answer = await client.post(baseURL + wire.path, wire.headers, wire.body, request.signal);
      return spec.wire.response(provider, answer.status, answer.json);
    },
  };
}
