// npm run bench:optimize -- [--task NAME[,NAME]] [--methods NAME[,NAME]] [--seeds N] [--json] [--rows N]
//   [--iterations N] [--budget CALLS] [--steps-task NAME|none] [--base-url URL --model NAME] [--dlm DIR]
//   [--temperature T]
// Does Remask make a real LLM do better on data it did not select on? Against the local LLM (started
// here unless --base-url names a server), on each task's test split, at the same target-call budget:
// the initial prompt, Remask, and two baselines that tell whether the DLM matters (random edits: the
// same masks filled with random tokens; the DLM without context: no traces, no trajectory), Remask with
// four few-shot demonstrations searched alongside, and GPO with the same LLM as its optimizer, its calls
// counted in the same budget; then the paper's Figure 3 (test score against diffusion steps) on one
// task. --dlm runs the DLM from another model package (default: the embedded one), --temperature samples its
// rewrites at another temperature than the optimizer's default (`dlm.temperature`). A table, or JSON.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { benchTasks, taskData, type BenchTask } from './optimize/tasks';
import { benchMethods, stepsTable, summarize, summaryTable, type BenchRun } from './optimize-bench';
import { Rng, sampleDistinct } from '../src/core/rng';
import { Engine } from '../src/model/engine';
import { parseOptimizeConfig, type ConfigInput } from '../src/optimize/config';
import { parseJsonl } from '../src/optimize/dataset';
import { optimize } from '../src/optimize/loop';
import { createTarget } from '../src/targets/create-target';
import type { ChatResponse, Target } from '../src/targets/target';
import { embeddedModelPath } from '../src/cli/paths';
import { freePort, startLocalLlm, type LocalLlm } from '../scripts/local-llm';

