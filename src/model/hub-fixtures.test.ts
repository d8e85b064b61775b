// Masked LMs as the Hugging Face Hub serves them (test/fixtures/hub, made with transformers by
// models/pipeline/make_hub_fixtures.py) load, take every id from their own files, and decode in
// onnxruntime-web (WASM) as torch decoded them.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PositionState } from '../core/canvas';
import { decode } from '../core/sampler';
import { Engine } from './engine';
import { evaluateMaskedLm } from './evaluate';
import { loadModelPackage } from './package';
import { TextCodec } from './tokenizer';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** What make_hub_fixtures.py recorded from torch and the tokenizers library. */
interface Reference {
  text: string;
  input_ids: number[];
  mask_id: number;
  never_write: number[];
  /** Rows of `logits` (the masked positions, the first and the last), each `vocab` wide. */
  rows: number[];
  logits: number[];
  vocab: number;
  greedy: { steps: number; ids: number[]; text: string };
}

/** Each family's mask token as its real tokenizer_config.json names it, and what its graph takes. */
const families = [
  { family: 'bert', maskToken: '[MASK]', tokenTypes: true, fp16Logits: 'float16' },
  { family: 'distilbert', maskToken: '[MASK]', tokenTypes: false, fp16Logits: null },
  { family: 'roberta', maskToken: '<mask>', tokenTypes: false, fp16Logits: null },
  { family: 'modernbert', maskToken: '[MASK]', tokenTypes: false, fp16Logits: 'float32' },
];

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let v = 1; v < row.length; v++) if (row[v] > row[best]) best = v;
  return best;
}

/** A text longer than every fixture's 128 positions, so it is read in windows. */
const longText = readFileSync(`${root}models/heldout-sample.txt`, 'utf8').slice(0, 3000).replace(/\s+/g, ' ');

describe.each(families)('the Hub-style $family fixture', ({ family, maskToken, tokenTypes, fp16Logits }) => {
  const dir = `${root}test/fixtures/hub/${family}`;
  const reference = readJson<Reference>(`${dir}/reference.json`);
  const never = new Set(reference.never_write);
  let engine: Engine;

  beforeAll(async () => {
    engine = await Engine.load({ model: dir, quantization: 'fp32', backend: 'wasm' });
  });
  afterAll(() => engine?.dispose());

  it('takes its mask token from tokenizer_config.json and its id from tokenizer.json', () => {
    const tokenizer = readJson<{ added_tokens: { id: number; content: string; special: boolean }[] }>(`${dir}/tokenizer.json`);
    expect(engine.codec.maskId).toBe(tokenizer.added_tokens.find((t) => t.content === maskToken)?.id);
    expect(engine.codec.maskId).toBe(reference.mask_id);
  });

  it('counts its special tokens and its [unusedN] placeholders, and only those, as tokens never to write', () => {
    const tokenizer = readJson<{ added_tokens: { id: number; special: boolean }[] }>(`${dir}/tokenizer.json`);
    const ids = Array.from(engine.codec.specialIds);
    for (const token of tokenizer.added_tokens) if (token.special) expect(ids).toContain(token.id);
    expect(ids).toEqual(reference.never_write);
  });

  it('lays the text out as the tokenizers library does, with the special tokens its post-processor adds', () => {
    const canvas = engine.codec.encodeInfill(reference.text);
    expect(Array.from(canvas.ids)).toEqual(reference.input_ids);
    expect(canvas.state.filter((s) => s === PositionState.masked)).toHaveLength(reference.greedy.steps);
  });

  it(`gives torch's fp32 logits to 1e-5 (inputs: input_ids, attention_mask${tokenTypes ? ', token_type_ids' : ''})`, async () => {
    const logits = await engine.denoiser.forward(Int32Array.from(reference.input_ids), Int32Array.from(reference.rows));
    expect(logits.length).toBe(reference.rows.length * reference.vocab);
    expect(maxAbsDiff(logits, reference.logits)).toBeLessThan(1e-5);
  });

  it('is tempted by a token never to write at some masked position, so the next test proves they are suppressed', () => {
    const tempted = reference.rows.filter((p, r) => {
      const preferred = argmax(reference.logits.slice(r * reference.vocab, (r + 1) * reference.vocab));
      return reference.input_ids[p] === reference.mask_id && never.has(preferred);
    });
    expect(tempted.length).toBeGreaterThan(0);
  });

  it('summarizes the masked rows in a second session on the logits where they lie, as the full logits read back give', async () => {
    const ids = Int32Array.from(reference.input_ids);
    const positions = Int32Array.from(reference.rows);
    const suppress = new Uint8Array(reference.vocab);
    for (const id of never) suppress[id] = 1;
    const summary = await engine.denoiser.summarize!(ids, positions, suppress);
    const logits = await engine.denoiser.forward(ids, positions);
    positions.forEach((_, r) => {
      const row = logits.slice(r * reference.vocab, (r + 1) * reference.vocab).map((x, v) => (suppress[v] ? -Infinity : x));
      const best = argmax(row);
      const logSumExp = Math.log(row.reduce((sum, x) => sum + Math.exp(x - row[best]), 0)) + row[best];
      expect(summary.token[r]).toBe(best);
      expect(summary.logProb[r]).toBeCloseTo(row[best] - logSumExp, 4);
    });
  });

  it("infills greedily token for token as torch did, writing no token never to write", async () => {
    const canvas = engine.codec.encodeInfill(reference.text);
    const result = await decode(engine.denoiser, canvas, engine.decodeOptions({ steps: reference.greedy.steps }));
    expect(Array.from(result.ids)).toEqual(reference.greedy.ids);
    canvas.state.forEach((s, p) => s === PositionState.masked && expect(never.has(result.ids[p])).toBe(false));
    const { text } = await engine.infill(reference.text, { steps: reference.greedy.steps });
    expect(text).toBe(reference.greedy.text);
  });

  it('decodes with its dynamic-uint8 model_quantized.onnx (the Hub default on WASM), writing no token never to write', async () => {
    const int8 = await Engine.load({ model: dir, quantization: 'int8', backend: 'wasm' });
    try {
      const logits = await int8.denoiser.forward(Int32Array.from(reference.input_ids), Int32Array.from(reference.rows));
      expect(maxAbsDiff(logits, reference.logits)).toBeLessThan(5e-2);
      const canvas = int8.codec.encodeInfill(reference.text);
      const result = await decode(int8.denoiser, canvas, int8.decodeOptions({ steps: reference.greedy.steps }));
      canvas.state.forEach((s, p) => s === PositionState.masked && expect(never.has(result.ids[p])).toBe(false));
    } finally {
      await int8.dispose();
    }
  });

  it.runIf(fp16Logits)(`decodes with its model_fp16.onnx (${fp16Logits} logits), summarizing the rows as its own logits give`, async () => {
    const fp16 = await Engine.load({ model: dir, quantization: 'fp16', backend: 'wasm' });
    try {
      const ids = Int32Array.from(reference.input_ids);
      const positions = Int32Array.from(reference.rows);
      const logits = await fp16.denoiser.forward(ids, positions);
      expect(maxAbsDiff(logits, reference.logits)).toBeLessThan(2e-2); // half precision: 11 significant bits
      const suppress = new Uint8Array(reference.vocab);
      for (const id of never) suppress[id] = 1;
      const summary = await fp16.denoiser.summarize!(ids, positions, suppress);
      positions.forEach((_, r) => expect(summary.token[r]).toBe(argmax(logits.slice(r * reference.vocab, (r + 1) * reference.vocab).map((x, v) => (suppress[v] ? -Infinity : x)))));
      const canvas = fp16.codec.encodeInfill(reference.text);
      const result = await decode(fp16.denoiser, canvas, fp16.decodeOptions({ steps: reference.greedy.steps }));
      canvas.state.forEach((s, p) => s === PositionState.masked && expect(never.has(result.ids[p])).toBe(false));
    } finally {
      await fp16.dispose();
    }
  });

  it('reads a long text in windows its positions hold (RoBERTa holds two fewer tokens than positions)', async () => {
    const windows = engine.codec.windows(longText);
    expect(windows.length).toBeGreaterThan(1);
    for (const { ids } of windows) expect(ids.length).toBeLessThanOrEqual(engine.codec.maxLength);
    const result = await evaluateMaskedLm(engine, [longText], { maskRatio: 0.15, seed: 0 });
    expect(result.tokens_scored).toBeGreaterThan(0);
    expect(Number.isFinite(result.nll)).toBe(true);
  });
});

