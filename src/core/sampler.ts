// The sampler loop for masked-diffusion decoding, in the papers' order (LLaDA `generate.py`,
// Fast-dLLM `generate`): check sizes, precompute the schedule per block, then per step
// forward -> (guidance) -> confidence -> select -> commit -> (remask). Reports its forward passes.
import { PositionState, type Canvas } from './canvas';
import { confidenceFromSummary, confidenceNames, gumbelScore, scoreRows, type ConfidenceName, type RowSummary } from './confidence';
import { CanvasError, DecodeOptionError, DenoiserOutputError, NoMaskError, optionText, type OptionText } from './errors';
import { applyGuidance } from './guidance';
import { Rng } from './rng';
import { isAmong, MAX_REPEATED, repeatedTokens } from './repeats';
import { quotaFor, scheduleNames, type ScheduleName } from './schedule';
import { byConfidence, keepApart, lowestK, selectFactor, selectThreshold, selectTopK } from './select';

export interface Denoiser {
  vocabSize: number;
  maskId: number;
  /**
   * Logits for the given positions of `ids` (a full canvas), row-major [positions.length x vocabSize],
   * rows in `positions` order. `ids` and `positions` are views of the sampler's buffers, valid until
   * the promise settles: copy them to keep them, never transfer them. The sampler owns the returned
   * array afterwards and may overwrite it (guidance writes into the unconditional logits).
   */
  forward(ids: Int32Array, positions: Int32Array): Promise<Float32Array>;
  /**
   * Optional fast path for greedy decoding without guidance: the model reduces each row on the device
   * and returns only its summary (see RowSummary). `suppress` marks token ids never to choose (1).
   */
  summarize?(ids: Int32Array, positions: Int32Array, suppress: Uint8Array): Promise<RowSummary>;
}

export interface DecodeOptions {
  /** Total denoising steps, clamped to the number of masked positions; unused with threshold/factor. */
  steps: number;
  /** Semi-autoregressive blocks over the masked positions in left-to-right order; null = one block. */
  blockLength: number | null;
  schedule: ScheduleName;
  confidence: ConfidenceName;
  /** Fast-dLLM parallel decoding: commit all with conf >= threshold (>= 1 per step); replaces the quota. */
  threshold: number | null;
  /** Fast-dLLM factor rule; replaces the quota. */
  factor: number | null;
  /** With threshold or factor: never commit two neighbouring positions in one step (dilated unmasking). */
  keepApart: boolean;
  /**
   * Never write a repeat (repeats.ts): a phrase of 1-6 tokens said twice in a row, or of 2-6 tokens
   * twice with one token between ("the use of a the use of"). A small model stutters ("the the") and
   * loops ("the use of the use of") when it fills a span. A candidate whose token repeats the decided
   * (context or committed) text is chosen again without the repeated tokens before the step selects;
   * then, among the tokens the step commits, most confident first, one that repeats the text with those
   * committed before it is chosen again likewise. A token chosen again keeps its confidence on the whole
   * softmax. With a row summary, a step that would write a repeat reads its rows' full logits in one
   * more forward pass.
   */
  avoidRepeats: boolean;
  /** 0 = greedy; T > 0 samples softmax(logits / T) by Gumbel-max. */
  temperature: number;
  /** ReMDM / Mask-Predict: committed tokens re-opened per step (lowest confidence first), 0 = off. */
  remask: number;
  /** Classifier-free guidance weight w, 0 = off (then no unconditional pass). */
  guidance: number;
  /** Token ids never produced (pad, mask, specials); the mask id is always suppressed as well. */
  suppress: Int32Array;
  seed: number;
  /** Keep every StepSnapshot in the result. */
  trace: boolean;
  /** Checked before every step and after every forward pass; an abort throws the signal's reason. */
  signal?: AbortSignal;
  /** Called after every step, traced or not. */
  onStep?: (s: StepSnapshot) => void;
}

