// The DLM's half of the optimizer: rewrite the masked spans of a prompt, conditioned on the traces.
import { buildCanvas, PositionState, type Canvas } from '../core/canvas';
import { logProbAt } from '../core/log-prob';
import { Rng } from '../core/rng';
import { decode, type DecodeOptions, type Denoiser, type StepSnapshot } from '../core/sampler';
import type { Engine, InfillSettings } from '../model/engine';
import { TextTooLongError } from '../model/errors';
import { LockstepBatcher } from '../model/lockstep';
import { contextIds, type PastPrompt, type Trace } from './layout';
import type { CharRange, EditablePrompt, MaskPlan, PromptText } from './prompt';
import { planSpans, type SpanStrategy } from './spans';

export interface Proposal {
  prompt: PromptText;
  maskedSpans: CharRange[];
}

/** Lays out [specials][context][prompt with masks][specials], the context cut to what fits. */
export function proposalCanvas(engine: Engine, prompt: EditablePrompt, plan: MaskPlan, traces: readonly Trace[], past: readonly PastPrompt[]): { canvas: Canvas; promptStart: number } {
  const { codec } = engine;
  const promptSegments = prompt.segments(plan);
  const promptLength = promptSegments.reduce((n, s) => n + ('ids' in s ? s.ids.length : s.length), 0);
  const room = codec.maxLength - codec.prefix.length - codec.suffix.length - promptLength;
  if (room < 0) throw new TextTooLongError(codec.maxLength - room, codec.maxLength);
  const context = contextIds(traces, past, room, codec);
  const canvas = buildCanvas(
    [
      { state: PositionState.locked, ids: codec.prefix },
      { state: PositionState.context, ids: context },
      ...promptSegments,
      { state: PositionState.locked, ids: codec.suffix },
    ],
    codec.maskId,
  );
  return { canvas, promptStart: codec.prefix.length + context.length };
}

export async function proposeRewrite(
  engine: Engine,
  prompt: EditablePrompt,
  plan: MaskPlan,
  traces: readonly Trace[],
  past: readonly PastPrompt[],
  settings: Partial<InfillSettings>,
  hooks: Pick<DecodeOptions, 'signal' | 'onStep'> = {},
  denoiser: Denoiser = engine.denoiser,
): Promise<Proposal> {
  const { canvas, promptStart } = proposalCanvas(engine, prompt, plan, traces, past);
  const result = await decode(denoiser, canvas, { ...engine.decodeOptions(settings), ...hooks });
  const promptIds = result.ids.subarray(promptStart, result.ids.length - engine.codec.suffix.length);
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
        const plan = planSpans(strategy, prompt, request.editTokens, { rng, surprisal, marked: request.marked });
        const member = batcher.member();
        const denoiser = request.fill === 'random' ? new RandomDenoiser(engine.denoiser, rng.nextUint32()) : member;
        const onStep = request.onProgress && progress.tracker(c);
        return proposeRewrite(engine, prompt, plan, traces, past, { ...request.decoding, seed: rng.nextUint32() }, { signal: request.signal, onStep }, denoiser)
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
  const { canvas, promptStart } = proposalCanvas(engine, prompt, { masked: new Set(), inserts: new Map() }, traces, past);
  const vocab = engine.info.vocabSize;
  const surprisal = new Float32Array(prompt.tokens.length);
  for (let g = 0; g < groups; g++) {
    const tokens = prompt.editableTokens().filter((_, i) => i % groups === g);
    if (tokens.length === 0) continue;
    const ids = canvas.ids.slice();
    const positions = Int32Array.from(tokens, (t) => promptStart + t);
    for (const p of positions) ids[p] = engine.codec.maskId;
    const logits = await engine.denoiser.forward(ids, positions);
    tokens.forEach((t, r) => {
      surprisal[t] = -logProbAt(logits.subarray(r * vocab, (r + 1) * vocab), prompt.tokens[t].id);
    });
  }
  return surprisal;
}

/** A seed per (run seed, iteration, candidate), so a resumed run draws what the first run would have. */
export function derivedSeed(seed: number, ...path: number[]): number {
  let state = seed >>> 0;
  for (const part of path) state = new Rng(state ^ Math.imul(part + 1, 0x9e3779b9)).nextUint32();
  return state;
}
