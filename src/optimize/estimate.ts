// What a run may cost, shown before it starts (CLI stderr, the Optimize form): the most target calls it
// can make and their price at list prices.
import { approxTokens, estimateRunCost } from '../targets/cost';
import type { OptimizeConfig } from './config';
import type { Example } from './dataset';
import { splitRows } from './split';

/** Answer length assumed for the pre-run cost estimate, in tokens. */
const assumedAnswerTokens = 64;

/** The most target calls the run can make, and what they would cost at list prices. */
export function estimate(config: OptimizeConfig, examples: readonly Example[], callsPerExample: number) {
  const { iterations, minibatch, demos } = config.search;
  // With demonstrations, each iteration also tries the best instructions with a new set of them.
  const candidates = config.search.candidates + (demos > 0 ? 1 : 0);
  const { split, warning } = splitRows(examples, config.dataset.split, config.search.seed);
  const batch = Math.min(minibatch, split.train.length);
  const validation = split.validation.length;
  const test = warning === undefined ? split.test.length : 0;
  const calls = callsPerExample * (validation + iterations * (batch * (candidates + 1) + validation) + 2 * test);
  const avgInput = examples.reduce((sum, e) => sum + approxTokens(e.input), 0) / Math.max(1, examples.length);
  const target = config.target;
  const cost = estimateRunCost([
    {
      provider: target.provider,
      model: target.model ?? '',
      calls,
      avgInputTokens: approxTokens(config.prompt) + avgInput * (1 + demos),
      avgOutputTokens: assumedAnswerTokens,
    },
  ]);
  return { calls, usd: cost.usd, pricesKnown: cost.known };
}
