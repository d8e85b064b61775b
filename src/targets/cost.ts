// What target calls cost, from the list-price table in prices.json (data, not code: STYLE rule 4).
import prices from './prices.json';
import type { Usage } from './target';

export interface Cost {
  usd: number;
  /** False when the model is not in the table (local servers, new models): usd is then 0, not a real price. */
  known: boolean;
}

interface Price {
  input: number;
  output: number;
}

const table = prices as unknown as Record<string, Record<string, Price> | string>;
const perToken = 1e-6;

/**
 * The table's price for a model, matching dated snapshots and aliases to their base name:
 * "gpt-4o-mini-2024-07-18" -> "gpt-4o-mini", "claude-3-5-haiku-latest" -> "claude-3-5-haiku".
 */
export function priceOf(provider: string, model: string): Price | undefined {
  const models = table[provider];
  if (typeof models !== 'object') return undefined;
  const base = model
    .trim()
    .toLowerCase()
    .replace(/-(latest|\d{4}-\d{2}-\d{2}|\d{8})$/, '');
  return Object.hasOwn(models, base) ? models[base] : undefined;
}

export function costOf(provider: string, model: string, usage: Usage): Cost {
  const price = priceOf(provider, model);
  if (!price) return { usd: 0, known: false };
  return { usd: (usage.inputTokens * price.input + usage.outputTokens * price.output) * perToken, known: true };
}

/** One kind of call in a planned run, e.g. "candidate evaluations on the target" or "judge calls". */
export interface PlannedCalls {
  provider: string;
  model: string;
  calls: number;
  avgInputTokens: number;
  avgOutputTokens: number;
}

/** Pre-run budget estimate: the sum over every kind of call; known only if every price is known. */
export function estimateRunCost(plan: PlannedCalls[]): Cost {
  let usd = 0;
  let known = true;
  for (const { provider, model, calls, avgInputTokens, avgOutputTokens } of plan) {
    const cost = costOf(provider, model, { inputTokens: calls * avgInputTokens, outputTokens: calls * avgOutputTokens });
    usd += cost.usd;
    known &&= cost.known;
  }
  return { usd, known };
}

/** Rough token count before any call is made: about 4 characters a token for English (OpenAI's rule of thumb). */
export const approxTokens = (text: string): number => Math.ceil(text.length / 4);

export const addUsage = (a: Usage, b: Usage): Usage => ({
  inputTokens: a.inputTokens + b.inputTokens,
  outputTokens: a.outputTokens + b.outputTokens,
});