/** One per step; enough to replay the decode in a teaching view. */
export interface StepSnapshot {
  step: number;
  block: number;
  /** Every position still masked before this step (the candidates), left to right. */
  positions: Int32Array;
  /** Chosen token per candidate. */
  tokens: Int32Array;
  /** Its confidence. */
  conf: Float32Array;
  /** Positions unmasked by this step. */
  committed: Int32Array;
  /** Committed positions re-opened by this step. */
  remasked: Int32Array;
}

export interface DecodeResult {
  ids: Int32Array;
  /** Steps taken (each one forward round); zero-quota steps of a schedule are skipped and not counted. */
  steps: number;
  /** Forward passes (two per step with guidance; one more on a summarized step avoidRepeats reads in full). */
  nfe: number;
  trace: StepSnapshot[];
}

export const defaultDecodeOptions: DecodeOptions = {
  steps: 16, // a moderate step count balances quality and stability (DLM prompt optimization paper)
  blockLength: null, // masked spans in a prompt are short infills, not long left-to-right generations
  schedule: 'linear', // LLaDA's default: the same number of tokens every step
  confidence: 'prob', // LLaDA `low_confidence`: commit the tokens the model is surest of
  threshold: null, // a threshold only means something for one model: its package may set one (the engine applies it)
  factor: null, // likewise
  keepApart: false, // Fast-dLLM's rules as published
  avoidRepeats: false, // likewise: the papers' decoders have no such guard (a package may turn it on)
  temperature: 0, // greedy: reproducible and the strongest single sample for infilling
  remask: 0, // remasking is opt-in: it costs quota on later steps
  guidance: 0, // guidance doubles the forward passes
  suppress: new Int32Array(0), // the runtime adds pad/special ids from the model's metadata
  seed: 0, // any fixed seed; results are reproducible per seed
  trace: false, // snapshots allocate; only the teaching view needs them
};

function fail(option: string, message: string | OptionText): never {
  throw new DecodeOptionError(option, message);
}

function isWhole(x: unknown, min: number): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= min;
}

function checkOptions(o: DecodeOptions, vocabSize: number): void {
  if (!isWhole(o.steps, 1)) fail('steps', optionText`{steps} must be an integer >= 1 (got ${o.steps}): set {steps} to 8.`);
  if (o.blockLength !== null && !isWhole(o.blockLength, 1)) {
    fail('blockLength', optionText`{blockLength} must be an integer >= 1 or null for one block (got ${o.blockLength}): set {blockLength} to 32.`);
  }
  if (!scheduleNames.includes(o.schedule)) {
    fail('schedule', `Unknown schedule ${JSON.stringify(o.schedule)}: use one of ${scheduleNames.join(', ')}.`);
  }
  if (!confidenceNames.includes(o.confidence)) {
    fail('confidence', `Unknown confidence ${JSON.stringify(o.confidence)}: use one of ${confidenceNames.join(', ')}.`);
  }
  if (o.threshold !== null && !(typeof o.threshold === 'number' && o.threshold >= 0 && o.threshold <= 1)) {
    fail('threshold', optionText`{threshold} must be between 0 and 1, or null for off (got ${o.threshold}): set {threshold} to 0.9.`);
  }
  if (o.factor !== null && !(typeof o.factor === 'number' && o.factor > 0 && Number.isFinite(o.factor))) {
    fail('factor', optionText`{factor} must be a number > 0, or null for off (got ${o.factor}): set {factor} to 1.`);
  }
  if (typeof o.keepApart !== 'boolean') fail('keepApart', optionText`{keepApart} must be true or false (got ${o.keepApart}).`);
  if (typeof o.avoidRepeats !== 'boolean') fail('avoidRepeats', optionText`{avoidRepeats} must be true or false (got ${o.avoidRepeats}).`);
  if (o.keepApart && o.threshold === null && o.factor === null) {
    fail('keepApart', optionText`{keepApart} applies to the {threshold} and {factor} rules: set one of them, or turn {keepApart} off.`);
  }
  if (o.threshold !== null && o.factor !== null) {
    fail('factor', optionText`{threshold} and {factor} are two different parallel-decoding rules: set only one of them.`);
  }
  if (!(typeof o.temperature === 'number' && o.temperature >= 0 && Number.isFinite(o.temperature))) {
    fail('temperature', optionText`{temperature} must be a number >= 0 (got ${o.temperature}): set {temperature} to 0 for greedy.`);
  }
  if (!isWhole(o.remask, 0)) fail('remask', optionText`{remask} must be an integer >= 0 (got ${o.remask}): set {remask} to 0 for off.`);
  if (o.remask > 0 && (o.threshold !== null || o.factor !== null)) {
    fail('remask', optionText`{remask} needs a quota schedule: set {remask} to 0, or neither {threshold} nor {factor}.`);
  }
  if (!(typeof o.guidance === 'number' && o.guidance >= 0 && Number.isFinite(o.guidance))) {
    fail('guidance', optionText`{guidance} must be a number >= 0 (got ${o.guidance}): set {guidance} to 0 for off.`);
  }
  if (!(o.suppress instanceof Int32Array)) fail('suppress', 'suppress must be an Int32Array of token ids.');
  for (const id of o.suppress) {
    if (id < 0 || id >= vocabSize) {
      fail('suppress', `suppressed token id ${id} is outside the vocabulary (0..${vocabSize - 1}): check the model's special tokens.`);
    }
  }
  if (!(typeof o.seed === 'number' && Number.isFinite(o.seed))) {
    fail('seed', optionText`{seed} must be a finite number (got ${o.seed}): set {seed} to 0.`);
  }
}

