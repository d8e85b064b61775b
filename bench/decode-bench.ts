// The decoding benchmark, identical in Node and in the browser: on held-out text, masks 25% of a
// window of `seq` tokens and infills it twice in the same run on the same backend:
//   naive: full logits every step ([seq x vocab] floats read back), scanned with generic array code,
//          one token committed per step (the loop before our kernels);
//   ours:  the engine's decoder with its defaults (head at the masked positions, rows reduced in the
//          graph when it can, typed-array kernels, the model's threshold rule or a fixed step count).
// It reports forward passes and accuracy with threshold parallel decoding against one token per step.
import { PositionState, positionsWithState, type Canvas } from '../src/core/canvas';
import { Rng, sampleDistinct } from '../src/core/rng';
import { decode, type DecodeOptions, type Denoiser } from '../src/core/sampler';
import type { Engine } from '../src/model/engine';
import type { PackageCommitRule } from '../src/model/package';

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
/** Fast-dLLM's default confidence threshold, for a package that sets none of its own. */
export const benchThreshold = 0.9;

/** Windows of held-out text, each exactly `seq` tokens with the model's special tokens around it. */
export function benchWindows(engine: Engine, text: string, seq: number, count: number): Int32Array[] {
  const { codec } = engine;
  const body = codec.encode(text);
  const room = seq - codec.prefix.length - codec.suffix.length;
  const windows: Int32Array[] = [];
  for (let at = 0; at + room <= body.length && windows.length < count; at += room) {
    windows.push(codec.frame([{ state: PositionState.context, ids: body.slice(at, at + room) }]).ids);
  }
  return windows;
}

/**
 * How the benchmark picks the masked 25%: `scattered` draws positions uniformly (as eval-model does);
 * `spans` masks runs of 2 to 12 neighbours, as the optimizer masks a prompt's phrases. Parallel decoding
 * is hardest on spans, whose masked tokens depend on each other.
 */
export type Masking = 'scattered' | 'spans';
export const maskings: Masking[] = ['scattered', 'spans'];

