// The decoding benchmark, identical in Node and in the browser: on held-out text, masks 25% of a
// window of `seq` tokens and infills it twice in the same run on the same backend:
//   naive: full logits every step ([seq x vocab] floats read back), scanned with generic array code,
//          one token committed per step (the loop before our kernels);
//   ours:  the engine's decoder with its defaults (head at the masked positions, rows reduced in the
//          graph when it can, typed-array kernels, a fixed step count).
// It also decodes with threshold parallel decoding, to report forward passes saved and accuracy lost.
import { PositionState, type Canvas } from '../core/canvas';
import { Rng, sampleDistinct } from '../core/rng';
import { decode, type DecodeOptions, type Denoiser } from '../core/sampler';
import type { Engine } from '../model/engine';

export interface BenchRun {
  backend: string;
  seq: number;
  naive_ms_per_token: number;
  ms_per_token: number;
  speedup: number;
  readback_bytes_per_masked_pos: number;
  nfe: number;
  nfe_threshold: number;
  top1: number;
  top1_threshold: number;
}

export const maskShare = 0.25;
/** Fast-dLLM's default confidence threshold. */
export const benchThreshold = 0.9;

/** Windows of held-out text, each exactly `seq` tokens with the model's special tokens around it. */
export function benchWindows(engine: Engine, text: string, seq: number, count: number): Int32Array[] {
  const { codec } = engine;
  const body = codec.encode(text);
  const room = seq - codec.prefix.length - codec.suffix.length;
  const windows: Int32Array[] = [];
  for (let at = 0; at + room <= body.length && windows.length < count; at += room) {
    windows.push(Int32Array.from([...codec.prefix, ...body.slice(at, at + room), ...codec.suffix]));
  }
  return windows;
}

/** The window with a seeded 25% of its text tokens masked; the rest is context. */
export function maskedCanvas(engine: Engine, window: Int32Array, seed: number): Canvas {
  const { codec } = engine;
  const start = codec.prefix.length;
  const length = window.length - start - codec.suffix.length;
  const state = new Uint8Array(window.length).fill(PositionState.locked);
  state.fill(PositionState.context, start, start + length);
  for (const i of sampleDistinct(new Rng(seed), length, Math.round(maskShare * length))) state[start + i] = PositionState.masked;
  const ids = window.slice();
  for (let p = 0; p < ids.length; p++) if (state[p] === PositionState.masked) ids[p] = codec.maskId;
  return { ids, state };
}

/** Counts the bytes a denoiser hands back per masked position, per call. */
function metered(denoiser: Denoiser): Denoiser & { bytes: number; rows: number } {
  const counter = {
    vocabSize: denoiser.vocabSize,
    maskId: denoiser.maskId,
    bytes: 0,
    rows: 0,
    async forward(ids: Int32Array, positions: Int32Array) {
      const logits = await denoiser.forward(ids, positions);
      counter.bytes += logits.byteLength;
      counter.rows += positions.length;
      return logits;
    },
    summarize: denoiser.summarize
      ? async (ids: Int32Array, positions: Int32Array, suppress: Uint8Array) => {
          const s = await denoiser.summarize!(ids, positions, suppress);
          counter.bytes += s.token.byteLength + s.logProb.byteLength + s.secondLogProb.byteLength + s.entropy.byteLength;
          counter.rows += positions.length;
          return s;
        }
      : undefined,
  };
  return counter;
}

/**
 * The loop before our kernels: every step reads the logits of the whole sequence, turns each masked
 * row into a JS array, softmaxes it with map/reduce, and commits the single most confident token.
 */
export async function naiveDecode(engine: Engine, canvas: Canvas): Promise<{ ids: Int32Array; nfe: number }> {
  const ids = canvas.ids.slice();
  const vocab = engine.info.vocabSize;
  const masked = new Set<number>();
  canvas.state.forEach((s, p) => s === PositionState.masked && masked.add(p));
  const special = new Set(engine.codec.specialIds);
  let nfe = 0;
  while (masked.size > 0) {
    const all = await engine.denoiser.forwardAll(ids);
    nfe++;
    let best = { p: -1, token: -1, prob: -1 };
    for (const p of masked) {
      const row = Array.from(all.subarray(p * vocab, (p + 1) * vocab)).map((l, v) => (special.has(v) ? -Infinity : l));
      const max = Math.max(...row);
      const exps = row.map((l) => Math.exp(l - max));
      const sum = exps.reduce((a, b) => a + b, 0);
      const probs = exps.map((e) => e / sum);
      const top = Math.max(...probs);
      if (top > best.prob) best = { p, token: probs.indexOf(top), prob: top };
    }
    ids[best.p] = best.token;
    masked.delete(best.p);
  }
  return { ids, nfe };
}

