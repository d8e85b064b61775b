// npm run eval:infill -- [--models DIR,DIR] [--names a,b] [--rows 80] [--rules JSON] [--json FILE]
// Span infill on held-out instruction text, model beside model: for each paragraph of
// models/heldout-instructions.txt (never trained on), one run of 2-12 tokens on word boundaries is masked
// and decoded by each package with its own default rule (config.json `remask_decoding`), in Node (WASM);
// a package whose rule avoids repeats is also run without that guard, to show the model's own stutter and
// what the guard does to fluency.
// Reported per model: top-1 (filled tokens equal to the original's), repeats (filled tokens that say a
// phrase twice in a row, src/core/repeats.ts; beside the original spans' own, the floor a fluent fill
// would have), stutter (filled tokens equal to the one before them: the repeats releases 2-4 were
// measured by), and fluency as the
// local LLM (Gemma 3 270M, `npm run local-llm`, started here when none answers) judges it: the mean
// log-probability per token of the text from the span to the paragraph's end, given the text before it;
// beside the original text's, with paired 95% intervals, and each later package's paired difference from
// the first one (the new model against the old, on the same rows). `--rules '{"one per step": {"steps": 64}}'`
// also decodes with the last package under other rules (engine settings, its repeat guard kept unless a
// rule names avoidRepeats), each with its paired difference from that package's default rule: is a fill's
// fluency the model's or the decoder's? Then six realistic system prompts, each with one phrase rewritten
// by every model.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chooseSpan, immediateRepeats, meanSummary, parseRules, type MeanSummary } from './infill-eval';
import { PositionState } from '../src/core/canvas';
import { countRepeats } from '../src/core/repeats';
import { Rng } from '../src/core/rng';
import { decode } from '../src/core/sampler';
import { defaultQuantization } from '../src/model/embedded';
import { Engine, type InfillSettings } from '../src/model/engine';
import { MASK_MARKER } from '../src/model/mask-marker';
import { percent } from '../src/optimize/stats';
import { freePort, startLocalLlm, type LocalLlm } from '../scripts/local-llm';

const root = fileURLToPath(new URL('../', import.meta.url));
const { values: flags } = parseArgs({
  options: {
    models: { type: 'string', default: `${root}models/work/remask-mini-6,${root}models/remask-mini` },
    names: { type: 'string', default: 'remask-mini 6,remask-mini 7' },
    rows: { type: 'string', default: '80' },
    rules: { type: 'string', default: '{}' },
    llm: { type: 'string' },
    json: { type: 'string' },
  },
});
const log = (line: string) => process.stderr.write(`${line}\n`);
const rules = parseRules(flags.rules); // refused before minutes of loading and scoring, not after
const MAX_TOKENS = 72; // a paragraph is cut to this many tokens: prompt-sized, and within the LLM server's 64 answer tokens

/** Realistic system prompts, each with one phrase the models rewrite ({} marks it). */
const realPrompts: [string, string][] = [
  ["You are a customer support agent for an airline. Always{} before changing a booking, and never share another passenger's details.", " confirm the passenger's identity"],
  ['Summarize the following article in three bullet points, in{} for a general reader.', ' plain, simple language'],
  ['You are a careful math tutor. Show each step of the calculation, then{} on its own line.', ' give the final answer'],
  ['Classify the sentiment of the review as positive or negative. Answer with{}, and nothing else.', ' one word'],
  ["You are a helpful coding assistant. When the user's request is ambiguous,{} before writing any code.", ' ask a clarifying question'],
  ["Translate the user's message into French. Keep names, numbers and{} unchanged.", ' code blocks'],
];

interface Row {
  left: string;
  span: string;
  right: string;
}

/** Mean log-probability per token the LLM gives `continuation` after `prompt`: the continuation is forced
 * token by token with a token-level grammar, and llama-server reports each forced token's log-probability
 * under the model's own distribution. */
