// `remask optimize` honours its command-line contract against a scripted OpenAI-compatible test
// server (a test double) and the fixture DLM: result JSON on stdout and --out, clear errors, resume.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/support/openai-test-server';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = `${root}test/fixtures/tiny-model`;
let server: TestServer;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'remask-optimize-'));
  // Answers "positive" unless the prompt is longer than the initial one: deterministic, prompt-dependent.
  server = await startTestServer(({ system, user }) => (system.length % 2 === 0 && user.includes('loved') ? 'negative' : 'positive'));
  await writeFile(join(dir, 'data.jsonl'), ['{"review": "I loved it", "label": "positive"}', '{"review": "I hated it", "label": "negative"}', '{"review": "So good", "label": "positive"}'].join('\n'));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const prompt = 'Classify the review. Reply with positive or negative only.';

function configWith(overrides: Record<string, unknown> = {}) {
  return {
    prompt,
    locked: [[0, 20]],
    dataset: { path: 'data.jsonl', input: 'review', expected: 'label' },
    metric: 'exact',
    target: { provider: 'openai-compatible', model: 'scripted', baseURL: server.baseURL },
    dlm: { model: fixture, quant: 'fp32', steps: 4 },
    search: { iterations: 2, candidates: 2, minibatch: 2, seed: 0 },
    ...overrides,
  };
}

