// The DLM's half of the optimizer: rewrite the masked spans of a prompt, conditioned on the traces.
import { PositionState, type Canvas, type CanvasSegment } from '../core/canvas';
import { logProbAt } from '../core/log-prob';
import { derivedSeed, Rng } from '../core/rng';
import { decode, type DecodeOptions, type Denoiser, type StepSnapshot } from '../core/sampler';
import type { Engine, InfillSettings } from '../model/engine';
import { TextTooLongError } from '../model/errors';
import { LockstepBatcher } from '../model/lockstep';
import { contextIds, type PastPrompt, type Trace } from './layout';
import type { CharRange, EditablePrompt, MaskPlan, PromptText } from './prompt';
import { maxInsertTokens, planSpans, type SpanStrategy } from './spans';

export interface Proposal {
  prompt: PromptText;
  maskedSpans: CharRange[];
}

/** The prompt's part of a canvas, and which slice of it the canvas holds (all of it when it fits). */
export interface ProposalCanvas {
  canvas: Canvas;
  /** Where the prompt's window starts in the canvas. */
  promptStart: number;
  /** The window: positions [start, end) of the prompt's full layout (`prompt.segments(plan)`). */
  window: [number, number];
  /** The prompt's full layout, flattened: kept ids, and -1 at the masked positions. */
  layout: Int32Array;
}

/**
 * Share of the model's window kept for the traces and the trajectory when the prompt alone would fill
 * it: the DLM reads a quarter of context around the prompt window it rewrites.
 */
const contextShareOfLongPrompts = 0.25;

/** How many prompt positions one window of a long prompt holds: the room, less the context's share. */
const windowWidth = (room: number) => Math.max(1, Math.floor(room * (1 - contextShareOfLongPrompts)));

/**
 * Lays out [specials][context][prompt with masks][specials]. A prompt that fits is laid out whole and the
 * context gets the room left. A longer one (real prompts run to thousands of words) is cut to a window
 * around its masked positions (or from `windowStart`), as wide as the model allows less a quarter for
 * the context; the caller keeps the rest of the prompt verbatim.
 */
export function proposalCanvas(
  engine: Engine,
  prompt: EditablePrompt,
  plan: MaskPlan,
  traces: readonly Trace[],
  past: readonly PastPrompt[],
  /** For a long prompt, where its window starts (a position of the layout); else around the masks. */
  windowStart?: number,
): ProposalCanvas {
  const { codec } = engine;
  const layout = flatten(prompt.segments(plan));
  const window = promptWindow(layout, codec.room, windowStart);
  const promptLength = window[1] - window[0];
  const context = contextIds(traces, past, codec.room - promptLength, codec);
  const canvas = codec.frame([{ state: PositionState.context, ids: context }, ...segmentsOf(layout.subarray(window[0], window[1]))]);
  return { canvas, promptStart: codec.prefix.length + context.length, window, layout };
}

/**
 * For a prompt too long for the DLM's window, the token range one candidate edits (its spans must be
 * decoded together) and the most tokens it may mask there; for a prompt that fits, the whole prompt.
 * Random spans and insertions go to a random window; marked ones to a window around a marked token.
 */
function editRegion(engine: Engine, prompt: EditablePrompt, strategy: SpanStrategy, count: number, marked: readonly CharRange[], rng: Rng): { region?: [number, number]; count: number } {
  const { room } = engine.codec;
  if (prompt.tokens.length + maxInsertTokens <= room) return { count };
  const width = windowWidth(room) - maxInsertTokens;
  const capped = Math.min(count, Math.floor(width / 2));
  if (strategy === 'low-confidence') return { count: capped }; // one contiguous window by construction
  const markedTokens = prompt.editableTokens().filter((i) => prompt.overlaps(i, marked));
  const centre = strategy === 'marked' && markedTokens.length > 0 ? markedTokens[rng.nextUint32() % markedTokens.length] : width / 2 + (rng.nextUint32() % (prompt.tokens.length - width + 1));
  const start = Math.max(0, Math.min(prompt.tokens.length - width, Math.round(centre - width / 2)));
  return { region: [start, start + width], count: capped };
}

/** The slice of the layout to decode: all of it if it fits, else a window from `start` or around the masks. */
function promptWindow(layout: Int32Array, room: number, start?: number): [number, number] {
  if (layout.length <= room) return [0, layout.length];
  const width = windowWidth(room);
  if (start !== undefined) {
    const from = Math.max(0, Math.min(layout.length - width, start));
    return [from, from + width];
  }
  const first = Math.max(0, layout.indexOf(-1));
  const last = layout.lastIndexOf(-1) + 1;
  if (last - first > width) {
    throw new TextTooLongError(last - first, width, 'The spans to rewrite lie too far apart in this long prompt to be rewritten together: rewrite fewer spans at once, or nearer one another.');
  }
  const from = Math.max(0, Math.min(layout.length - width, Math.floor((first + last - width) / 2)));
  return [from, from + width];
}

