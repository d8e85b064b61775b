// Errors from target LLM calls that a user can act on. Every message names the provider and the HTTP
// status, and never contains the API key (provider messages are redacted before they get here).
import { RemaskError } from '../core/errors';

/** 401/403: the provider refused the key. Not retried: the same key will be refused again. */
export class TargetAuthError extends RemaskError {
  readonly provider: string;
  readonly status: number;
  constructor(provider: string, status: number, detail: string) {
    super(
      'target-auth',
      `${provider} refused the request (HTTP ${status}${detail ? `: ${detail}` : ''}): check the API key, and that it may use this model.`,
    );
    this.name = 'TargetAuthError';
    this.provider = provider;
    this.status = status;
  }
}

/** Any other 4xx: the request itself is wrong (model name, parameters, quota); retrying cannot help. */
export class TargetRequestError extends RemaskError {
  readonly provider: string;
  readonly status: number;
  constructor(provider: string, status: number, detail: string, advice: string) {
    super('target-request', `${provider} rejected the request (HTTP ${status}${detail ? `: ${detail}` : ''}): ${advice}`);
    this.name = 'TargetRequestError';
    this.provider = provider;
    this.status = status;
  }
}

/** 429, 5xx, timeouts or network failures that outlasted every retry. */
export class TargetUnavailableError extends RemaskError {
  readonly provider: string;
  /** Status of the last attempt; undefined when it never got an HTTP answer (network error, timeout). */
  readonly status: number | undefined;
  constructor(provider: string, attempts: number, status: number | undefined, lastProblem: string) {
    super(
      'target-unavailable',
      `${provider} did not answer after ${attempts} ${attempts === 1 ? 'try' : 'tries'} (last: ${lastProblem}): check the base URL and that the server is running (in a browser, that it allows cross-origin requests), or wait and try again with a lower concurrency.`,
    );
    this.name = 'TargetUnavailableError';
    this.provider = provider;
    this.status = status;
  }
}

/** A 2xx answer that is not the provider's wire format: usually a base URL that points at something else. */
export class TargetResponseError extends RemaskError {
  readonly provider: string;
  readonly status: number;
  constructor(provider: string, status: number, problem: string) {
    super(
      'target-response',
      `${provider} answered HTTP ${status} but ${problem}: check that the base URL points at the API root (for OpenAI-compatible servers it usually ends in /v1).`,
    );
    this.name = 'TargetResponseError';
    this.provider = provider;
    this.status = status;
  }
}
