// What an optimize run produces, and all a resumed run needs to go on: every candidate with its
// scores, every finished iteration, every answer paid for, the spend so far, the split, and the config
// it was run with. Row indices (split, minibatches, answers) count the dataset's rows as loaded, from 0.
import { z } from 'zod';
import type { OptimizeConfig, Proposer } from './config';
import type { Demo } from './demos';
import type { RunUsage } from './meter';
import type { CharRange } from './prompt';
import type { SavedAnswers } from './scoring';
import type { SpanStrategy } from './spans';
import type { DataSplit } from './split';
import type { DeltaSummary, ScoreSummary } from './stats';

export type StopReason = 'iterations' | 'budget' | 'no-improvement' | 'aborted';

export interface CandidateRecord {
  id: number;
  /** The prompt this one was rewritten from; null for the initial prompt. */
  parent: number | null;
  prompt: string;
  /** Where the locked and marked parts of this prompt are, so later rewrites keep honouring them. */
  locked: CharRange[];
  marked: CharRange[];
  /** Character ranges of the parent that the DLM rewrote; an insertion is an empty range. */
  maskedSpans: CharRange[];
  /**
   * How its spans were chosen; 'llm' for a part rewritten whole by the optimizer LLM (GPO); 'demos' for
   * its parent's instructions with a new set of demonstrations.
   */
  strategy: SpanStrategy | 'initial' | 'llm' | 'demos';
  /** Who wrote it (null for the initial prompt). */
  proposer: Proposer | null;
  /** Words changed from its parent (word-level edit distance); 0 for the initial prompt. */
  editWords: number;
  /** 0 for the initial prompt, then 1, 2, ... */
  iteration: number;
  /** Its few-shot demonstrations (config.search.demos), shown to the target after `prompt`; absent for none. */
  demos?: Demo[];
  /** Objective on the iteration's minibatch of train rows (null for the initial prompt). */
  score: number | null;
  /** Objective on the validation rows, when it was scored there: what keep/reject decisions read. */
  validationScore: number | null;
}

export interface IterationRecord {
  iteration: number;
  /** Share of editable tokens masked (GPO's cosine-decayed learning rate) and the token count. */
  editFraction: number;
  editTokens: number;
  /** The same budget in words: the most words a candidate of this iteration may change (enforced for GPO). */
  editBudgetWords: number;
  /** Rows (of train) in this iteration's minibatch. */
  minibatch: number[];
  candidates: number[];
  /** The best prompt after this iteration, and its validation objective. */
  bestId: number;
  bestScore: number;
  improved: boolean;
  /** The hybrid proposer's reflection: what the optimizer LLM said the instructions should say. */
  reflection?: string;
}

export interface ScoredPrompt {
  id: number;
  /** The system prompt as the target reads it: the instructions, then the demonstrations if any. */
  prompt: string;
  /** The objective: the metric's mean on the validation rows, times the length penalty if any. */
  score: number;
  /** The metric's mean alone. */
  metric: number;
}

/**
 * The initial and the best prompt on the test rows, which no decision read: the metric's mean (no length
 * penalty) with 95% intervals, and the paired difference best - initial. A gain whose delta interval
 * holds 0 is within the noise.
 */
export interface TestReport {
  n: number;
  initial: ScoreSummary;
  best: ScoreSummary;
  delta: DeltaSummary;
}

export const resultVersion = 2;

export interface OptimizeResult {
  version: typeof resultVersion;
  best: ScoredPrompt;
  initial: ScoredPrompt;
  iterations: IterationRecord[];
  candidates: CandidateRecord[];
  split: DataSplit;
  /**
   * Null until the run ends (a stopped run has none until it is resumed and ends), when the rows were too
   * few to hold any out (see warnings), or when the budget left no room.
   */
  test: TestReport | null;
  /** What the reader of the result must know: too few rows to split, no budget left for the test. */
  warnings: string[];
  answers: SavedAnswers;
  usage: RunUsage;
  stopReason: StopReason;
  /** The resolved config (defaults filled in) the run used. */
  config: OptimizeConfig;
}

const rows = z.array(z.number().int().nonnegative());
const ranges = z.array(z.tuple([z.number(), z.number()]));

/**
 * What a resumed run reads from a result file, checked before it is trusted: the candidates, iterations,
 * answers, spend and split it goes on from, and the config it compares with the new one (checked there,
 * with the version, by the loop). Everything else in the file is the run's own report and passes as is.
 */
const resumableSchema = z.looseObject({
  version: z.number(),
  candidates: z.array(
    z.looseObject({ id: z.number().int(), parent: z.number().int().nullable(), prompt: z.string(), locked: ranges, marked: ranges, iteration: z.number().int(), validationScore: z.number().nullable() }),
  ),
  iterations: z.array(z.looseObject({ iteration: z.number().int(), minibatch: rows, candidates: rows, bestId: z.number().int(), bestScore: z.number() })),
  answers: z.object({
    prompts: z.array(z.string()),
    answers: z.array(z.looseObject({ prompt: z.number().int(), row: z.number().int(), response: z.string(), score: z.number() })),
  }),
  usage: z.looseObject({ targetCalls: z.number(), inputTokens: z.number(), outputTokens: z.number(), usd: z.number() }),
  split: z.object({ train: rows, validation: rows, test: rows }),
  config: z.looseObject({}),
});

/** A result file to resume from, or why it is not one: the first field that is wrong, by its path. */
export function parseResumable(value: unknown): { result: OptimizeResult } | { problem: string } {
  const parsed = resumableSchema.safeParse(value);
  if (parsed.success) return { result: parsed.data as unknown as OptimizeResult };
  const [issue] = parsed.error.issues;
  return { problem: issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message };
}
