// The decoding settings the Playground lets a learner change, and the two strategies it compares by
// default: LLaDA's low-confidence remasking against random order, on the same schedule.
import type { ConfidenceName } from '../../core/confidence';
import type { ScheduleName } from '../../core/schedule';

export interface Strategy {
  steps: number;
  schedule: ScheduleName;
  confidence: ConfidenceName;
  temperature: number;
  seed: number;
}

export const defaultStrategies: Record<'A' | 'B', Strategy> = {
  A: { steps: 8, schedule: 'linear', confidence: 'prob', temperature: 0, seed: 0 },
  B: { steps: 8, schedule: 'linear', confidence: 'random', temperature: 0, seed: 0 },
};

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