const { values: flags } = parseArgs({
  options: {
    // ASDiv answers take several tokens each: it runs only when asked for, to keep the default in 30 minutes.
    task: { type: 'string', default: 'movie-2,movie-5' },
    methods: { type: 'string', default: Object.keys(benchMethods).join(',') },
    seeds: { type: 'string', default: '2' },
    json: { type: 'boolean' },
    rows: { type: 'string', default: '300' },
    iterations: { type: 'string', default: '4' },
    budget: { type: 'string', default: '600' },
    'steps-task': { type: 'string', default: 'movie-2' },
    'base-url': { type: 'string' },
    dlm: { type: 'string' },
    temperature: { type: 'string' },
    model: { type: 'string' },
  },
});
const log = (line: string) => process.stderr.write(`${line}\n`);
const whole = (name: string, value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} ${value}: give a whole number >= 1.`);
  return n;
};
const seeds = whole('seeds', flags.seeds);
const rowCount = whole('rows', flags.rows);
const iterations = whole('iterations', flags.iterations);
const budget = whole('budget', flags.budget);
const temperature = flags.temperature === undefined ? undefined : Number(flags.temperature);
if (temperature !== undefined && !(temperature >= 0)) throw new Error(`--temperature ${flags.temperature}: give a number >= 0.`);
const tasks = flags.task.split(',').map((name) => {
  const task = benchTasks.find((t) => t.name === name);
  if (!task) throw new Error(`--task ${name}: no such task; the tasks are ${benchTasks.map((t) => t.name).join(', ')}.`);
  return task;
});
const methods = flags.methods.split(',').map((name) => {
  if (!(name in benchMethods)) throw new Error(`--methods ${name}: no such method; the methods are ${Object.keys(benchMethods).join(', ')}.`);
  return name;
});
const stepsTask = flags['steps-task'] === 'none' ? null : benchTasks.find((t) => t.name === flags['steps-task']);
const stepCounts = [1, 2, 4, 8, 16, 32];

/** Test rows are half of each subset: they cost the search nothing, and narrow the intervals. */
const split = { train: 0.3, validation: 0.2, test: 0.5 };

/**
 * Answers shared by every run of the benchmark, below each run's meter: a run still counts (and pays its
 * budget for) every call it makes, but the same question is not put to the server twice. With the
 * server at temperature 0 a repeated question would get the same answer anyway; sampled calls pass.
 */
function sharedAnswers(target: Target): Target {
  const answers = new Map<string, Promise<ChatResponse>>();
  return {
    provider: target.provider,
    model: target.model,
    complete(request) {
      // A sampled call (GPO's optimizer draws at temperature 1) must be drawn anew, never replayed.
      if (request.temperature) return target.complete(request);
      const key = `${request.system}\u0000${request.user}\u0000${request.maxTokens ?? ''}`;
      let answer = answers.get(key);
      if (!answer) {
        answer = target.complete(request);
        answers.set(key, answer);
        answer.catch(() => answers.delete(key));
      }
      return answer;
    },
  };
}

/** A fixed, seeded subset of the task's rows, the same for every method and seed. */
function subset(task: BenchTask): Array<{ input: string; expected: string }> {
  const all = parseJsonl(readFileSync(taskData(task, log), 'utf8'), 'input', 'expected');
  return Array.from(sampleDistinct(new Rng(0xbe7c4), all.length, rowCount), (i) => all[i]);
}

/** Prompt and generation speed of the server, from llama-server's own timings of one long request. */
async function serverSpeed(baseURL: string, model: string): Promise<{ promptTokensPerSecond: number; generationTokensPerSecond: number } | null> {
  const text = readFileSync(new URL('../models/heldout-sample.txt', import.meta.url), 'utf8').slice(0, 2000);
  const response = await fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'system', content: text }, { role: 'user', content: 'Go on.' }], max_tokens: 128, stop: ['<never>'], cache_prompt: false }),
  });
  const timings = ((await response.json()) as { timings?: { prompt_per_second?: number; predicted_per_second?: number } }).timings;
  return timings?.prompt_per_second && timings.predicted_per_second ? { promptTokensPerSecond: timings.prompt_per_second, generationTokensPerSecond: timings.predicted_per_second } : null;
}

async function main(): Promise<void> {
  let llm: LocalLlm | undefined;
  let baseURL = flags['base-url'];
  let model = flags.model ?? 'local';
  if (!baseURL) {
    llm = await startLocalLlm(await freePort(), log);
    baseURL = llm.baseURL;
    model = llm.model;
  }
  const engine = await Engine.load({ model: flags.dlm ?? embeddedModelPath(), quantization: 'int8', backend: 'wasm' });
  const target = sharedAnswers(createTarget({ provider: 'openai-compatible', model, baseURL }));
  const started = Date.now();
  try {
    const speed = await serverSpeed(baseURL, model);
    if (speed) log(`server: prompt ${speed.promptTokensPerSecond.toFixed(0)} tokens/s, generation ${speed.generationTokensPerSecond.toFixed(0)} tokens/s (one stream)`);

    let dlmTemperature: number | undefined; // the rewrites' sampling temperature, as the config resolved it
    async function runOnce(task: BenchTask, rows: Array<{ input: string; expected: string }>, method: string, seed: number, steps: number): Promise<BenchRun> {
      const start = task.prompt.indexOf(task.locked);
      const input: ConfigInput = {
        prompt: task.prompt,
        locked: [[start, start + task.locked.length]],
        dataset: { rows, split },
        metric: task.metric,
        target: { provider: 'openai-compatible', model, baseURL: baseURL! },
        dlm: { steps, temperature },
        search: { ...benchMethods[method], iterations, candidates: 4, minibatch: 8, seed },
        budget: { maxTargetCalls: budget },
      };
      const config = parseOptimizeConfig(input);
      dlmTemperature = config.dlm.temperature;
      const t0 = performance.now();
      const result = await optimize({ config, examples: rows, engine, target });
      const wallSeconds = (performance.now() - t0) / 1000;
      if (!result.test) throw new Error(`${task.name} ${method} seed ${seed}: no test figures (${result.warnings.join(' ')})`);
      const { usage } = result;
      const tokens = usage.inputTokens + usage.outputTokens + usage.optimizer.inputTokens + usage.optimizer.outputTokens;
      const run: BenchRun = { task: task.name, method, seed, steps, test: result.test, targetCalls: usage.targetCalls, optimizerCalls: usage.optimizer.calls, tokens, wallSeconds, bestPrompt: result.best.prompt };
      log(`${task.name} ${method} seed ${seed} steps ${steps}: test ${(100 * run.test.initial.score).toFixed(1)}% -> ${(100 * run.test.best.score).toFixed(1)}%, ${run.targetCalls} + ${run.optimizerCalls} calls, ${wallSeconds.toFixed(0)} s (${((Date.now() - started) / 60000).toFixed(1)} min so far)`);
      return run;
    }

    const runs: BenchRun[] = [];
    for (const task of tasks) {
      const rows = subset(task);
      for (let seed = 0; seed < seeds; seed++) {
        for (const method of methods) runs.push(await runOnce(task, rows, method, seed, 8));
      }
    }
    const stepRuns: BenchRun[] = [];
    if (stepsTask) {
      const rows = subset(stepsTask);
      for (const steps of stepCounts) {
        const done = steps === 8 ? runs.find((r) => r.task === stepsTask.name && r.method === 'remask' && r.seed === 0) : undefined;
        stepRuns.push(done ?? (await runOnce(stepsTask, rows, 'remask', 0, steps)));
      }
    }
    const summary = summarize(runs);
    const minutes = (Date.now() - started) / 60000;
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ model, baseURL, speed, rows: rowCount, split, iterations, budget, seeds, temperature: dlmTemperature, minutes, summary, steps: stepRuns, runs }, null, 2)}\n`);
    } else {
      process.stdout.write(`${summaryTable(summary)}\n\n`);
      if (stepsTask) process.stdout.write(`Figure 3, ${stepsTask.name}, seed 0: the best prompt's test score against diffusion steps\n\n${stepsTable(stepRuns)}\n\n`);
      process.stdout.write(`${model} at ${baseURL}; ${rowCount} rows per task (train/validation/test ${split.train}/${split.validation}/${split.test}), ${iterations} iterations, at most ${budget} target calls a run, rewrites sampled at temperature ${dlmTemperature}; ${minutes.toFixed(1)} min.\n`);
    }
  } finally {
    await engine.dispose();
    await llm?.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:optimize: ${(error as Error).message}\n`);
  process.exit(1);
});
