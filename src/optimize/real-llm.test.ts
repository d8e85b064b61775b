// Against a real LLM, not a double: Gemma 3 270M served by llama-server on 127.0.0.1
// (scripts/local-llm.ts; `npm test` installs both first, in its pretest step). A short optimize run,
// bounded at 100 target calls, with a real held-out test split; and the server's promises to the app.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, LocalLlmError, startLocalLlm, type LocalLlm } from '../../scripts/local-llm';
import { embeddedModelPath } from '../cli/paths';
import { Rng, sampleDistinct } from '../core/rng';
import { Engine } from '../model/engine';
import { createTarget } from '../targets/create-target';
import { parseOptimizeConfig, type ConfigInput } from './config';
import { parseJsonl } from './dataset';
import { optimize } from './loop';
import { draftConfig, draftFromTask, usableInstruction } from './task-draft';

const sentences = parseJsonl(readFileSync(fileURLToPath(new URL('../../examples/sentences/sentences.jsonl', import.meta.url)), 'utf8'), 'sentence', 'label');
const rows = Array.from(sampleDistinct(new Rng(11), sentences.length, 60), (i) => sentences[i]);
const prompt = 'Decide whether each review is positive or negative.\n\nInput: I loved every minute of it.\nOutput: positive\n\nInput: The food was cold and bland.\nOutput: negative';
const examplesAt = prompt.indexOf('\n\nInput:');

let llm: LocalLlm;
let engine: Engine;

// The first run on a machine builds llama-server (minutes); later starts take seconds.
beforeAll(async () => {
  llm = await startLocalLlm(await freePort(), () => {});
  engine = await Engine.load({ model: embeddedModelPath(), quantization: 'int8', backend: 'wasm' });
}, 900_000);
afterAll(async () => {
  await engine?.dispose();
  await llm?.close();
});

const target = () => createTarget({ provider: 'openai-compatible', model: llm.model, baseURL: llm.baseURL });
/** The few-shot sentiment prompt, its examples locked, on the 60 rows, at most 100 calls in all. */
const configFor = (search: ConfigInput['search']) =>
  parseOptimizeConfig({
    prompt,
    locked: [[examplesAt, prompt.length]],
    dataset: { rows },
    metric: 'exact',
    target: { provider: 'openai-compatible', model: llm.model, baseURL: llm.baseURL },
    search,
    budget: { maxTargetCalls: 100 },
  });

