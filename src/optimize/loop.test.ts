// The optimizer loop against a scripted OpenAI-compatible test server (a test double, not a model)
// and the tiny random-weight fixture DLM: bounded runs that stop by themselves.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../model/engine';
import { createTarget } from '../targets/create-target';
import { startTestServer, type TestServer } from '../../test/support/openai-test-server';
import { parseOptimizeConfig, type ConfigInput } from './config';
import { optimize, type OptimizeEvent } from './loop';

const fixture = fileURLToPath(new URL('../../test/fixtures/tiny-model', import.meta.url));
const rows = [
  { input: 'I loved this film.', expected: 'positive' },
  { input: 'Terrible and boring.', expected: 'negative' },
  { input: 'A moving story.', expected: 'positive' },
  { input: 'I hated it.', expected: 'negative' },
  { input: 'Fine actors, great music.', expected: 'positive' },
  { input: 'The worst of the year.', expected: 'negative' },
];
/** Enough rows to split: 24 train, 12 validation, 12 test. */
const many = Array.from({ length: 48 }, (_, i) => ({ input: `Review ${i}: ${i % 3 ? 'lovely' : 'awful'} film.`, expected: i % 3 ? 'positive' : 'negative' }));
const expectedOf = new Map([...rows, ...many].map((r) => [r.input, r.expected]));

/** A deterministic "model": right or wrong depending on a hash of the prompt and the question. */
function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

const prompt = 'You classify reviews. Answer with one word, positive or negative. Think about the tone first.';
const locked: [number, number] = [prompt.indexOf('Answer'), prompt.indexOf(' Think')];

let engine: Engine;
let server: TestServer;

beforeAll(async () => {
  engine = await Engine.load({ model: fixture, quantization: 'fp32', backend: 'wasm' });
  server = await startTestServer(({ system, user }, call) => {
    // GPO's optimizer LLM: a rewrite of the part it was given, one word changed; every third draw too
    // long for the edit budget, every fifth one without the placeholder, to be drawn again.
    if (system.startsWith('You improve one part')) {
      if (call % 3 === 0) return `${user} ${'and also think about it very carefully '.repeat(6)}`;
      if (call % 5 === 0) return user.replace('{domain}', 'films');
      const words = user.split(' ');
      words[hash(user + call) % words.length] = ['Kindly', 'Please', 'Carefully', 'Now'][call % 4];
      return words.join(' ');
    }
    if (system.includes('You grade one answer')) return `SCORE: ${hash(user) % 11}\nFEEDBACK: Say the label only.`;
    // The hybrid proposer's reflection on the failures.
    if (system.startsWith('You review the instructions')) return ' Tell the model to answer with the label only. ';
    // Each prompt has a "quality" from its hash: it answers the first quality x 6 examples right.
    const quality = hash(system) % 7;
    const rank = rows.findIndex((r) => r.input === user);
    const right = (rank >= 0 ? rank : hash(user) % 6) < quality;
    const truth = expectedOf.get(user) ?? 'positive';
    return right ? truth : truth === 'positive' ? 'negative' : 'positive';
  });
});
afterAll(async () => {
  await server.close();
  await engine.dispose();
});

function config(overrides: Partial<ConfigInput> = {}) {
  return parseOptimizeConfig({
    prompt,
    locked: [locked],
    dataset: { rows },
    metric: 'exact',
    target: { provider: 'openai-compatible', model: 'scripted', baseURL: server.baseURL },
    dlm: { quant: 'fp32', steps: 4 },
    search: { iterations: 3, candidates: 3, minibatch: 4, seed: 3 },
    ...overrides,
  });
}

function run(cfg = config(), extra: { previous?: Parameters<typeof optimize>[0]['previous']; signal?: AbortSignal; onEvent?: (e: OptimizeEvent) => void } = {}) {
  if (cfg.target.provider === 'local-mlm') throw new Error('these runs score on the scripted LLM');
  return optimize({ config: cfg, examples: 'rows' in cfg.dataset ? cfg.dataset.rows : [], engine, target: createTarget(cfg.target), ...extra });
}