/** Kept ids as they are, masked positions as -1. */
function flatten(segments: readonly CanvasSegment[]): Int32Array {
  const ids: number[] = [];
  for (const segment of segments) {
    if ('ids' in segment) ids.push(...Array.from(segment.ids));
    else for (let k = 0; k < segment.length; k++) ids.push(-1);
  }
  return Int32Array.from(ids);
}

function segmentsOf(slice: Int32Array): CanvasSegment[] {
  const segments: CanvasSegment[] = [];
  for (const id of slice) {
    const last = segments[segments.length - 1];
    if (id === -1) {
      if (last && !('ids' in last)) last.length++;
      else segments.push({ state: PositionState.masked, length: 1 });
    } else if (last && 'ids' in last) (last.ids as number[]).push(id);
    else segments.push({ state: PositionState.locked, ids: [id] });
  }
  return segments;
}

export async function proposeRewrite(
  engine: Engine,
  prompt: EditablePrompt,
  plan: MaskPlan,
  traces: readonly Trace[],
  past: readonly PastPrompt[],
  settings: Partial<InfillSettings>,
  denoiser: Denoiser = engine.denoiser,
  hooks: Pick<DecodeOptions, 'signal' | 'onStep'> = {},
): Promise<Proposal> {
  const { canvas, promptStart, window, layout } = proposalCanvas(engine, prompt, plan, traces, past);
  const result = await decode(denoiser, canvas, { ...engine.decodeOptions(settings), ...hooks });
  const promptIds = layout.slice();
  promptIds.set(result.ids.subarray(promptStart, promptStart + window[1] - window[0]), window[0]);
  return { prompt: prompt.rebuild(plan, promptIds, engine.codec), maskedSpans: prompt.maskedSpans(plan) };
}

export interface RewriteRequest {
  prompt: EditablePrompt;
  traces: readonly Trace[];
  past: readonly PastPrompt[];
  /** How many rewrites to make, and how many tokens each may mask (the edit budget). */
  candidates: number;
  editTokens: number;
  /** Candidate i uses strategies[i % length]. */
  strategies: readonly SpanStrategy[];
  /** Character ranges the user marked "to rewrite", for the 'marked' strategy. */
  marked: readonly CharRange[];
  decoding: Partial<InfillSettings>;
  /**
   * Who fills the masks: the DLM, or uniformly random vocabulary tokens (a baseline that keeps the same
   * masks, so a benchmark can tell whether the model's words matter).
   */
  fill?: 'model' | 'random';
  /** Seeds derive from (seed, ...seedPath, candidate, attempt). */
  seed: number;
  seedPath: readonly number[];
  /** Prompts already seen; a rewrite equal to one is drawn again with a fresh seed. Rewrites are added. */
  seen: Set<string>;
  signal?: AbortSignal;
  /** Called after every decoding step with the share of the candidates' masked tokens written so far. */
  onProgress?: (fraction: number) => void;
}

export interface Rewrite extends Proposal {
  strategy: SpanStrategy;
}

/** Tries at a fresh seed when the DLM writes a prompt already seen, before giving up on a candidate. */
const maxAttempts = 3;

/**
 * N different rewrites of a prompt: the DLM's part of one optimizer iteration, and the no-target
 * mode. The candidates are denoised together, one batched forward pass per step; a rewrite equal to
 * one already seen is drawn again at the next seed.
 */