describe('a checkpoint converted by convert.py (the BERT fixture\'s weights, saved with save_pretrained)', () => {
  const reference = readJson<Reference>(`${root}test/fixtures/hub/bert/reference.json`);

  it.each(['fp32', 'int8', 'q4'] as const)('is a decode graph in %s that infills as torch did, or near it when quantized', async (quantization) => {
    const converted = await Engine.load({ model: `${root}test/fixtures/hub/bert-converted`, quantization, backend: 'wasm' });
    try {
      expect(converted.denoiser.headAtPositions).toBe(true);
      expect(Array.from(converted.codec.encodeInfill(reference.text).ids)).toEqual(reference.input_ids);
      const logits = await converted.denoiser.forward(Int32Array.from(reference.input_ids), Int32Array.from(reference.rows));
      expect(maxAbsDiff(logits, reference.logits)).toBeLessThan(quantization === 'fp32' ? 1e-5 : 0.1);
      const { text } = await converted.infill(reference.text, { steps: reference.greedy.steps });
      if (quantization === 'fp32') expect(text).toBe(reference.greedy.text);
    } finally {
      await converted.dispose();
    }
  });
});

describe('tokens never to write', () => {
  it('include the rows of an output wider than the vocabulary (no token there to write)', async () => {
    const pkg = await loadModelPackage(`${root}test/fixtures/hub/roberta`, 'fp32');
    const vocab = pkg.config.vocab_size;
    const codec = new TextCodec({ ...pkg, config: { ...pkg.config, vocab_size: vocab + 3 } });
    expect(Array.from(codec.specialIds.slice(-3))).toEqual([vocab, vocab + 1, vocab + 2]);
  });
});

describe('the remask command on the Hub-style fixtures', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'remask-hub-'));
    writeFileSync(join(dataDir, 'data.txt'), `${longText}\nA short line of text.\n`);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const remask = (...args: string[]) => promisify(execFile)('node', ['bin/remask.mjs', ...args], { cwd: root });

  // Two families, each a command start or two (seconds each): BERT's three inputs, RoBERTa's position offset.
  it.each(['bert', 'roberta'])('infills with %s (fp32) as torch did, and scores a long text with eval-model (int8)', { timeout: 90_000 }, async (family) => {
    const dir = `${root}test/fixtures/hub/${family}`;
    const reference = readJson<Reference>(`${dir}/reference.json`);
    const infill = await remask('infill', '--model', dir, '--quant', 'fp32', '--steps', String(reference.greedy.steps), '--text', reference.text, '--json');
    expect((JSON.parse(infill.stdout) as { text: string }).text).toBe(reference.greedy.text);
    const evaluated = await remask('eval-model', '--model', dir, '--data', join(dataDir, 'data.txt'), '--mask-ratio', '0.15', '--json');
    expect((JSON.parse(evaluated.stdout) as { tokens_scored: number }).tokens_scored).toBeGreaterThan(0);
  });
});