describe('the optimizer loop', () => {
  it('never ends below the initial prompt, whatever the seed, and finds better ones', async () => {
    expect((await run(config({ search: { iterations: 1, candidates: 1, minibatch: 1, seed: 0 } }))).initial.score).toBeLessThan(1);
    let improved = 0;
    for (const seed of [0, 1, 2]) {
      const result = await run(config({ search: { iterations: 3, candidates: 4, minibatch: 4, seed } }));
      expect(result.best.score).toBeGreaterThanOrEqual(result.initial.score);
      expect(result.stopReason).toBe('iterations');
      expect(result.iterations).toHaveLength(3);
      if (result.best.score > result.initial.score) improved++;
    }
    expect(improved).toBeGreaterThan(0);
  });

  it('keeps locked text byte for byte in every candidate', async () => {
    const result = await run();
    const lockedText = prompt.slice(...locked);
    expect(result.candidates.length).toBeGreaterThan(3);
    for (const c of result.candidates) {
      expect(c.locked).toHaveLength(1);
      expect(c.prompt.slice(c.locked[0][0], c.locked[0][1])).toBe(lockedText);
    }
  });

  it('gives the same run for the same seed and the same answers', async () => {
    const a = await run();
    const b = await run();
    expect(b.candidates).toEqual(a.candidates);
    expect(b.best).toEqual(a.best);
  });

  it('decays the edit budget and records each candidate parent and masked spans', async () => {
    const result = await run(config({ search: { iterations: 4, candidates: 2, minibatch: 4, seed: 5, editBudget: { initial: 0.5, final: 0.1 } } }));
    const fractions = result.iterations.map((i) => i.editFraction);
    expect(fractions[0]).toBeCloseTo(0.5);
    expect(fractions.at(-1)).toBeCloseTo(0.1);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeLessThan(fractions[i - 1]);
    for (const c of result.candidates.slice(1)) {
      expect(result.candidates.some((p) => p.id === c.parent)).toBe(true);
      expect(c.maskedSpans.length).toBeGreaterThan(0);
    }
  });

  it('counts every target call it makes, judge calls included', async () => {
    const before = server.calls;
    const result = await run(config({ metric: { judge: { rubric: 'The label is right.' } }, search: { iterations: 1, candidates: 2, minibatch: 3, seed: 0 } }));
    expect(result.usage.targetCalls).toBe(server.calls - before);
    expect(result.usage.targetCalls % 2).toBe(0); // an answer and a judgement per example
    expect(result.usage.inputTokens).toBeGreaterThan(0);
  });

  it('stops on the call budget, and a resumed run ends exactly as an uninterrupted one', async () => {
    const whole = await run();
    const cut = await run(config({ budget: { maxTargetCalls: 30 } }));
    expect(cut.stopReason).toBe('budget');
    expect(cut.usage.targetCalls).toBeLessThanOrEqual(30);
    expect(cut.iterations.length).toBeLessThan(3);
    const resumed = await run(config(), { previous: cut });
    expect(resumed.stopReason).toBe('iterations');
    expect(resumed.candidates).toEqual(whole.candidates);
    expect(resumed.best).toEqual(whole.best);
  });

  it('fills the same masks with random tokens for the random baseline, and keeps the same masks when blind', async () => {
    const one = { iterations: 1, candidates: 3, minibatch: 4, seed: 2, spans: ['random' as const] };
    const [dlm, random, blind] = await Promise.all(
      (['dlm', 'random', 'dlm-blind'] as const).map((proposer) => run(config({ search: { ...one, proposer } }))),
    );
    const made = (r: typeof dlm) => r.candidates.filter((c) => c.iteration === 1);
    expect(made(random).map((c) => c.maskedSpans)).toEqual(made(dlm).map((c) => c.maskedSpans));
    expect(made(random).map((c) => c.prompt)).not.toEqual(made(dlm).map((c) => c.prompt));
    expect(made(blind).map((c) => c.maskedSpans)).toEqual(made(dlm).map((c) => c.maskedSpans));
  });

  it('runs GPO: the optimizer LLM rewrites within the word budget, keeps placeholders, and is metered apart', async () => {
    const withPlaceholder = 'You classify {domain} reviews. Answer with one word, positive or negative. Think about the tone first.';
    const answer: [number, number] = [withPlaceholder.indexOf('Answer'), withPlaceholder.indexOf(' Think')];
    const before = server.calls;
    const result = await run(config({ prompt: withPlaceholder, locked: [answer], search: { proposer: 'gpo', iterations: 3, candidates: 3, minibatch: 4, seed: 1 } }));
    const made = result.candidates.filter((c) => c.iteration > 0);
    expect(made.length).toBeGreaterThan(3);
    for (const c of made) {
      expect(c.proposer).toBe('gpo');
      expect(c.strategy).toBe('llm');
      const budget = result.iterations.find((i) => i.iteration === c.iteration)!.editBudgetWords;
      expect(c.editWords).toBeGreaterThan(0);
      expect(c.editWords).toBeLessThanOrEqual(budget);
      expect(c.prompt).toContain('{domain}');
      expect(c.prompt).toContain(withPlaceholder.slice(...answer));
    }
    // Over-budget and placeholder-dropping draws were made, and drawn again: more optimizer calls than candidates.
    expect(result.usage.optimizer.calls).toBeGreaterThan(made.length);
    expect(result.usage.targetCalls + result.usage.optimizer.calls).toBe(server.calls - before);
  });

  it('runs hybrid: the optimizer LLM reflects on the failures once an iteration, and the DLM rewrites', async () => {
    const before = server.calls;
    const result = await run(config({ search: { proposer: 'hybrid', iterations: 3, candidates: 3, minibatch: 4, seed: 1 } }));
    const made = result.candidates.filter((c) => c.iteration > 0);
    expect(made.length).toBeGreaterThan(0);
    for (const c of made) {
      expect(c.proposer).toBe('hybrid');
      expect(c.strategy).not.toBe('llm'); // the DLM's spans, not a part rewritten whole
      expect(c.prompt).toContain(prompt.slice(...locked));
    }
    const reflected = result.iterations.filter((i) => i.reflection !== undefined);
    expect(reflected.length).toBeGreaterThan(0);
    for (const i of reflected) expect(i.reflection).toBe('Tell the model to answer with the label only.');
    // One reflection per iteration that had a failure, metered as the optimizer's, within the same budget.
    expect(result.usage.optimizer.calls).toBe(reflected.length);
    expect(result.usage.targetCalls + result.usage.optimizer.calls).toBe(server.calls - before);
  });

  it('locks template placeholders for the DLM too: every candidate keeps them', async () => {
    const withPlaceholders = 'You read {{ channel }} messages for {company}. Answer with one word, positive or negative.';
    const result = await run(config({ prompt: withPlaceholders, locked: [], search: { iterations: 2, candidates: 4, minibatch: 4, seed: 4, editBudget: { initial: 0.9, final: 0.9 } } }));
    expect(result.candidates[0].locked).toEqual([
      [withPlaceholders.indexOf('{{'), withPlaceholders.indexOf('}}') + 2],
      [withPlaceholders.indexOf('{company}'), withPlaceholders.indexOf('{company}') + 9],
    ]);
    expect(result.candidates.length).toBeGreaterThan(4);
    for (const c of result.candidates) {
      expect(c.prompt).toContain('{{ channel }}');
      expect(c.prompt).toContain('{company}');
    }
  });

  it('refuses to resume a result made with another config', async () => {
    const first = await run(config({ search: { iterations: 1, candidates: 1, minibatch: 2, seed: 0 } }));
    await expect(run(config({ search: { iterations: 2, candidates: 1, minibatch: 2, seed: 9 } }), { previous: first })).rejects.toThrow(/another config/);
  });

  it('resumes a result file written when the marked ranges were config.rewrite', async () => {
    const cfg = config({ search: { iterations: 2, candidates: 1, minibatch: 2, seed: 0 } });
    const stop = new AbortController();
    const first = await run(cfg, { signal: stop.signal, onEvent: (e) => e.type === 'checkpoint' && stop.abort() });
    expect(first.iterations).toHaveLength(1);
    const old = { ...first, config: Object.fromEntries(Object.entries(first.config).map(([key, value]) => [key === 'marked' ? 'rewrite' : key, value])) as typeof first.config };
    const resumed = await run(cfg, { previous: old });
    expect(resumed.iterations).toHaveLength(2);
  });

  it('stops when asked, keeping the iterations it finished', async () => {
    const controller = new AbortController();
    const result = await run(config(), {
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'checkpoint') controller.abort(new DOMException('Stopped.', 'AbortError'));
      },
    });
    expect(result.stopReason).toBe('aborted');
    expect(result.iterations).toHaveLength(1);
  });
});