/** Check the canvas against the model; returns the masked positions, left to right. */
function checkCanvas(canvas: Canvas, vocabSize: number): Int32Array {
  const { ids, state } = canvas;
  if (ids.length !== state.length) {
    throw new CanvasError(`The canvas has ${ids.length} token ids but ${state.length} states: build it with buildCanvas.`);
  }
  let masked = 0;
  for (let p = 0; p < ids.length; p++) {
    const s = state[p];
    if (s > PositionState.committed) {
      throw new CanvasError(`Position ${p} has unknown state ${s}: use the values of PositionState.`);
    }
    if (s === PositionState.masked) masked++;
    else if (ids[p] < 0 || ids[p] >= vocabSize) {
      throw new CanvasError(
        `Token id ${ids[p]} at position ${p} is outside the model's vocabulary (0..${vocabSize - 1}): tokenize the text with this model's tokenizer.`,
      );
    }
  }
  if (masked === 0) throw new NoMaskError();
  const positions = new Int32Array(masked);
  for (let p = 0, at = 0; p < ids.length; p++) if (state[p] === PositionState.masked) positions[at++] = p;
  return positions;
}

/** Suppressed token ids as a mask over the vocabulary; the mask id is always among them. */
function suppressMask(suppress: Int32Array, maskId: number, vocabSize: number): Uint8Array {
  const mask = new Uint8Array(vocabSize);
  for (const id of suppress) mask[id] = 1;
  mask[maskId] = 1;
  let suppressed = 0;
  for (const s of mask) suppressed += s;
  if (suppressed === vocabSize) fail('suppress', 'Every token id is suppressed: leave at least one token the model may write.');
  return mask;
}

/** The blocks over the masked positions and each block's quota per step (see decode). */
function planBlocks(total: number, options: DecodeOptions): { blockSize: number; quotas: Int32Array[] } {
  const blockSize = Math.min(options.blockLength ?? total, total);
  const blocks = Math.ceil(total / blockSize);
  const steps = Math.min(options.steps, total);
  const quotas: Int32Array[] = [];
  for (let b = 0; b < blocks; b++) {
    const size = Math.min(blockSize, total - b * blockSize);
    const share = Math.floor(steps / blocks) + (b < steps % blocks ? 1 : 0);
    quotas.push(quotaFor(options.schedule, size, Math.min(size, Math.max(1, share))));
  }
  return { blockSize, quotas };
}