async function optimize(config: unknown, ...flags: string[]) {
  const path = join(dir, `run-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(path, JSON.stringify(config));
  try {
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((done, fail) =>
      execFile('node', ['bin/remask.mjs', 'optimize', '--config', path, ...flags], { cwd: root, env: { ...process.env, NO_KEY: '' } }, (error, stdout, stderr) =>
        error ? fail(Object.assign(error, { stdout, stderr })) : done({ stdout, stderr }),
      ),
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('remask optimize', () => {
  it('prints the result JSON on stdout and writes the same to --out, with progress on stderr', async () => {
    const out = join(dir, 'result.json');
    const run = await optimize(configWith(), '--out', out);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(JSON.parse(await readFile(out, 'utf8'))).toEqual(result);
    expect(Object.keys(result)).toEqual(expect.arrayContaining(['best', 'initial', 'iterations', 'candidates', 'usage', 'stopReason']));
    expect(Object.keys(result.best)).toEqual(expect.arrayContaining(['prompt', 'score']));
    expect(Object.keys(result.candidates[1])).toEqual(expect.arrayContaining(['id', 'parent', 'prompt', 'maskedSpans', 'score', 'iteration']));
    expect(Object.keys(result.usage)).toEqual(expect.arrayContaining(['targetCalls', 'inputTokens', 'outputTokens', 'usd']));
    expect(result.best.score).toBeGreaterThanOrEqual(result.initial.score);
    for (const c of result.candidates) expect(c.prompt.startsWith(prompt.slice(0, 20))).toBe(true);
    expect(run.stderr).toMatch(/estimate: at most \d+ target calls/);
    expect(run.stderr).toMatch(/iteration 2\/2/);
  });

  it('resumes a run stopped by its budget without repeating finished iterations', async () => {
    const out = join(dir, 'resumable.json');
    const cut = await optimize(configWith({ budget: { maxTargetCalls: 10 } }), '--out', out);
    expect(cut.code).toBe(0);
    const first = JSON.parse(cut.stdout);
    expect(first.stopReason).toBe('budget');
    const resumed = await optimize(configWith(), '--resume', out, '--out', out);
    const second = JSON.parse(resumed.stdout);
    expect(second.stopReason).toBe('iterations');
    expect(second.iterations.slice(0, first.iterations.length)).toEqual(first.iterations);
    expect(second.iterations).toHaveLength(2);
  });

  it('refuses to resume from a file that is not a whole result, naming the field that is wrong', async () => {
    const out = join(dir, 'damaged.json');
    expect((await optimize(configWith({ budget: { maxTargetCalls: 10 } }), '--out', out)).code).toBe(0);
    const damaged = JSON.parse(await readFile(out, 'utf8'));
    damaged.candidates[0].prompt = 42;
    await writeFile(out, JSON.stringify(damaged));
    const run = await optimize(configWith(), '--resume', out);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/is not a Remask optimize result \(candidates\.0\.prompt: .*string/);
    expect(run.stdout).toBe('');
  });

  it.each([
    [() => ({ ...configWith(), temperatur: 1 }), /Unknown field config\.temperatur/],
    [() => configWith({ search: { iterations: 0 } }), /config\.search\.iterations/],
    [() => configWith({ locked: [[10, 500]] }), /config\.locked\[0\]/],
    [() => configWith({ dataset: { path: 'missing.jsonl', input: 'review', expected: 'label' } }), /missing\.jsonl does not exist/],
    [() => configWith({ dataset: { path: 'data.jsonl', input: 'text', expected: 'label' } }), /no field "text"/],
    [() => configWith({ target: { provider: 'openai', model: 'gpt-4o-mini', apiKeyEnv: 'NO_KEY' } }), /NO_KEY/],
    [() => configWith({ metric: { regex: '(' } }), /config\.metric\.regex/],
  ])('refuses a bad config with a message naming the field, exit 2, and writes nothing (%#)', async (config, message) => {
    const out = join(dir, `never-${Math.random()}.json`);
    const run = await optimize(config(), '--out', out);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('runs fully offline with the local masked-LM target', async () => {
    const run = await optimize(configWith({ target: { provider: 'local-mlm', labels: ['positive', 'negative'] } }));
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.usage.targetCalls).toBeGreaterThan(0);
    expect(result.best.score).toBeGreaterThanOrEqual(result.initial.score);
  });
});

describe('remask synth', () => {
  it('writes the examples the target wrote as JSONL, ready to use as a dataset', async () => {
    const synthServer = await startTestServer(({ user }) => (user.includes('Do not repeat') ? '{"input": "So dull", "expected": "negative"}' : '{"input": "Loved it", "expected": "positive"}\n{"input": "Awful", "expected": "negative"}'));
    const out = join(dir, 'synth.jsonl');
    try {
      const run = await new Promise<{ code: number; stderr: string }>((done) =>
        execFile('node', ['bin/remask.mjs', 'synth', '--task', 'review sentiment', '--count', '3', '--out', out, '--provider', 'openai-compatible', '--model', 'scripted', '--base-url', synthServer.baseURL], { cwd: root }, (error, _stdout, stderr) =>
          done({ code: error ? (error as { code: number }).code : 0, stderr }),
        ),
      );
      expect(run.code).toBe(0);
      const lines = (await readFile(out, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
      expect(lines).toEqual([
        { input: 'Loved it', expected: 'positive' },
        { input: 'Awful', expected: 'negative' },
        { input: 'So dull', expected: 'negative' },
      ]);
    } finally {
      await synthServer.close();
    }
  });
});

describe('remask draft', () => {
  it('writes a first prompt, synthetic data and a config that remask optimize reads, from a task description', async () => {
    let n = 0;
    const draftServer = await startTestServer(({ system }) => {
      if (system.startsWith('You turn a task description')) return 'Classify the movie review as positive or negative.';
      return Array.from({ length: 5 }, () => (n++, JSON.stringify({ input: `Review ${n}: ${n % 2 ? 'great' : 'dull'}`, expected: n % 2 ? 'positive' : 'negative' }))).join('\n');
    });
    const out = join(dir, 'drafted');
    try {
      const draft = (...extra: string[]) =>
        new Promise<{ code: number; stderr: string }>((done) =>
          execFile('node', ['bin/remask.mjs', 'draft', '--task', 'classify a movie review as positive or negative', '--out', out, '--count', '10', '--strategy', 'step-by-step', '--provider', 'openai-compatible', '--model', 'scripted', '--base-url', draftServer.baseURL, ...extra], { cwd: root }, (error, _stdout, stderr) =>
            done({ code: error ? (error as { code: number }).code : 0, stderr }),
          ),
        );
      const run = await draft();
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/intent \(as the target read it\): Classify the movie review as positive or negative\./);
      expect(run.stderr).toMatch(/metric exact \(labels: negative, positive\)/);
      expect((await readFile(join(out, 'prompt.txt'), 'utf8')).trim()).toBe(
        'Classify the movie review as positive or negative. Think it through step by step, then give one of: negative, positive alone on the last line.',
      );
      expect((await readFile(join(out, 'data.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(10);
      const config = JSON.parse(await readFile(join(out, 'config.json'), 'utf8'));
      expect(config).toMatchObject({ dataset: { path: 'data.jsonl', input: 'input', expected: 'expected' }, metric: 'exact', target: { provider: 'openai-compatible', model: 'scripted' } });
      const { parseOptimizeConfig } = await import('../optimize/config');
      expect(() => parseOptimizeConfig(config)).not.toThrow();
      // A second draft into the same folder does not overwrite the first without --force.
      const again = await draft();
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/already holds a config\.json: choose another --out, or pass --force/);
    } finally {
      await draftServer.close();
    }
  });
});