describe('the optimizer loop on split rows', () => {
  const splitConfig = (overrides: Partial<ConfigInput> = {}) => config({ dataset: { rows: many }, search: { iterations: 3, candidates: 3, minibatch: 6, seed: 1 }, ...overrides });
  const rowOf = new Map(many.map((r, i) => [r.input, i]));

  it('selects on train, decides on validation, and only reports test, scored last for the initial and the best prompt', async () => {
    const first = server.requests.length;
    const result = await run(splitConfig());
    const { train, validation, test } = result.split;
    expect(new Set([...train, ...validation, ...test]).size).toBe(48);
    expect([train.length, validation.length, test.length]).toEqual([24, 12, 12]);
    expect(result.warnings).toEqual([]);
    for (const iteration of result.iterations) for (const row of iteration.minibatch) expect(train).toContain(row);

    const asked = server.requests.slice(first).map((r) => ({ prompt: r.system, row: rowOf.get(r.user)! }));
    const onTest = asked.map((a, i) => (test.includes(a.row) ? i : -1)).filter((i) => i >= 0);
    const firstTest = Math.min(...onTest);
    expect(onTest.length).toBeGreaterThan(0);
    // Every question on a test row comes after every other question: no decision could have read one.
    expect(asked.slice(firstTest).every((a) => test.includes(a.row))).toBe(true);
    expect(new Set(asked.slice(firstTest).map((a) => a.prompt))).toEqual(new Set([result.initial.prompt, result.best.prompt]));
    // Validation rows are asked only of the initial prompt and of minibatch winners, never as traces.
    const winners = new Set([result.initial.prompt, ...result.candidates.filter((c) => c.validationScore !== null).map((c) => c.prompt)]);
    for (const a of asked) if (validation.includes(a.row)) expect(winners.has(a.prompt)).toBe(true);

    const t = result.test!;
    expect(t.n).toBe(12);
    expect(t.delta.mean).toBeCloseTo(t.best.score - t.initial.score, 10);
    expect(t.initial.ci95[0]).toBeLessThanOrEqual(t.initial.score);
    expect(t.initial.ci95[1]).toBeGreaterThanOrEqual(t.initial.score);
  });

  it('searches few-shot demonstrations drawn only from train rows the target answered right, and shows them to the target', async () => {
    const first = server.requests.length;
    const result = await run(splitConfig({ search: { iterations: 3, candidates: 3, minibatch: 6, seed: 1, demos: 2 } }));
    const { train } = result.split;
    const carrying = result.candidates.filter((c) => (c.demos ?? []).length > 0);
    expect(carrying.length).toBeGreaterThan(0);
    expect(result.candidates.some((c) => c.strategy === 'demos' && c.prompt === result.candidates[c.parent!].prompt)).toBe(true);
    for (const c of carrying) {
      expect(c.demos!.length).toBeLessThanOrEqual(2);
      for (const d of c.demos!) {
        expect(train).toContain(d.row);
        expect(d.input).toBe(many[d.row].input);
        expect(d.output).toBe(many[d.row].expected); // scored in full by the exact metric
      }
    }
    // The target reads the demonstrations after the instructions; the proposers never rewrite them.
    const systems = new Set(server.requests.slice(first).map((r) => r.system));
    const shown = carrying[0];
    expect(systems).toContain(`${shown.prompt}\n\nExamples:\n\n${shown.demos!.map((d) => `Input: ${d.input}\nOutput: ${d.output}`).join('\n\n')}`);
    for (const c of result.candidates) expect(c.prompt).not.toContain('Examples:');
    const best = result.candidates[result.best.id];
    expect(result.best.prompt.startsWith(best.prompt)).toBe(true);
    expect(result.best.prompt.includes('Examples:')).toBe((best.demos ?? []).length > 0);
  });

  it('keeps the answers with the result, so a resumed run pays for none of them twice', async () => {
    const whole = await run(splitConfig());
    const cut = await run(splitConfig({ budget: { maxTargetCalls: 60 } }));
    expect(cut.stopReason).toBe('budget');
    expect(cut.usage.targetCalls).toBeLessThanOrEqual(60);
    expect(cut.test).not.toBeNull(); // the test calls were kept back from the search
    const before = server.calls;
    const resumed = await run(splitConfig(), { previous: JSON.parse(JSON.stringify(cut)) });
    expect(resumed.candidates).toEqual(whole.candidates);
    expect(resumed.test).toEqual(whole.test);
    expect(resumed.usage.targetCalls).toBe(whole.usage.targetCalls);
    expect(server.calls - before).toBe(whole.usage.targetCalls - cut.usage.targetCalls);
  });

  it('reports no test figures for a stopped run, and scores test when the resumed run ends', async () => {
    const controller = new AbortController();
    const stopped = await run(splitConfig(), {
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'checkpoint') controller.abort(new DOMException('Stopped.', 'AbortError'));
      },
    });
    expect(stopped.stopReason).toBe('aborted');
    expect(stopped.test).toBeNull();
    const resumed = await run(splitConfig(), { previous: stopped });
    expect(resumed.test?.n).toBe(12);
  });

  it('refuses to resume on rows that split differently', async () => {
    const first = await run(splitConfig({ search: { iterations: 1, candidates: 1, minibatch: 2, seed: 1 } }));
    const changed = { ...first, split: { ...first.split, test: first.split.test.slice(1) } };
    await expect(run(splitConfig({ search: { iterations: 1, candidates: 1, minibatch: 2, seed: 1 } }), { previous: changed })).rejects.toThrow(/dataset has changed/);
  });
});
