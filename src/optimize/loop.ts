// The optimizer loop (DLM prompt optimization, with GPO's momentum and edit-budget schedule and
// Promptomatix's length-aware objective). The rows are split (split.ts): train feeds the search,
// validation decides, test only reports. Each iteration:
//   1. run the best prompt on a minibatch of train rows: its traces (query, answer, score, feedback);
//   2. pick spans of the prompt to rewrite (random, least likely under the DLM, an insertion, or the
//      user's marks), as many tokens as the cosine-decayed edit budget allows;
//   3. denoise N candidates with the DLM, conditioned on the traces and the best past prompts (or let
//      GPO's optimizer LLM rewrite; or, hybrid, let it write the failures' feedback for the DLM), each
//      with its few-shot demonstrations when search.demos asks for them;
//   4. score each new candidate on the minibatch, the best of them on the validation rows;
//   5. keep it if it beats the best so far on validation.
// When the run ends, the initial and the best prompt are scored on the test rows, with intervals.
// The best prompt only changes on a strictly better validation score, so the result never ends below
// the initial prompt there. Randomness is derived from (seed, iteration, candidate), so the same seed
// and the same target answers give the same run, resumed or not.
import { derivedSeed, Rng, sampleDistinct } from '../core/rng';
import type { Engine } from '../model/engine';
import type { Target } from '../targets/target';
import { ConfigError, llmProposers, renameRewriteToMarked, type OptimizeConfig } from './config';
import type { Example } from './dataset';
import { editFraction, editTokens } from './edit-budget';
import { BudgetExhausted, Meter, type RunUsage } from './meter';
import { createMetric } from './metrics';
import { EditablePrompt, type CharRange, type PromptText } from './prompt';
import { demoPool, drawDemos, withDemos, type Demo } from './demos';
import { estimate } from './estimate';
import { droppedPlaceholders, placeholderRanges, proposeWithLlm, retrieveTrajectory, wordCount, wordEditDistance, type LlmRewrite } from './gpo';
import { proposeRewrites, type Rewrite } from './propose';
import { reflect } from './reflect';
import { resultVersion, type CandidateRecord, type IterationRecord, type OptimizeResult, type ScoredPrompt, type StopReason, type TestReport } from './result';
import { Scorer } from './scoring';
import { strategiesFor } from './spans';
import { splitRows, type DataSplit } from './split';
import { pairedDelta, scoreSummary } from './stats';

export type OptimizeEvent =
  | { type: 'estimate'; calls: number; usd: number; pricesKnown: boolean }
  | { type: 'split'; split: DataSplit; warning?: string }
  | { type: 'initial'; initial: ScoredPrompt }
  | { type: 'iteration'; iteration: number; of: number; editTokens: number }
  | { type: 'candidate'; candidate: CandidateRecord; usage: RunUsage }
  | { type: 'best'; best: ScoredPrompt }
  | { type: 'test'; test: TestReport }
  | { type: 'checkpoint'; result: OptimizeResult }
  | { type: 'stop'; reason: StopReason };

/** A candidate before it is scored: a proposer's rewrite, with the demonstrations it will carry. */
interface Proposal {
  prompt: PromptText;
  maskedSpans: CharRange[];
  strategy: CandidateRecord['strategy'];
  /** Known to the proposers that enforce an edit budget in words (GPO); measured otherwise. */
  editWords?: number;
  demos?: Demo[];
}

export interface OptimizeRun {
  config: OptimizeConfig;
  examples: readonly Example[];
  /** The DLM that proposes rewrites. */
  engine: Engine;
  target: Target;
  /** GPO's optimizer LLM; the target when absent. Metered apart from the target, within the same budget. */
  optimizer?: Target;
  /** A result to go on from (`--resume`); its finished iterations are not run again. */
  previous?: OptimizeResult;
  signal?: AbortSignal;
  onEvent?: (event: OptimizeEvent) => void;
}

