// Counts what a run spends on its targets (the target and the judge alike) and stops it before it
// would go over the budget. Calls are counted as they finish; a batch is only started when the calls
// it plans, at the run's average cost so far, still fit.
import { RemaskError } from '../core/errors';
import { costOf } from '../targets/cost';
import type { ChatRequest, ChatResponse, Target } from '../targets/target';

export interface Budget {
  maxTargetCalls?: number;
  maxTokens?: number;
  maxUSD?: number;
}

export interface RunUsage {
  targetCalls: number;
  inputTokens: number;
  outputTokens: number;
  usd: number;
  /** False when some model's price is unknown (local servers): usd then undercounts. */
  pricesKnown: boolean;
}

export const emptyUsage = (): RunUsage => ({ targetCalls: 0, inputTokens: 0, outputTokens: 0, usd: 0, pricesKnown: true });

/** Thrown (and caught by the loop) when the next batch would overspend: the run stops cleanly. */
export class BudgetExhausted extends RemaskError {
  constructor(what: string) {
    super('budget-exhausted', `The budget is spent (${what}): raise it in config.budget to go on, then --resume.`);
    this.name = 'BudgetExhausted';
  }
}

export class Meter {
  readonly usage: RunUsage;
  readonly #budget: Budget;
  /** Calls kept back for later (the final test scoring), which the search may not spend. */
  #held = 0;

  constructor(budget: Budget, usage: RunUsage = emptyUsage()) {
    this.#budget = budget;
    this.usage = { ...usage };
  }

  /** A target whose calls count against this meter. */
  metered(target: Target): Target {
    return {
      provider: target.provider,
      model: target.model,
      complete: async (request: ChatRequest): Promise<ChatResponse> => {
        const response = await target.complete(request);
        const cost = costOf(target.provider, target.model, response.usage);
        this.usage.targetCalls++;
        this.usage.inputTokens += response.usage.inputTokens;
        this.usage.outputTokens += response.usage.outputTokens;
        this.usage.usd += cost.usd;
        this.usage.pricesKnown &&= cost.known;
        return response;
      },
    };
  }

  /** Keeps `calls` calls of the budget back from every later reserve() until release(). */
  hold(calls: number): void {
    this.#held = calls;
  }

  release(): void {
    this.#held = 0;
  }

  /** Throws BudgetExhausted unless `calls` more calls fit, at the average cost per call so far. */
  reserve(needed: number): void {
    const { maxTargetCalls, maxTokens, maxUSD } = this.#budget;
    const u = this.usage;
    const calls = needed + this.#held;
    const perCall = (total: number) => (u.targetCalls === 0 ? 0 : total / u.targetCalls);
    if (maxTargetCalls !== undefined && u.targetCalls + calls > maxTargetCalls) {
      throw new BudgetExhausted(`${u.targetCalls} of ${maxTargetCalls} target calls used, ${needed} more needed${this.#held ? ` and ${this.#held} kept for the test split` : ''}`);
    }
    const tokens = u.inputTokens + u.outputTokens;
    if (maxTokens !== undefined && tokens + calls * perCall(tokens) > maxTokens) {
      throw new BudgetExhausted(`${tokens} of ${maxTokens} tokens used`);
    }
    if (maxUSD !== undefined && u.usd + calls * perCall(u.usd) > maxUSD) {
      throw new BudgetExhausted(`$${u.usd.toFixed(4)} of $${maxUSD} used`);
    }
  }
}