/**
 * One decode's working canvas and scratch, all sized to the masked count up front, and the parts of a
 * step as methods: candidates -> score (forward, guidance, confidence) -> select -> commit -> remask.
 * Masked positions are named by their index m into `maskedPos`; candidates by their index c into
 * `candPos`, the still-masked positions of this step.
 */
class Decoding {
  readonly ids: Int32Array;
  readonly state: Uint8Array;
  /** The context-masked canvas for guidance's unconditional pass; `ids` itself without guidance. */
  private readonly uncondIds: Int32Array;
  private readonly suppress: Uint8Array;
  private readonly rng: Rng;
  private readonly candPos: Int32Array; // the still-masked positions (the candidates)
  private readonly candIndex: Int32Array; // their m
  private readonly tokens: Int32Array; // per candidate: the token chosen
  private readonly conf: Float32Array; // and its confidence
  private readonly selected: Int32Array; // candidates to commit, from select
  private readonly committedConf: Float32Array; // per m: confidence when committed
  private readonly commitStep: Int32Array; // per m: the step that committed it, -1 while masked
  private readonly reopenable: Uint8Array; // per m of the block: may be re-opened
  private readonly reopened: Int32Array; // the block's re-opened m - start
  private readonly taken: Uint8Array; // scratch marks over the candidates (keepApart; avoidRepeats' order), all 0 between uses
  private readonly order: Int32Array; // avoidRepeats: the step's selection, most confident first
  private readonly view: Int32Array; // and the text as settled so far, -1 where masked
  private readonly repeated: Int32Array; // and one position's repeated tokens
  private readonly banned: Uint8Array; // and those tokens marked over the vocabulary
  /** This step's rows of logits, when read: avoidRepeats chooses again from them (null: not read). */
  private logits: Float32Array | null = null;
  private candidates = 0;
  step = 0;
  nfe = 0;
  readonly trace: StepSnapshot[] = [];

  constructor(
    private readonly denoiser: Denoiser,
    canvas: Canvas,
    private readonly maskedPos: Int32Array,
    private readonly options: DecodeOptions,
    blockSize: number,
  ) {
    const { maskId, vocabSize } = denoiser;
    const total = maskedPos.length;
    this.ids = Int32Array.from(canvas.ids);
    this.state = Uint8Array.from(canvas.state);
    for (const p of maskedPos) this.ids[p] = maskId;
    // Without guidance uncondIds is ids itself, so writing both below is harmless.
    this.uncondIds = options.guidance > 0 ? Int32Array.from(this.ids) : this.ids;
    if (options.guidance > 0) for (let p = 0; p < this.state.length; p++) if (this.state[p] === PositionState.context) this.uncondIds[p] = maskId;
    this.suppress = suppressMask(options.suppress, maskId, vocabSize);
    this.rng = new Rng(options.seed);
    this.candPos = new Int32Array(total);
    this.candIndex = new Int32Array(total);
    this.tokens = new Int32Array(total);
    this.conf = new Float32Array(total);
    this.selected = new Int32Array(total);
    this.committedConf = new Float32Array(total);
    this.commitStep = new Int32Array(total).fill(-1);
    this.reopenable = new Uint8Array(blockSize);
    this.reopened = new Int32Array(blockSize);
    this.taken = new Uint8Array(total);
    this.order = new Int32Array(total);
    this.view = new Int32Array(this.ids.length);
    this.repeated = new Int32Array(MAX_REPEATED);
    this.banned = new Uint8Array(options.avoidRepeats ? vocabSize : 0);
  }