async function llmLogProb(baseUrl: string, prompt: string, continuation: string): Promise<number> {
  const post = async (path: string, body: object) => {
    const response = await fetch(`${baseUrl}${path}`, { method: 'POST', body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
    return response.json();
  };
  const { tokens } = (await post('/tokenize', { content: continuation })) as { tokens: number[] };
  const grammar = `root ::= ${tokens.map((t) => `<[${t}]>`).join(' ')}`;
  // The server stops answers at a newline by default (`-r`), and a fill may hold one: a stop string that
  // never occurs replaces it.
  const out = (await post('/completion', { prompt, grammar, n_predict: tokens.length, n_probs: 1, temperature: 0, cache_prompt: true, stop: ['\u0000'] })) as {
    completion_probabilities: { logprob: number }[];
    content: string;
    stop_type: string;
  };
  const forced = out.completion_probabilities.slice(0, tokens.length);
  if (forced.length !== tokens.length) throw new Error(`the LLM returned ${forced.length} of ${tokens.length} forced tokens (${out.stop_type}: ${JSON.stringify(out.content)} for ${JSON.stringify(continuation)})`);
  return forced.reduce((sum, p) => sum + p.logprob, 0) / tokens.length;
}

/** The masked rows: from each paragraph, its first MAX_TOKENS tokens and one span of whole words. */
function heldoutRows(engine: Engine, count: number): Row[] {
  const codec = engine.codec;
  const rng = new Rng(20261130);
  const rows: Row[] = [];
  for (const line of readFileSync(`${root}models/heldout-instructions.txt`, 'utf8').split('\n')) {
    if (rows.length === count) break;
    const ids = codec.encode(line).slice(0, MAX_TOKENS);
    if (ids.length < 16) continue;
    const span = chooseSpan(ids, (i) => /^\s/.test(codec.tokenText(ids[i])), rng);
    if (!span) continue;
    const text = (a: number, b: number) => (b > a ? codec.decodeText(Int32Array.from(ids.slice(a, b))) : '');
    rows.push({ left: text(0, span.start), span: text(span.start, span.end), right: text(span.end, ids.length) });
  }
  return rows;
}

/**
 * The model's fill of `row.span`: as many masks as the span has tokens in this model's vocabulary; with
 * how many of its tokens repeat (repeats.ts), and how many of the original span's do in its place.
 */
async function fill(engine: Engine, row: Row, settings: Partial<InfillSettings> = {}): Promise<{ ids: number[]; target: number[]; before: number; text: string; repeats: number; originalRepeats: number }> {
  const codec = engine.codec;
  const target = codec.encode(row.span);
  const canvas = codec.encodeInfill(`${row.left} ${MASK_MARKER.repeat(target.length)}${row.right}`);
  const result = await decode(engine.denoiser, canvas, engine.decodeOptions(settings));
  const at = canvas.state.indexOf(PositionState.masked);
  const span = Array.from(target, (_, i) => at + i);
  const original = Int32Array.from(canvas.ids);
  original.set(target, at);
  const ids = Array.from(result.ids.slice(at, at + target.length));
  return { ids, target, before: canvas.ids[at - 1], text: codec.decodeText(Int32Array.from(ids)), repeats: countRepeats(result.ids, span), originalRepeats: countRepeats(original, span) };
}

interface Run {
  name: string;
  engine: Engine;
  settings: Partial<InfillSettings>;
  /** The run of the same package with its repeat guard, for one without it. */
  guarded?: string;
  /** The run of the same package with its default rule, for one under another rule. */
  ruleOf?: string;
}

const fmt = (s: MeanSummary) => `${s.mean.toFixed(3)} [${s.ci95[0].toFixed(3)}, ${s.ci95[1].toFixed(3)}]`;

async function main() {
  const paths = flags.models.split(',');
  const names = flags.names.split(',');
  const engines = await Promise.all(paths.map((model) => Engine.load({ model, quantization: defaultQuantization('wasm'), backend: 'wasm' })));
  let server: LocalLlm | undefined;
  let llm = flags.llm;
  if (!llm) {
    server = await startLocalLlm(await freePort(), log);
    llm = server.baseURL.replace(/\/v1$/, '');
  }
  try {
    const rows = heldoutRows(engines[engines.length - 1], Number(flags.rows));
    log(`${rows.length} held-out rows; scoring the original text with the LLM`);
    // One request at a time: a queue of them all outlasts the client's header timeout on a busy server.
    const original: number[] = [];
    for (const r of rows) original.push(await llmLogProb(llm, r.left, `${r.span}${r.right}`));
    const report: Record<string, unknown> = { rows: rows.length, quantization: defaultQuantization('wasm'), original: meanSummary(original), models: {} };
    // Each package with its own rule, and a guarded one also without its guard (then the guard's own
    // effect on fluency: the paired difference, row by row, of the two runs); then the last package under
    // the other rules asked for.
    const runs: Run[] = engines.flatMap((engine, k) => [
      { name: names[k], engine, settings: {} },
      ...(engine.info.decoding?.avoidRepeats ? [{ name: `${names[k]} without avoid-repeats`, engine, settings: { avoidRepeats: false }, guarded: names[k] }] : []),
    ]);
    const last = engines.length - 1;
    for (const [rule, settings] of rules) runs.push({ name: `${names[last]}, ${rule}`, engine: engines[last], settings, ruleOf: names[last] });
    const judgedBy = new Map<string, number[]>();
    for (const { name, engine, settings, guarded, ruleOf } of runs) {
      let hits = 0;
      let repeats = 0;
      let originalRepeats = 0;
      let stutter = 0;
      let tokens = 0;
      const judged: number[] = [];
      const examples: { original: string; fill: string }[] = [];
      for (const [i, row] of rows.entries()) {
        const f = await fill(engine, row, settings);
        hits += f.ids.filter((id, j) => id === f.target[j]).length;
        repeats += f.repeats;
        originalRepeats += f.originalRepeats;
        stutter += immediateRepeats(f.before, f.ids);
        tokens += f.ids.length;
        judged.push(await llmLogProb(llm, row.left, `${f.text}${row.right}`));
        if (i < 8) examples.push({ original: `${row.left}[${row.span}]${row.right}`, fill: f.text });
      }
      const fluency = meanSummary(judged);
      const vsOriginal = meanSummary(judged.map((v, i) => v - original[i]));
      const models = report.models as Record<string, Record<string, unknown>>;
      models[name] = { top1: hits / tokens, repeats: repeats / tokens, originalRepeats: originalRepeats / tokens, stutter: stutter / tokens, tokens, fluency, vsOriginal, examples };
      log(`${name}: top-1 ${percent(hits / tokens)}%, repeats ${percent(repeats / tokens)}% (original text ${percent(originalRepeats / tokens)}%), stutter ${percent(stutter / tokens)}%, LLM log-prob/token ${fmt(fluency)} (original ${fmt(report.original as MeanSummary)}; paired difference ${fmt(vsOriginal)})`);
      judgedBy.set(name, judged);
      const first = runs[0].name;
      if (guarded === undefined && ruleOf === undefined && name !== first) {
        models[name].vsFirst = meanSummary(judged.map((v, i) => v - judgedBy.get(first)![i]));
        log(`${name} minus ${first}: LLM log-prob/token ${fmt(models[name].vsFirst as MeanSummary)} (paired)`);
      }
      if (guarded !== undefined) {
        const withGuard = judgedBy.get(guarded)!;
        models[guarded].guardEffect = meanSummary(withGuard.map((v, i) => v - judged[i]));
        log(`${guarded}: the guard's effect on LLM log-prob/token ${fmt(models[guarded].guardEffect as MeanSummary)} (guarded minus unguarded, paired)`);
      }
      if (ruleOf !== undefined) {
        models[name].vsDefault = meanSummary(judged.map((v, i) => v - judgedBy.get(ruleOf)![i]));
        log(`${name} minus its default rule: LLM log-prob/token ${fmt(models[name].vsDefault as MeanSummary)} (paired)`);
      }
    }
    const rewrites = [];
    for (const [template, phrase] of realPrompts) {
      const [left, right] = template.split('{}');
      const row = { left, span: phrase, right };
      const fills: string[] = [];
      for (const engine of engines) fills.push((await fill(engine, row)).text);
      rewrites.push({ prompt: template.replace('{}', `[${phrase}]`), fills: Object.fromEntries(names.map((n, k) => [n, fills[k]])) });
      log(`${template.replace('{}', `[${phrase}]`)}\n${names.map((n, k) => `  ${n}: [${fills[k]}]`).join('\n')}`);
    }
    report.rewrites = rewrites;
    const json = JSON.stringify(report, null, 2);
    if (flags.json) writeFileSync(flags.json, `${json}\n`);
    else process.stdout.write(`${json}\n`);
  } finally {
    await Promise.all(engines.map((e) => e.dispose()));
    await server?.close();
  }
}

await main();