export async function optimize(run: OptimizeRun): Promise<OptimizeResult> {
  const { config, examples, engine, signal } = run;
  const { search } = config;
  const emit = run.onEvent ?? (() => {});
  const meter = new Meter(config.budget, run.previous?.usage);
  const target = meter.metered(run.target);
  const judging = typeof config.metric === 'object' && 'judge' in config.metric;
  const callsPerExample = judging ? 2 : 1;
  const scorer = new Scorer(target, createMetric(config.metric, judging ? target : undefined), meter, examples, callsPerExample, run.previous?.answers, config.feedback);
  const optimizerLlm = llmProposers.includes(search.proposer) ? meter.metered(run.optimizer ?? run.target, 'optimizer') : undefined;
  const { split, warning } = splitRows(examples, config.dataset.split, search.seed);
  const warnings = warning ? [warning] : [];
  emit({ type: 'split', split, warning });
  const { model: _model, quant: _quant, ...decoding } = config.dlm;
  const objective = (metric: number, prompt: string) => metric * Math.exp(-search.lengthPenalty * wordCount(prompt));
  /** What the target reads for a candidate: its instructions, then its demonstrations. */
  const systemOf = (c: { prompt: string; demos?: Demo[] }) => withDemos(c.prompt, c.demos ?? []);

  const candidates: CandidateRecord[] = [];
  const iterations: IterationRecord[] = [];
  // The test rows' calls for the initial and the best prompt are kept back from the search. Rows too
  // few to split have no test: figures on the rows the run selected on would only flatter it.
  const heldOut = warning === undefined;
  if (heldOut) meter.hold(callsPerExample * 2 * split.test.length);
  if (run.previous) {
    checkResumable(run.previous, config, split);
    candidates.push(...run.previous.candidates);
    iterations.push(...run.previous.iterations);
  } else {
    emit({ type: 'estimate', ...estimate(config, examples, callsPerExample) });
    const initial = await scorer.evaluate(config.prompt, split.validation, signal);
    candidates.push({
      id: 0,
      parent: null,
      prompt: config.prompt,
      // Template placeholders are locked whatever the user locked: no proposer may touch them.
      locked: [...config.locked, ...placeholderRanges(config.prompt)],
      marked: config.marked,
      maskedSpans: [],
      strategy: 'initial',
      proposer: null,
      editWords: 0,
      iteration: 0,
      score: null,
      validationScore: objective(initial.score, config.prompt),
    });
    emit({ type: 'initial', initial: scored(candidates[0]) });
  }
  let bestId = iterations.at(-1)?.bestId ?? 0;
  const seen = new Set(candidates.map((c) => c.prompt));
  let test: TestReport | null = null;
  const result = (stopReason: StopReason): OptimizeResult => ({
    version: resultVersion,
    best: scored(candidates[bestId]),
    initial: scored(candidates[0]),
    iterations: [...iterations],
    candidates: [...candidates],
    split,
    test,
    warnings: [...warnings],
    answers: scorer.saved(),
    usage: meter.snapshot(),
    stopReason,
    config,
  });
  function scored(c: CandidateRecord): ScoredPrompt {
    const score = c.validationScore ?? 0;
    const system = systemOf(c);
    return { id: c.id, prompt: system, score, metric: score / objective(1, system) };
  }

  async function iterate(iteration: number): Promise<IterationRecord> {
    const best = candidates[bestId];
    const prompt = new EditablePrompt({ text: best.prompt, locked: best.locked, marked: best.marked }, engine.codec);
    const fraction = editFraction(search.editBudget, iteration - 1, search.iterations);
    const count = editTokens(fraction, prompt.editableTokens().length);
    const editableWords = prompt.units.filter((u) => u.kind !== 'locked').reduce((n, u) => n + wordCount(u.text), 0);
    const editBudgetWords = editableWords === 0 ? 0 : Math.max(1, Math.round(fraction * editableWords));
    emit({ type: 'iteration', iteration, of: search.iterations, editTokens: count });

    const rng = new Rng(derivedSeed(search.seed, iteration));
    const minibatch = Array.from(sampleDistinct(rng, split.train.length, search.minibatch), (i) => split.train[i]);
    const parentSystem = systemOf(best);
    const parent = await scorer.evaluate(parentSystem, minibatch, signal);
    const parentScore = objective(parent.score, parentSystem);
    const blind = search.proposer === 'dlm-blind';
    const past = blind ? [] : retrieveTrajectory(candidates, bestId, search.trajectory, search.retrieval);
    const { traces, reflection } =
      search.proposer === 'hybrid' ? await reflect(optimizerLlm!, best.prompt, parent.traces, signal) : { traces: parent.traces, reflection: null };
    const rewrites: Array<Rewrite | LlmRewrite> = search.proposer === 'gpo'
      ? await proposeWithLlm(optimizerLlm!, { prompt, traces, past, candidates: search.candidates, editWords: editBudgetWords, seed: search.seed, seedPath: [iteration], seen, signal })
      : await proposeRewrites(engine, {
          prompt,
          traces: blind ? [] : traces,
          past,
          fill: search.proposer === 'random' ? 'random' : 'model',
          candidates: search.candidates,
          editTokens: count,
          strategies: strategiesFor(config.search.spans, prompt, best.marked.length > 0),
          marked: best.marked,
          decoding,
          seed: search.seed,
          seedPath: [iteration],
          seen,
          signal,
        });
    // Demonstrations come from the minibatch's correct answers; half the rewrites keep the parent's
    // set and half draw a new one, and the parent's instructions are tried with a new set too.
    const pool = search.demos > 0 ? demoPool(minibatch, parent.traces) : [];
    const demosFor = (i: number): Demo[] | undefined =>
      search.demos === 0 ? undefined : i % 2 === 0 && best.demos ? best.demos : drawDemos(pool, search.demos, search.seed, [iteration, i, 1]);
    const proposals: Proposal[] = rewrites.map((r, i) => ({ ...r, demos: demosFor(i) }));
    if (pool.length > 0) {
      const same = { text: best.prompt, locked: best.locked, marked: best.marked };
      proposals.push({ prompt: same, maskedSpans: [], strategy: 'demos', editWords: 0, demos: drawDemos(pool, search.demos, search.seed, [iteration, rewrites.length, 1]) });
    }
    const scoredSystems = new Set(candidates.map(systemOf));
    const made: CandidateRecord[] = [];
    for (const rewrite of proposals) {
      // Any proposer's candidate that drops a placeholder is rejected, never repaired.
      if (droppedPlaceholders(best.prompt, rewrite.prompt.text).length > 0) continue;
      const system = withDemos(rewrite.prompt.text, rewrite.demos ?? []);
      if (scoredSystems.has(system)) continue;
      scoredSystems.add(system);
      const evaluation = await scorer.evaluate(system, minibatch, signal);
      const candidate: CandidateRecord = {
        id: candidates.length + made.length,
        parent: best.id,
        prompt: rewrite.prompt.text,
        locked: rewrite.prompt.locked,
        marked: rewrite.prompt.marked,
        maskedSpans: rewrite.maskedSpans,
        strategy: rewrite.strategy,
        proposer: search.proposer,
        editWords: rewrite.editWords ?? wordEditDistance(best.prompt, rewrite.prompt.text),
        iteration,
        ...(rewrite.demos ? { demos: rewrite.demos } : {}),
        score: objective(evaluation.score, system),
        validationScore: null,
      };
      made.push(candidate);
      emit({ type: 'candidate', candidate, usage: meter.snapshot() });
    }
    // An iteration may bring no usable candidate (every draw over the edit budget, or already seen): it
    // is recorded as such, and the next one draws anew. Patience, iterations and budget end the run.
    const top = made.length === 0 ? null : made.reduce((a, b) => (b.score! > a.score! ? b : a));
    let improved = false;
    if (top && top.score! > parentScore) {
      const topSystem = systemOf(top);
      const validation = await scorer.evaluate(topSystem, split.validation, signal);
      top.validationScore = objective(validation.score, topSystem);
      improved = top.validationScore > best.validationScore!;
    }
    candidates.push(...made);
    if (top && improved) {
      bestId = top.id;
      emit({ type: 'best', best: scored(top) });
    }
    return {
      iteration,
      editFraction: fraction,
      editTokens: count,
      editBudgetWords,
      minibatch,
      candidates: made.map((c) => c.id),
      bestId,
      bestScore: candidates[bestId].validationScore!,
      improved,
      ...(reflection ? { reflection } : {}),
    };
  }

  let stopReason: StopReason = 'iterations';
  for (let iteration = iterations.length + 1; iteration <= search.iterations; iteration++) {
    if (signal?.aborted) {
      stopReason = 'aborted';
      break;
    }
    if (search.patience !== null && staleIterations(iterations) >= search.patience) {
      stopReason = 'no-improvement';
      break;
    }
    try {
      iterations.push(await iterate(iteration));
      emit({ type: 'checkpoint', result: result('iterations') });
    } catch (error) {
      // An unfinished iteration records nothing (its candidates join the run only once it ends), so
      // a resumed run redoes it exactly.
      if (error instanceof BudgetExhausted) stopReason = 'budget';
      else if (signal?.aborted) stopReason = 'aborted';
      else throw error;
      break;
    }
  }
  if (stopReason !== 'aborted' && heldOut) test = await testReport();
  emit({ type: 'stop', reason: stopReason });
  return result(stopReason);

  /** The initial and the best prompt on the test rows, paid from the calls held back for it. */
  async function testReport(): Promise<TestReport | null> {
    meter.release();
    try {
      const initial = await scorer.evaluate(systemOf(candidates[0]), split.test, signal);
      const best = await scorer.evaluate(systemOf(candidates[bestId]), split.test, signal);
      const report: TestReport = { n: split.test.length, initial: scoreSummary(initial.values), best: scoreSummary(best.values), delta: pairedDelta(initial.values, best.values) };
      emit({ type: 'test', test: report });
      return report;
    } catch (error) {
      if (!(error instanceof BudgetExhausted)) throw error;
      warnings.push(`No test scores: ${error.message}`);
      return null;
    }
  }
}

function staleIterations(iterations: readonly IterationRecord[]): number {
  let stale = 0;
  for (let i = iterations.length - 1; i >= 0 && !iterations[i].improved; i--) stale++;
  return stale;
}

function checkResumable(previous: OptimizeResult, config: OptimizeConfig, split: DataSplit): void {
  if (previous.version !== resultVersion) {
    throw new ConfigError(`The result file has version ${String(previous.version)}, and this Remask resumes version ${resultVersion}: start afresh without --resume.`);
  }
  // A result file written before the marked ranges had one name holds them as config.rewrite.
  const { budget: _before, feedback: _given, ...was } = renameRewriteToMarked(previous.config);
  const { budget: _now, feedback: _new, ...is } = config;
  if (JSON.stringify(was) !== JSON.stringify(is)) {
    throw new ConfigError('The result file was made with another config (only config.budget and config.feedback may change between runs): resume with the same config, or start afresh without --resume.');
  }
  if (JSON.stringify(previous.split) !== JSON.stringify(split)) {
    throw new ConfigError('The dataset has changed since the result file was made (its rows split differently): resume with the same rows, or start afresh without --resume.');
  }
}