  /**
   * The candidates: every still-masked position from the block's start on. Earlier blocks are done,
   * so the block's own candidates are a prefix; returns its length (the eligible ones).
   */
  gatherCandidates(start: number, end: number): number {
    const { maskedPos, state, candPos, candIndex } = this;
    let candidates = 0;
    let eligible = 0;
    for (let m = start; m < maskedPos.length; m++) {
      if (state[maskedPos[m]] !== PositionState.masked) continue;
      if (m < end) eligible++;
      candPos[candidates] = maskedPos[m];
      candIndex[candidates++] = m;
    }
    this.candidates = candidates;
    return eligible;
  }

  /**
   * Forward (+ classifier-free guidance with the context masked: a second pass), then confidence. With
   * avoidRepeats, the first `eligible` candidates (those the step may commit) are kept off repeats.
   */
  async score(eligible: number): Promise<void> {
    const { denoiser, options, candidates, tokens, conf } = this;
    const { signal, guidance } = options;
    const positions = this.candPos.subarray(0, candidates);
    this.logits = null;
    if (denoiser.summarize !== undefined && options.temperature === 0 && guidance === 0) {
      const summary = await denoiser.summarize(this.ids, positions, this.suppress);
      this.nfe++;
      signal?.throwIfAborted();
      if (summary.token.length !== candidates) throw new DenoiserOutputError(candidates, summary.token.length);
      confidenceFromSummary(summary, candidates, options.confidence, this.rng, tokens, conf);
    } else {
      let logits = await this.forwardRows(this.ids, positions);
      if (guidance > 0) {
        const uncond = await this.forwardRows(this.uncondIds, positions);
        applyGuidance(logits, uncond, guidance, uncond);
        logits = uncond;
      }
      scoreRows(logits, candidates, denoiser.vocabSize, { confidence: options.confidence, temperature: options.temperature, rng: this.rng, suppress: this.suppress }, tokens, conf);
      this.logits = logits;
    }
    if (!options.avoidRepeats) return;
    this.viewDecided();
    for (let c = 0; c < eligible; c++) await this.avoidRepeat(c);
  }

  /** One forward pass for the candidates' rows of logits, counted and checked. */
  private async forwardRows(ids: Int32Array, positions: Int32Array): Promise<Float32Array> {
    const logits = await this.denoiser.forward(ids, positions);
    this.nfe++;
    this.options.signal?.throwIfAborted();
    const expected = positions.length * this.denoiser.vocabSize;
    if (logits.length !== expected) throw new DenoiserOutputError(expected, logits.length);
    return logits;
  }

  /** The view holds the decided text (context and committed tokens), -1 where still masked. */
  private viewDecided(): void {
    const { ids, state, view } = this;
    for (let p = 0; p < view.length; p++) view[p] = state[p] === PositionState.masked ? -1 : ids[p];
  }

  /**
   * If candidate c's token repeats the view, choose again for it without the repeated tokens. A step
   * scored from row summaries reads its rows' full logits the first time it must (one more forward pass
   * of the same canvas): the summary's tokens and confidences are the full rows' already.
   */
  private async avoidRepeat(c: number): Promise<void> {
    const count = repeatedTokens(this.view, this.candPos[c], this.repeated);
    if (!isAmong(this.tokens[c], this.repeated, count)) return;
    this.logits ??= await this.forwardRows(this.ids, this.candPos.subarray(0, this.candidates));
    this.chooseAgain(c, count);
  }

