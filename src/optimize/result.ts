// What an optimize run produces, and all a resumed run needs to go on: every candidate with its
// scores, every finished iteration, the spend so far, and the config it was run with.
import type { OptimizeConfig } from './config';
import type { RunUsage } from './meter';
import type { CharRange } from './prompt';
import type { SpanStrategy } from './spans';

export type StopReason = 'iterations' | 'budget' | 'no-improvement' | 'no-new-candidates' | 'aborted';

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
  strategy: SpanStrategy | 'initial';
  /** 0 for the initial prompt, then 1, 2, ... */
  iteration: number;
  /** Objective on the iteration's minibatch (null for the initial prompt). */
  score: number | null;
  /** Objective on the full dataset, when it was scored there. */
  fullScore: number | null;
}

export interface IterationRecord {
  iteration: number;
  /** Share of editable tokens masked (GPO's cosine-decayed learning rate) and the token count. */
  editFraction: number;
  editTokens: number;
  /** Indices of the dataset examples in this iteration's minibatch. */
  minibatch: number[];
  candidates: number[];
  /** The best prompt after this iteration, and its full-dataset objective. */
  bestId: number;
  bestScore: number;
  improved: boolean;
}

export interface ScoredPrompt {
  id: number;
  prompt: string;
  /** The objective: the metric's mean on the full dataset, times the length penalty if any. */
  score: number;
  /** The metric's mean alone. */
  metric: number;
}

export interface OptimizeResult {
  version: 1;
  best: ScoredPrompt;
  initial: ScoredPrompt;
  iterations: IterationRecord[];
  candidates: CandidateRecord[];
  usage: RunUsage;
  stopReason: StopReason;
  /** The resolved config (defaults filled in) the run used. */
  config: OptimizeConfig;
}
