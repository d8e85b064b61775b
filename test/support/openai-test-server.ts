// TEST DOUBLE, not a model: a tiny OpenAI-compatible chat server on 127.0.0.1 for unit and browser tests.
// A script decides every answer, so results are deterministic; it can also script failures (429 with
// Retry-After, 5xx, slow answers) to exercise retries and timeouts. Usage is reported as whitespace-word
// counts. Only POST /v1/chat/completions exists (404 otherwise); CORS is open so a page can call it.
// Bounded: the script runs once per request, bodies over 1 MiB are refused, close() ends everything.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestChatRequest {
  system: string;
  user: string;
  model: string;
}

export interface RecordedRequest extends TestChatRequest {
  /** The Authorization header as received, or undefined. */
  authorization: string | undefined;
  /** The whole parsed JSON body. */
  body: Record<string, unknown>;
}

/** A string is a successful answer; an object is a scripted HTTP reply (body defaults to an OpenAI-style error). */
export type ScriptReply = string | { status: number; body?: unknown; retryAfter?: number };
export type Script = (request: TestChatRequest, callIndex: number) => ScriptReply;

export interface TestServerOptions {
  /** Wait this long before answering (timeouts, concurrency); a function gets the 0-based call index. */
  delayMs?: number | ((callIndex: number) => number);
}

export interface TestServer {
  /** http://127.0.0.1:PORT/v1 */
  readonly baseURL: string;
  /** Requests that reached /v1/chat/completions. */
  readonly calls: number;
  /** Most requests in progress at once. */
  readonly maxInFlight: number;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

const maxBodyBytes = 1 << 20;
const words = (text: string): number => text.split(/\s+/).filter(Boolean).length;

const textOf = (content: unknown): string =>
  typeof content === 'string'
    ? content
    : Array.isArray(content)
      ? content.map((part: { text?: unknown }) => (typeof part?.text === 'string' ? part.text : '')).join('')
      : '';

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > maxBodyBytes ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startTestServer(script: Script, options: TestServerOptions = {}): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let calls = 0;
  let inFlight = 0;
  let maxInFlight = 0;

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', 'authorization, content-type');
    res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
    res.setHeader('access-control-expose-headers', 'retry-after');
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      send(res, 404, { error: { message: `No route ${req.method} ${path}: only POST /v1/chat/completions.` } });
      return;
    }
    const text = await readBody(req);
    if (text === undefined) return send(res, 413, { error: { message: 'Request body over 1 MiB.' } });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return send(res, 400, { error: { message: 'The body is not JSON.' } });
    }
    const messages = Array.isArray(body.messages) ? (body.messages as Array<{ role?: string; content?: unknown }>) : [];
    const request: TestChatRequest = {
      system: messages.filter((m) => m.role === 'system').map((m) => textOf(m.content)).join('\n'),
      user: textOf(messages.filter((m) => m.role === 'user').at(-1)?.content),
      model: String(body.model ?? ''),
    };
    const index = calls++;
    requests.push({ ...request, authorization: req.headers.authorization, body });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      const delay = typeof options.delayMs === 'function' ? options.delayMs(index) : (options.delayMs ?? 0);
      if (delay > 0) await wait(delay);
      const reply = script(request, index);
      if (typeof reply !== 'string') {
        const headers: Record<string, string> = reply.retryAfter === undefined ? {} : { 'retry-after': String(reply.retryAfter) };
        return send(res, reply.status, reply.body ?? { error: { message: `Scripted HTTP ${reply.status}.` } }, headers);
      }
      const input = words(request.system) + words(request.user);
      const output = words(reply);
      send(res, 200, {
        id: `chatcmpl-test-${index}`,
        object: 'chat.completion',
        model: request.model,
        choices: [{ index: 0, message: { role: 'assistant', content: reply }, finish_reason: 'stop' }],
        usage: { prompt_tokens: input, completion_tokens: output, total_tokens: input + output },
      });
    } finally {
      inFlight--;
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { error: { message: `Test server script failed: ${String(error)}` } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    get calls() {
      return calls;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    requests,
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