  /**
   * avoidRepeats: choose again for candidate c from its row of logits, without the first `count` token
   * ids of `repeated`, greedy or by Gumbel-max at the temperature. Its confidence stays measured on the
   * whole softmax, so a token chosen only because a likelier one was ruled out is as unsure as the model
   * is of it ('prob' and 'margin'; 'entropy' and 'random' do not depend on the token). Keeps the first
   * choice when the row has no other token to give.
   */
  private chooseAgain(c: number, count: number): void {
    const vocab = this.denoiser.vocabSize;
    const row = this.logits!.subarray(c * vocab, (c + 1) * vocab);
    const { suppress, rng, banned, repeated } = this;
    for (let i = 0; i < count; i++) banned[repeated[i]] = 1;
    const { temperature, confidence } = this.options;
    let max = -Infinity;
    for (let v = 0; v < vocab; v++) if (suppress[v] === 0 && row[v] > max) max = row[v];
    let sum = 0;
    let chosen = -1;
    let chosenScore = -Infinity;
    let best = -Infinity; // the two largest logits left to choose from, for the margin
    let second = -Infinity;
    for (let v = 0; v < vocab; v++) {
      const l = row[v];
      if (suppress[v] === 1 || l === -Infinity) continue;
      sum += Math.exp(l - max);
      if (banned[v] === 1) continue;
      const score = temperature > 0 ? gumbelScore(l, temperature, rng) : l;
      if (score > chosenScore) {
        chosenScore = score;
        chosen = v;
      }
      if (l > best) {
        second = best;
        best = l;
      } else if (l > second) second = l;
    }
    for (let i = 0; i < count; i++) banned[repeated[i]] = 0;
    if (chosen < 0) return;
    this.tokens[c] = chosen;
    if (confidence === 'prob') this.conf[c] = Math.exp(row[chosen] - max) / sum;
    else if (confidence === 'margin') this.conf[c] = (Math.exp(best - max) - Math.exp(second - max)) / sum;
  }

  /** Which of the block's `eligible` candidates to commit: k by confidence, or Fast-dLLM's rule. */
  select(eligible: number, k: number): number {
    const { threshold, factor } = this.options;
    const { conf, selected } = this;
    let chosen: number;
    if (threshold !== null) chosen = selectThreshold(conf, eligible, threshold, selected);
    else if (factor !== null) chosen = selectFactor(conf, eligible, factor, selected);
    else chosen = selectTopK(conf, eligible, k, selected);
    if (this.options.keepApart) chosen = keepApart(selected, chosen, this.candPos.subarray(0, this.candidates), conf, this.taken);
    return chosen;
  }

  /**
   * avoidRepeats among the tokens this step commits: most confident first, each one that repeats the
   * decided text with the ones settled before it is chosen again. (One alone was kept off repeats of the
   * decided text when scored.)
   */
  async avoidRepeatsInStep(chosen: number): Promise<void> {
    if (!this.options.avoidRepeats || chosen < 2) return;
    const { candPos, tokens, order, selected, view } = this;
    byConfidence(selected, chosen, this.conf, this.taken.subarray(0, this.candidates), order);
    // The view still holds the decided text score() wrote: only select() ran since, and nothing is committed.
    for (let i = 0; i < chosen; i++) {
      const c = order[i];
      await this.avoidRepeat(c);
      view[candPos[c]] = tokens[c];
    }
  }

  commit(chosen: number): void {
    for (let i = 0; i < chosen; i++) {
      const c = this.selected[i];
      const p = this.candPos[c];
      this.ids[p] = this.tokens[c];
      this.uncondIds[p] = this.tokens[c];
      this.state[p] = PositionState.committed;
      this.committedConf[this.candIndex[c]] = this.conf[c];
      this.commitStep[this.candIndex[c]] = this.step;
    }
  }

  /**
   * Remasking (Mask-Predict; ReMDM): re-open the `remask` lowest-confidence tokens the block committed
   * in earlier steps. Returns how many, to add to the next step's quota.
   */
  remask(start: number, end: number): number {
    const { maskedPos, state, commitStep, reopenable, reopened } = this;
    const { maskId } = this.denoiser;
    const size = end - start;
    for (let i = 0; i < size; i++) {
      const m = start + i;
      reopenable[i] = state[maskedPos[m]] === PositionState.committed && commitStep[m] < this.step ? 1 : 0;
    }
    const count = lowestK(this.committedConf.subarray(start, end), reopenable.subarray(0, size), this.options.remask, reopened);
    for (let i = 0; i < count; i++) {
      const m = start + reopened[i];
      const p = maskedPos[m];
      this.ids[p] = maskId;
      this.uncondIds[p] = maskId;
      state[p] = PositionState.masked;
      commitStep[m] = -1;
    }
    return count;
  }

