// Before a run against a local server: does anything answer there? A newcomer's first run otherwise
// spends five retries per call on a server that was never started.

/**
 * Null when the server at `baseURL` answers (any HTTP reply counts, a 404 included), else what to do.
 * From a page, a server that answers without allowing the page's origin (CORS) looks the same as none.
 */
export async function probeServer(baseURL: string, timeoutMs = 3000): Promise<string | null> {
  const root = baseURL.replace(/\/+$/, '');
  try {
    await fetch(`${root}/models`, { signal: AbortSignal.timeout(timeoutMs) });
    return null;
  } catch {
    return `Nothing answers at ${root} (or it does not allow calls from this page): start the server first, for Remask's own local LLM with \`npm run local-llm\`, or check the base URL and the server's CORS setting.`;
  }
}

/** `probeServer` for a target that names a server of its own (openai-compatible with a base URL); null for any other. */
export function probeTarget(target: { provider: string; baseURL?: string }): Promise<string | null> {
  return target.provider === 'openai-compatible' && target.baseURL ? probeServer(target.baseURL) : Promise.resolve(null);
}
