// The decoding settings the Playground lets a learner change, and the two strategies it compares by
// default: LLaDA's low-confidence remasking against random order, on the same schedule.
import type { ConfidenceName } from '../../core/confidence';
import { defaultDecodeOptions } from '../../core/sampler';
import type { ScheduleName } from '../../core/schedule';
import type { PackageCommitRule } from '../../model/package';

export interface Strategy {
  steps: number;
  schedule: ScheduleName;
  /** Fast-dLLM parallel decoding: commit every token this confident (or by the factor rule) instead of the schedule. */
  threshold: number | null;
  factor: number | null;
  /** With threshold or factor: no two neighbours committed in one step. */
  keepApart: boolean;
  /** Never write the token a decided neighbour holds. */
  avoidRepeats: boolean;
  confidence: ConfidenceName;
  temperature: number;
  seed: number;
}

/** The sampler's own defaults; side B differs only in its order (random), so the comparison shows one idea. */
const { steps, schedule, threshold, factor, keepApart, avoidRepeats, confidence, temperature, seed } = defaultDecodeOptions;
export const defaultStrategies: Record<'A' | 'B', Strategy> = {
  A: { steps, schedule, threshold, factor, keepApart, avoidRepeats, confidence, temperature, seed },
  B: { steps, schedule, threshold, factor, keepApart, avoidRepeats, confidence: 'random', temperature, seed },
};

/** How many tokens a step commits: the schedule's quota, or one of Fast-dLLM's parallel rules. */
export type CommitRule = 'schedule' | 'threshold' | 'factor';

export const commitRuleLabels: Record<CommitRule, string> = {
  schedule: 'By the schedule (Steps)',
  threshold: 'Every token above a confidence threshold (Fast-dLLM)',
  factor: 'Factor rule (Fast-dLLM)',
};

export function commitRuleOf(strategy: Strategy): CommitRule {
  return strategy.threshold !== null ? 'threshold' : strategy.factor !== null ? 'factor' : 'schedule';
}

/**
 * The strategy with another rule, at a starting value for it: the model package's own decoding where it
 * has one (threshold, neighbours apart), else Fast-dLLM's threshold 0.9 or factor 1 as published.
 */
export function withCommitRule(strategy: Strategy, rule: CommitRule, model: PackageCommitRule | null = null): Strategy {
  return {
    ...strategy,
    threshold: rule === 'threshold' ? (model?.threshold ?? 0.9) : null,
    factor: rule === 'factor' ? 1 : null,
    keepApart: rule !== 'schedule' && (model?.keepApart ?? false),
  };
}

export const scheduleLabels: Record<ScheduleName, string> = {
  linear: 'Linear (same number each step)',
  'alpha-linear': 'Alpha linear (MDLM)',
  cosine: 'Cosine (few first, many last)',
  maskgit: 'MaskGIT cosine (many first)',
};

export const confidenceLabels: Record<ConfidenceName, string> = {
  prob: 'Most probable first (low-confidence remasking)',
  margin: 'Largest top-1 − top-2 margin first',
  entropy: 'Lowest entropy first',
  random: 'Random order',
};

/** A side's title in words: its order and the rule that really decided each step's count. */
export function strategyTitle(strategy: Strategy): string {
  const parallel = strategy.threshold !== null ? `threshold ${strategy.threshold}` : strategy.factor !== null ? `factor ${strategy.factor}` : null;
  const rule = parallel === null ? scheduleLabels[strategy.schedule].toLowerCase() : `${parallel}${strategy.keepApart ? ', neighbours apart' : ''}`;
  return `${confidenceLabels[strategy.confidence]}, ${rule}${strategy.avoidRepeats ? ', no repeats' : ''}`;
}

/** Why a decode took fewer steps than asked, or null: a step commits at least one token. */
export function stepsNote(strategy: Strategy, masks: number, steps: number): string | null {
  if (strategy.threshold !== null || strategy.factor !== null || masks >= strategy.steps || steps >= strategy.steps) return null;
  return `${strategy.steps} steps asked, ${masks} ${masks === 1 ? 'mask' : 'masks'}: ${steps} ${steps === 1 ? 'step' : 'steps'}, as each step writes at least one token.`;
}

/**
 * The decode settings a strategy asks for. Keeping neighbours apart only goes with a parallel rule: when
 * the Threshold or Factor field is cleared, the schedule decides again and the hidden tick is ignored.
 */
export function decodeSettings(strategy: Strategy): Strategy {
  return { ...strategy, keepApart: strategy.keepApart && (strategy.threshold !== null || strategy.factor !== null) };
}