/** The window with a seeded 25% of its text tokens masked; the rest is context. */
export function maskedCanvas(engine: Engine, window: Int32Array, seed: number, masking: Masking = 'scattered'): Canvas {
  const { codec } = engine;
  const start = codec.prefix.length;
  const length = window.length - start - codec.suffix.length;
  const state = new Uint8Array(window.length).fill(PositionState.locked);
  state.fill(PositionState.context, start, start + length);
  const rng = new Rng(seed);
  if (masking === 'scattered') {
    for (const i of sampleDistinct(rng, length, Math.round(maskShare * length))) state[start + i] = PositionState.masked;
  } else {
    // One span per stretch of four times its length, at a random offset in it: a quarter masked.
    for (let at = 0; at < length; ) {
      const span = 2 + (rng.nextUint32() % 11);
      const stretch = Math.min(4 * span, length - at);
      const run = Math.max(1, Math.round(stretch * maskShare));
      const offset = rng.nextUint32() % (stretch - run + 1);
      state.fill(PositionState.masked, start + at + offset, start + at + offset + run);
      at += stretch;
    }
  }
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

export interface ReadBackRun {
  backend: string;
  seq: number;
  masked: number;
  /** A step that reads the logits of every position back, as a Hub graph gives them. */
  full_ms_per_step: number;
  full_bytes_per_step: number;
  /** A step whose masked rows are reduced where the logits lie (OnnxDenoiser.summarizeBatch). */
  summary_ms_per_step: number;
  summary_bytes_per_step: number;
  /** The first `steps` steps of one-token-per-step decoding from the summaries: position and token. */
  committed: { position: number; token: number }[];
}

/**
 * One decoding step of a full-logits masked LM done two ways on the same canvas (a window with 25%
 * masked), `steps` times each after a warm-up of each: the full logits read back, against the masked
 * rows summarized on the device. Bytes are those copied back from the GPU (0 on WASM, where the
 * logits never leave the CPU).
 */
export async function benchReadBack(engine: Engine, backend: string, window: Int32Array, steps: number, now: () => number = () => performance.now()): Promise<ReadBackRun> {
  const { denoiser } = engine;
  const canvas = maskedCanvas(engine, window, 0);
  const positions = positionsWithState(canvas, PositionState.masked);
  const suppress = new Uint8Array(engine.info.vocabSize);
  for (const id of engine.codec.specialIds) suppress[id] = 1;
  const measure = async (step: () => Promise<unknown>) => {
    await step();
    const bytes = denoiser.readBackBytes;
    const started = now();
    for (let i = 0; i < steps; i++) await step();
    return { ms: (now() - started) / steps, bytes: (denoiser.readBackBytes - bytes) / steps };
  };
  const full = await measure(() => denoiser.forwardAll(canvas.ids));
  const summary = await measure(() => denoiser.summarize!(canvas.ids, positions, suppress));
  const ids = canvas.ids.slice();
  const committed: { position: number; token: number }[] = [];
  for (let i = 0; i < steps; i++) committed.push(await commitSurest(engine, ids, suppress));
  return {
    backend,
    seq: window.length,
    masked: positions.length,
    full_ms_per_step: full.ms,
    full_bytes_per_step: full.bytes,
    summary_ms_per_step: summary.ms,
    summary_bytes_per_step: summary.bytes,
    committed,
  };
}

/**
 * One step of one-token-per-step decoding from the device's row summaries: the masked position whose
 * token is most probable takes it (the lower position on a tie). Writes it into `ids`.
 */
async function commitSurest(engine: Engine, ids: Int32Array, suppress: Uint8Array): Promise<{ position: number; token: number }> {
  const positions = Int32Array.from(ids.keys()).filter((p) => ids[p] === engine.codec.maskId);
  const { token, logProb } = await engine.denoiser.summarize!(ids, positions, suppress);
  let best = 0;
  for (let r = 1; r < positions.length; r++) if (logProb[r] > logProb[best]) best = r;
  ids[positions[best]] = token[best];
  return { position: positions[best], token: token[best] };
}

/** The parallel-decoding rules the sweep compares against one token per step (the quality reference). */
export const sweepStrategies: { name: string; options: Partial<DecodeOptions> }[] = [
  { name: 'one token per step', options: { steps: Number.MAX_SAFE_INTEGER } },
  ...[32, 16, 8].map((steps) => ({ name: `${steps} steps`, options: { steps } })),
  ...[0.9, 0.5, 0.3, 0.2, 0.1, 0.05].map((threshold) => ({ name: `threshold ${threshold}`, options: { threshold } })),
  ...[0.2, 0.1, 0.05, 0].map((threshold) => ({ name: `threshold ${threshold}, neighbours apart`, options: { threshold, keepApart: true } })),
  ...[1, 4].map((factor) => ({ name: `factor ${factor}`, options: { factor } })),
];

export interface SweepRow {
  strategy: string;
  options: Partial<DecodeOptions>;
  seq: number;
  masking: Masking;
  nfe: number;
  top1: number;
  /**
   * Share of masked positions that repeat one of the two tokens before them: the stutter of tokens
   * committed in one step without seeing each other ("the the" from neighbours; "of the of the" when
   * neighbours are kept apart and every other token commits at once), which top-1 barely registers
   * when the model gets few span tokens right anyway.
   */
  repeats: number;
}

/** Forward passes, infill accuracy and stutter of each strategy on the same masked windows. */
export async function sweepDecode(engine: Engine, windows: Int32Array[], masking: Masking, onRow?: (row: SweepRow) => void): Promise<SweepRow[]> {
  const rows: SweepRow[] = [];
  for (const { name, options } of sweepStrategies) {
    // The commit rules as the model decodes them alone: a package's repeat guard would hide their stutter.
    const settings = engine.decodeOptions({ ...options, avoidRepeats: false });
    let nfe = 0;
    let right = 0;
    let repeats = 0;
    let total = 0;
    for (const [w, window] of windows.entries()) {
      const canvas = maskedCanvas(engine, window, w, masking);
      const result = await decode(engine.denoiser, canvas, settings);
      const score = infillScore(window, canvas, result.ids);
      nfe += result.nfe;
      right += score.right;
      total += score.total;
      repeats += score.repeats;
    }
    rows.push({ strategy: name, options, seq: windows[0].length, masking, nfe: nfe / windows.length, top1: right / total, repeats: repeats / total });
    onRow?.(rows.at(-1)!);
  }
  return rows;
}

/** What a default may lose against one token per step, in top-1 and in stutter: the one point. */
export const defaultTolerance = 0.01;

/**
 * The default decoding a sweep supports: of the threshold rules within `tolerance` of one token per step
 * in top-1 and in repeats, under every masking and length swept, the one with the fewest forward
 * passes in all; null if none.
 */
export function chooseDecoding(rows: SweepRow[], tolerance = defaultTolerance): PackageCommitRule | null {
  const setting = (r: SweepRow) => `${r.seq} ${r.masking}`;
  const reference = new Map(rows.filter((r) => r.strategy === sweepStrategies[0].name).map((r) => [setting(r), r]));
  const holds = (r: SweepRow) => {
    const ref = reference.get(setting(r));
    return ref !== undefined && r.top1 >= ref.top1 - tolerance && r.repeats <= ref.repeats + tolerance;
  };
  let best: { decoding: PackageCommitRule; nfe: number } | null = null;
  for (const { name, options } of sweepStrategies) {
    if (options.threshold === undefined || options.threshold === null) continue;
    const own = rows.filter((r) => r.strategy === name);
    if (own.length === 0 || !own.every(holds)) continue;
    const nfe = own.reduce((sum, r) => sum + r.nfe, 0);
    if (best === null || nfe < best.nfe) best = { decoding: { threshold: options.threshold, keepApart: options.keepApart ?? false }, nfe };
  }
  return best?.decoding ?? null;
}

/**
 * Over the masked positions: how many the decode got right, how many there are, and how many repeat one
 * of the two tokens before them: the stutter of tokens committed in one step without seeing each other.
 * (Not the repeat guard's wider rule, src/core/repeats.ts: a model that loops over what it has just
 * written does so under every rule, one token per step too, and that count would not tell rules apart.)
 */
function infillScore(truth: Int32Array, canvas: Canvas, ids: Int32Array): { right: number; total: number; repeats: number } {
  let right = 0;
  let total = 0;
  let repeats = 0;
  canvas.state.forEach((s, p) => {
    if (s !== PositionState.masked) return;
    total++;
    if (ids[p] === truth[p]) right++;
    if (ids[p] === ids[p - 1] || ids[p] === ids[p - 2]) repeats++;
  });
  return { right, total, repeats };
}

/**
 * The naive loop and ours, timed on the same masked windows. Without threshold decoding means one token
 * per step, as the naive loop commits; with it means the model's own default threshold (Fast-dLLM's 0.9
 * for a package without one). Ours is the engine's default decoding without its repeat guard, the
 * threshold rule for a package that sets one, so then the threshold figures are ours.
 */
export async function benchDecode(engine: Engine, backend: string, windows: Int32Array[], seq: number, now: () => number = () => performance.now()): Promise<BenchRun> {
  // Like for like against the naive loop, which has no repeat guard: the guard's passes are the quality
  // side's concern (eval:infill), not the loop's speed.
  const defaults = engine.decodeOptions({ avoidRepeats: false });
  const threshold: DecodeOptions = defaults.threshold !== null ? defaults : engine.decodeOptions({ threshold: benchThreshold, avoidRepeats: false });
  let naiveMs = 0;
  let oursMs = 0;
  let tokens = 0;
  const nfe = { naive: 0, threshold: 0 };
  const right = { naive: 0, threshold: 0 };
  const counter = metered(engine.denoiser);
  // Warm-up, so that neither side pays for the first run's compilation and allocation.
  await decode(engine.denoiser, maskedCanvas(engine, windows[0], 99), defaults);

  for (const [w, window] of windows.entries()) {
    const canvas = maskedCanvas(engine, window, w);
    let t = now();
    const naive = await naiveDecode(engine, canvas);
    naiveMs += now() - t;

    t = now();
    const ours = await decode(counter, canvas, defaults);
    oursMs += now() - t;
    const fast = threshold === defaults ? ours : await decode(engine.denoiser, canvas, threshold);

    const score = infillScore(window, canvas, naive.ids);
    right.naive += score.right;
    right.threshold += infillScore(window, canvas, fast.ids).right;
    tokens += score.total;
    nfe.naive += naive.nfe;
    nfe.threshold += fast.nfe;
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
    nfe: nfe.naive / windows.length,
    nfe_threshold: nfe.threshold / windows.length,
    top1: right.naive / tokens,
    top1_threshold: right.threshold / tokens,
  };
}