describe('the optimizer against a real local LLM', () => {
  it('runs within 100 target calls, selects on train and validation, and reports a held-out test', { timeout: 420_000 }, async () => {
    const config = configFor({ iterations: 2, candidates: 2, minibatch: 4, seed: 0 });
    const result = await optimize({ config, examples: rows, engine, target: target() });
    expect(result.usage.targetCalls).toBeLessThanOrEqual(100);
    expect(result.usage.targetCalls).toBeGreaterThan(40);
    expect(result.warnings).toEqual([]);
    expect([result.split.train.length, result.split.validation.length, result.split.test.length]).toEqual([30, 15, 15]);
    expect(result.test?.n).toBe(15);
    // A real model that follows the prompt's examples: its answers are labels, mostly right.
    const responses = result.answers.answers.map((a) => a.response.trim().toLowerCase());
    expect(responses.filter((r) => r === 'positive' || r === 'negative').length).toBeGreaterThan(responses.length * 0.8);
    expect(result.test!.initial.score).toBeGreaterThan(0.5);
    expect(result.test!.delta.mean).toBeCloseTo(result.test!.best.score - result.test!.initial.score, 10);
    for (const c of result.candidates) expect(c.prompt.slice(c.locked[0][0], c.locked[0][1])).toBe(prompt.slice(examplesAt));

    // Resumed with its answers, the finished run asks the server nothing again.
    const again = await optimize({ config, examples: rows, engine, target: target(), previous: JSON.parse(JSON.stringify(result)) });
    expect(again.usage.targetCalls).toBe(result.usage.targetCalls);
    expect(again.test).toEqual(result.test);
  });

  it('runs GPO with the same local LLM as the optimizer, within the word budget and 100 calls in all', { timeout: 420_000 }, async () => {
    const config = configFor({ proposer: 'gpo', iterations: 2, candidates: 2, minibatch: 4, seed: 0, editBudget: { initial: 0.6, final: 0.4 } });
    const result = await optimize({ config, examples: rows, engine, target: target() });
    expect(result.usage.optimizer.calls).toBeGreaterThan(0);
    expect(result.usage.targetCalls + result.usage.optimizer.calls).toBeLessThanOrEqual(100);
    for (const c of result.candidates.filter((c) => c.iteration > 0)) {
      expect(c.proposer).toBe('gpo');
      expect(c.editWords).toBeLessThanOrEqual(result.iterations.find((i) => i.iteration === c.iteration)?.editBudgetWords ?? Infinity);
      expect(c.prompt.endsWith(prompt.slice(examplesAt))).toBe(true);
    }
  });

  it('runs the hybrid proposer and few-shot demonstrations: one reflection an iteration, demonstrations from train rows', { timeout: 420_000 }, async () => {
    const bare = 'Decide whether each review is positive or negative. Reply with the label only.';
    const config = parseOptimizeConfig({ ...configFor({}), prompt: bare, locked: [], search: { proposer: 'hybrid', demos: 2, iterations: 1, candidates: 2, minibatch: 4, seed: 0 } });
    const result = await optimize({ config, examples: rows, engine, target: target() });
    expect(result.usage.targetCalls + result.usage.optimizer.calls).toBeLessThanOrEqual(100);
    // At most one reflection call an iteration; an empty reply (a base model may answer with a bare
    // newline) is made and metered but records no reflection.
    const reflections = result.iterations.filter((i) => i.reflection);
    expect(result.usage.optimizer.calls).toBeLessThanOrEqual(result.iterations.length);
    expect(reflections.length).toBeLessThanOrEqual(result.usage.optimizer.calls);
    for (const i of reflections) expect(i.reflection!.trim()).not.toBe('');
    for (const c of result.candidates) for (const d of c.demos ?? []) expect(result.split.train).toContain(d.row);
    // The bare instruction gets nothing right from this base model, so only iterations whose minibatch
    // had a right answer can offer demonstrations; the loop still ends with a test.
    expect(result.test).not.toBeNull();
  });

  it('drafts a run from a task description: a usable intent or the task itself, and examples the optimizer reads', { timeout: 300_000 }, async () => {
    const task = 'classify a movie review as positive or negative';
    const draft = await draftFromTask(target(), task, { strategy: 'plain', count: 2 });
    if (draft.intentFrom === 'llm') expect(usableInstruction(draft.instruction, task)).toBe(true);
    else expect(draft.instruction).toBe('Classify a movie review as positive or negative.');
    expect(draft.examples.length).toBeGreaterThan(0);
    expect(draft.prompt.startsWith(draft.instruction)).toBe(true);
    expect(() => parseOptimizeConfig(draftConfig(draft, 'data.jsonl', { provider: 'openai-compatible', model: llm.model, baseURL: llm.baseURL }))).not.toThrow();
  });

  it("answers the app's local origin with CORS, not other sites, and refuses a second start on its port", async () => {
    const from = (origin: string) => fetch(`${llm.baseURL}/models`, { headers: { origin } }).then((r) => r.headers.get('access-control-allow-origin'));
    expect(await from('http://127.0.0.1:5173')).toBe('http://127.0.0.1:5173');
    expect(await from('http://localhost:4173')).toBe('http://localhost:4173');
    expect(await from('https://example.com')).toBeNull();
    const port = Number(new URL(llm.baseURL).port);
    await expect(startLocalLlm(port, () => {})).rejects.toThrow(LocalLlmError);
    await expect(startLocalLlm(port, () => {})).rejects.toThrow(/already in use.*--port/);
  });
});
