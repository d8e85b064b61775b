// One small fetch client under all three providers, instead of the official `openai` and
// `@anthropic-ai/sdk` packages: the three wire formats are a few fields each, while the SDKs would bring
// two retry/timeout implementations with different rules (and no shared concurrency limit) plus their
// weight in the worker bundle. Plain fetch + AbortSignal + setTimeout behaves the same in a Web Worker,
// a page and Node 20, and lets tests inject the clock, the randomness and the transport.
import { backoffDelay, retryAfterMs, sleep, withTimeout } from './backoff';
import { Limiter } from './concurrency';
import { TargetAuthError, TargetRequestError, TargetResponseError, TargetUnavailableError } from './errors';

export interface TargetOptions {
  /** Tries after the first one on 408/409/429/5xx, network errors and timeouts: 4 rides out a short outage. */
  maxRetries: number;
  /** First backoff ceiling; doubles each retry (0.5 s, 1 s, 2 s, 4 s): short enough for local servers. */
  baseDelayMs: number;
  /** Cap on any wait, Retry-After included, so one overloaded call cannot stall a run for minutes. */
  maxDelayMs: number;
  /** Per-try limit: long answers from slow models finish well within a minute. */
  timeoutMs: number;
  /** Calls in flight per target: 4 stays under the lowest paid-tier rate limits and suits a local GPU. */
  concurrency: number;
  /** Source of jitter in [0, 1); injectable so tests are exact. */
  random: () => number;
  /** How to wait between tries; injectable so tests need not wait. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The transport; injectable so tests can check wire formats without a server. */
  fetch: (url: string, init: RequestInit) => Promise<Response>;
}

export const defaultTargetOptions: TargetOptions = {
  maxRetries: 4,
  baseDelayMs: 500,
  maxDelayMs: 60_000,
  timeoutMs: 60_000,
  concurrency: 4,
  random: Math.random,
  sleep,
  // A wrapper, not `globalThis.fetch` itself: browsers throw "Illegal invocation" on a detached fetch.
  fetch: (url, init) => fetch(url, init),
};

/** Statuses worth another try: the official SDKs retry 408, 409, 429 and every 5xx (Anthropic's 529 too). */
const isRetryable = (status: number): boolean => status === 408 || status === 409 || status === 429 || status >= 500;

/** The provider's own words about an error: OpenAI, Anthropic, Ollama and vLLM each nest it differently. */
function providerMessage(text: string): string {
  let message = text;
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const error = body.error as { message?: unknown } | string | undefined;
    const found = typeof error === 'string' ? error : (error?.message ?? body.message ?? body.detail);
    if (typeof found === 'string') message = found;
  } catch {
    // Not JSON (an HTML error page, a proxy's plain text): keep the text itself.
  }
  message = message.replace(/\s+/g, ' ').trim();
  return message.length > 300 ? `${message.slice(0, 300)}...` : message;
}

/** Advice for a 4xx that is not about the key. */
function adviceFor(status: number): string {
  if (status === 404) return 'check the model name and the base URL.';
  if (status === 413) return 'the prompt is too long for this endpoint: shorten the prompt or the dataset inputs.';
  if (status === 429) return 'the account has no quota left: check the plan and billing with the provider.';
  return 'check the model name and the request settings (max tokens, temperature) for this model.';
}

export interface JsonAnswer {
  status: number;
  json: unknown;
}

export class JsonClient {
  readonly #provider: string;
  readonly #options: TargetOptions;
  readonly #secret: string | undefined;
  readonly #limiter: Limiter;

  /** `secret` is the API key, kept only to scrub it from anything that reaches an error message. */
  constructor(provider: string, options: TargetOptions, secret?: string) {
    this.#provider = provider;
    this.#options = options;
    this.#secret = secret || undefined;
    this.#limiter = new Limiter(options.concurrency);
  }

  /**
   * POSTs `body` as JSON and returns the parsed 2xx answer, retrying what can pass. The concurrency slot
   * is held across retries and backoff: when a provider says 429, more parallel calls only make it worse.
   */
  post(url: string, headers: Record<string, string>, body: unknown, signal?: AbortSignal): Promise<JsonAnswer> {
    const { maxRetries, baseDelayMs, maxDelayMs, random } = this.#options;
    return this.#limiter.run(async () => {
      for (let attempt = 0; ; attempt++) {
        const outcome = await this.#tryOnce(url, headers, JSON.stringify(body), signal);
        if ('json' in outcome) return outcome;
        if (attempt >= maxRetries) throw new TargetUnavailableError(this.#provider, attempt + 1, outcome.status, outcome.problem);
        const wait = outcome.waitMs ?? backoffDelay(attempt, baseDelayMs, maxDelayMs, random);
        await this.#options.sleep(Math.min(wait, maxDelayMs), signal);
      }
    }, signal);
  }

  /** One try: the answer, a reason to try again, or a thrown error that retrying cannot fix. */
  async #tryOnce(
    url: string,
    headers: Record<string, string>,
    body: string,
    signal: AbortSignal | undefined,
  ): Promise<JsonAnswer | { status?: number; problem: string; waitMs?: number }> {
    const timeout = withTimeout(signal, this.#options.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await this.#options.fetch(url, { method: 'POST', headers, body, signal: timeout.signal });
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.timedOut()) return { problem: `no answer within ${this.#options.timeoutMs / 1000} s` };
      return { problem: `could not reach ${url}: ${this.#redact(error instanceof Error ? error.message : String(error))}` };
    } finally {
      timeout.done();
    }

    const { status } = response;
    if (status >= 200 && status < 300) {
      try {
        return { status, json: JSON.parse(text) };
      } catch {
        throw new TargetResponseError(this.#provider, status, 'the body is not JSON');
      }
    }
    const detail = this.#redact(providerMessage(text));
    if (status === 401 || status === 403) throw new TargetAuthError(this.#provider, status, detail);
    // OpenAI answers 429 both for "slow down" and for "out of credit"; only the first passes with time.
    if (isRetryable(status) && !/insufficient_quota/.test(text)) {
      return { status, problem: `HTTP ${status}${detail ? ` ${detail}` : ''}`, waitMs: retryAfterMs(response.headers) };
    }
    throw new TargetRequestError(this.#provider, status, detail, adviceFor(status));
  }

  #redact(text: string): string {
    return this.#secret ? text.split(this.#secret).join('[api key]') : text;
  }
}