/** The parallel-decoding rules the sweep compares against one token per step (the quality reference). */
export const sweepStrategies: { name: string; options: Partial<DecodeOptions> }[] = [
  { name: 'one token per step', options: { steps: Number.MAX_SAFE_INTEGER } },
  ...[32, 16, 8].map((steps) => ({ name: `${steps} steps`, options: { steps } })),
  ...[0.95, 0.9, 0.8, 0.7, 0.5].map((threshold) => ({ name: `threshold ${threshold}`, options: { threshold } })),
  ...[0.5, 1, 2].map((factor) => ({ name: `factor ${factor}`, options: { factor } })),
];

export interface SweepRow {
  strategy: string;
  nfe: number;
  top1: number;
}

/** Forward passes and infill accuracy of each strategy on the same masked windows. */
export async function sweepDecode(engine: Engine, windows: Int32Array[], onRow?: (row: SweepRow) => void): Promise<SweepRow[]> {
  const rows: SweepRow[] = [];
  for (const { name, options } of sweepStrategies) {
    const settings = engine.decodeOptions(options);
    let nfe = 0;
    let right = 0;
    let total = 0;
    for (const [w, window] of windows.entries()) {
      const canvas = maskedCanvas(engine, window, w);
      const result = await decode(engine.denoiser, canvas, settings);
      const [r, n] = accuracy(window, canvas, result.ids);
      nfe += result.nfe;
      right += r;
      total += n;
    }
    rows.push({ strategy: name, nfe: nfe / windows.length, top1: right / total });
    onRow?.(rows.at(-1)!);
  }
  return rows;
}

function accuracy(truth: Int32Array, canvas: Canvas, ids: Int32Array): [number, number] {
  let right = 0;
  let total = 0;
  canvas.state.forEach((s, p) => {
    if (s !== PositionState.masked) return;
    total++;
    if (ids[p] === truth[p]) right++;
  });
  return [right, total];
}

export async function benchDecode(engine: Engine, backend: string, windows: Int32Array[], seq: number, now: () => number = () => performance.now()): Promise<BenchRun> {
  const defaults = engine.decodeOptions({});
  const threshold: DecodeOptions = { ...defaults, threshold: benchThreshold };
  let naiveMs = 0;
  let oursMs = 0;
  let tokens = 0;
  let nfe = 0;
  let nfeThreshold = 0;
  const right = { ours: 0, threshold: 0 };
  const counter = metered(engine.denoiser);
  // Warm-up, so that neither side pays for the first run's compilation and allocation.
  await decode(engine.denoiser, maskedCanvas(engine, windows[0], 99), defaults);

  for (const [w, window] of windows.entries()) {
    const canvas = maskedCanvas(engine, window, w);
    let t = now();
    await naiveDecode(engine, canvas);
    naiveMs += now() - t;

    t = now();
    const ours = await decode(counter, canvas, defaults);
    oursMs += now() - t;
    const fast = await decode(engine.denoiser, canvas, threshold);

    const [r, n] = accuracy(window, canvas, ours.ids);
    right.ours += r;
    right.threshold += accuracy(window, canvas, fast.ids)[0];
    tokens += n;
    nfe += ours.nfe;
    nfeThreshold += fast.nfe;
  }
  const naivePerToken = naiveMs / tokens;
  const perToken = oursMs / tokens;
  return {
    backend,
    seq,
    naive_ms_per_token: naivePerToken,
    ms_per_token: perToken,
    speedup: naivePerToken / perToken,
    readback_bytes_per_masked_pos: counter.bytes / counter.rows,
    nfe: nfe / windows.length,
    nfe_threshold: nfeThreshold / windows.length,
    top1: right.ours / tokens,
    top1_threshold: right.threshold / tokens,
  };
}