export async function proposeRewrites(engine: Engine, request: RewriteRequest): Promise<Rewrite[]> {
  const { prompt, traces, past, seen } = request;
  const surprisal = request.strategies.includes('low-confidence') ? await promptSurprisal(engine, prompt, traces, past) : undefined;
  const found: (Rewrite | undefined)[] = [];
  let todo = Array.from({ length: request.candidates }, (_, c) => c);
  const progress = new DecodeProgress(request.candidates, request.onProgress);
  for (let attempt = 0; attempt < maxAttempts && todo.length > 0; attempt++) {
    const batcher = new LockstepBatcher(engine.denoiser, todo.length);
    const drafts = await Promise.all(
      todo.map((c) => {
        const strategy = request.strategies[c % request.strategies.length];
        const rng = new Rng(derivedSeed(request.seed, ...request.seedPath, c, attempt));
        const { region, count } = editRegion(engine, prompt, strategy, request.editTokens, request.marked, rng);
        const plan = planSpans(strategy, prompt, count, { rng, surprisal, marked: request.marked, region });
        const member = batcher.member();
        const random = request.fill === 'random';
        const denoiser = random ? new RandomDenoiser(engine.denoiser, rng.nextUint32()) : member;
        const onStep = request.onProgress && progress.tracker(c);
        // A random fill stays uniform: the model's repeat guard would change what it draws.
        const decoding = { ...request.decoding, seed: rng.nextUint32(), ...(random ? { avoidRepeats: false } : {}) };
        return proposeRewrite(engine, prompt, plan, traces, past, decoding, denoiser, { signal: request.signal, onStep })
          .then((proposal): Rewrite => ({ ...proposal, strategy }))
          .finally(() => member.done());
      }),
    );
    // In candidate order, so which duplicate is redrawn does not depend on timing.
    const again: number[] = [];
    drafts.forEach((draft, i) => {
      if (seen.has(draft.prompt.text)) again.push(todo[i]);
      else {
        seen.add(draft.prompt.text);
        found[todo[i]] = draft;
      }
    });
    todo = again;
  }
  return found.filter((r): r is Rewrite => r !== undefined);
}

/** Seeded uniform logits: every masked position gets a random vocabulary token (special ids stay suppressed). */
class RandomDenoiser implements Denoiser {
  readonly vocabSize: number;
  readonly maskId: number;
  readonly #rng: Rng;

  constructor(model: Denoiser, seed: number) {
    this.vocabSize = model.vocabSize;
    this.maskId = model.maskId;
    this.#rng = new Rng(seed);
  }

  async forward(_ids: Int32Array, positions: Int32Array): Promise<Float32Array> {
    const logits = new Float32Array(positions.length * this.vocabSize);
    for (let i = 0; i < logits.length; i++) logits[i] = this.#rng.nextFloat();
    return logits;
  }
}

/**
 * The share of masked tokens committed so far, averaged over the candidates: each candidate learns how
 * many tokens it masks at its first step, and a redrawn candidate starts again from zero.
 */
class DecodeProgress {
  readonly #done: Float64Array;
  readonly #report?: (fraction: number) => void;

  constructor(candidates: number, report?: (fraction: number) => void) {
    this.#done = new Float64Array(candidates);
    this.#report = report;
  }

  tracker(candidate: number): (snapshot: StepSnapshot) => void {
    let masked = 0;
    let unmasked = 0;
    return (snapshot) => {
      if (snapshot.step === 0) masked = snapshot.positions.length;
      unmasked += snapshot.committed.length - snapshot.remasked.length;
      this.#done[candidate] = masked > 0 ? unmasked / masked : 1;
      this.#report?.(this.#done.reduce((a, b) => a + b, 0) / this.#done.length);
    };
  }
}

/**
 * Per prompt token, -log p(token) with that token masked (and every 4th neighbour with it, so the
 * whole prompt costs 4 forward passes instead of one per token): where the DLM is least sure the
 * prompt fits the traces is where a rewrite is most likely to help.
 */
export async function promptSurprisal(engine: Engine, prompt: EditablePrompt, traces: readonly Trace[], past: readonly PastPrompt[]): Promise<Float32Array> {
  const groups = 4;
  const noEdits = { masked: new Set<number>(), inserts: new Map<number, number>() };
  const vocab = engine.info.vocabSize;
  const surprisal = new Float32Array(prompt.tokens.length);
  // A long prompt is scored window by window; each window is a slice of the prompt's tokens.
  for (let from = 0; from < prompt.tokens.length; ) {
    const { canvas, promptStart, window } = proposalCanvas(engine, prompt, noEdits, traces, past, from);
    const end = window[1];
    for (let g = 0; g < groups; g++) {
      const tokens = prompt.editableTokens().filter((t, i) => i % groups === g && t >= from && t < end);
      if (tokens.length === 0) continue;
      const ids = canvas.ids.slice();
      const positions = Int32Array.from(tokens, (t) => promptStart + t - window[0]);
      for (const p of positions) ids[p] = engine.codec.maskId;
      const logits = await engine.denoiser.forward(ids, positions);
      tokens.forEach((t, r) => {
        surprisal[t] = -logProbAt(logits.subarray(r * vocab, (r + 1) * vocab), prompt.tokens[t].id);
      });
    }
    from = end;
  }
  return surprisal;
}