  /** The step as a snapshot (copies: the buffers are rewritten next step), kept and/or reported. */
  snapshot(block: number, start: number, chosen: number, reopenedCount: number): StepSnapshot {
    const { candidates, candPos } = this;
    const snapshot: StepSnapshot = {
      step: this.step,
      block,
      positions: candPos.slice(0, candidates),
      tokens: this.tokens.slice(0, candidates),
      conf: this.conf.slice(0, candidates),
      committed: new Int32Array(chosen),
      remasked: new Int32Array(reopenedCount),
    };
    for (let i = 0; i < chosen; i++) snapshot.committed[i] = candPos[this.selected[i]];
    for (let i = 0; i < reopenedCount; i++) snapshot.remasked[i] = this.maskedPos[start + this.reopened[i]];
    return snapshot;
  }
}

/**
 * Decode every masked position of `canvas` (left unchanged; the result is a new array).
 * Blocks: the masked positions are cut into blocks of `blockLength` in left-to-right order, and block b
 * gets floor(S/B) (+1 for the first S mod B blocks) of the S = min(steps, masked) steps, at least 1 and
 * at most its size (LLaDA splits steps evenly across blocks). Logits are asked for every still-masked
 * position, but only the current block's are eligible, so nothing past the block is committed.
 * With threshold/factor a block runs until it is fully unmasked (Fast-dLLM), ignoring the schedule.
 */
export async function decode(denoiser: Denoiser, canvas: Canvas, options: DecodeOptions): Promise<DecodeResult> {
  const { vocabSize, maskId } = denoiser;
  if (!isWhole(vocabSize, 1) || !isWhole(maskId, 0) || maskId >= vocabSize) {
    throw new RangeError(`decode: the denoiser's vocabSize (${vocabSize}) and maskId (${maskId}) are inconsistent`);
  }
  checkOptions(options, vocabSize);
  const maskedPos = checkCanvas(canvas, vocabSize);
  const { blockSize, quotas } = planBlocks(maskedPos.length, options);
  const quotaMode = options.threshold === null && options.factor === null;
  const run = new Decoding(denoiser, canvas, maskedPos, options, blockSize);

  for (let b = 0; b < quotas.length; b++) {
    const start = b * blockSize;
    const end = Math.min(start + blockSize, maskedPos.length);
    const quota = quotas[b];
    let carry = 0; // tokens re-opened by remasking, added to the next step's quota
    let stillMasked = end - start;
    for (let j = 0; quotaMode ? j < quota.length : stillMasked > 0; j++) {
      const k = quotaMode ? quota[j] + carry : stillMasked;
      if (k === 0) continue;
      options.signal?.throwIfAborted();
      const eligible = run.gatherCandidates(start, end);
      await run.score(eligible);
      const chosen = run.select(eligible, k);
      await run.avoidRepeatsInStep(chosen);
      run.commit(chosen);
      // Never remask on the block's last step: what it re-opened would stay masked.
      carry = options.remask > 0 && quotaMode && j < quota.length - 1 ? run.remask(start, end) : 0;
      stillMasked += carry - chosen;
      if (options.trace || options.onStep) {
        const snapshot = run.snapshot(b, start, chosen, carry);
        if (options.trace) run.trace.push(snapshot);
        options.onStep?.(snapshot);
      }
      run.step++;
    }
  }
  return { ids: run.ids, steps: run.step, nfe: run.nfe, trace: run.trace };
}
