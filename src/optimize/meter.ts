// Counts what a run spends on its targets (the target and the judge alike) and stops it before it
// would go over the budget. Calls are counted as they finish; a batch is only started when the calls
// it plans, at the run's average cost so far, still fit.
import { optionText, RemaskError } from '../core/errors';
import { costOf } from '../targets/cost';
import type { ChatRequest, ChatResponse, Target } from '../targets/target';

export interface Budget {
  maxTargetCalls?: number;
  maxTokens?: number;
  maxUSD?: number;
}

/** What the optimizer LLM (GPO's proposer) spent, apart from the target. */
export interface OptimizerUsage {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  usd: number;
}

/** The target's spend in the top fields, the optimizer LLM's in `optimizer`; the budget covers both. */
export interface RunUsage {
  targetCalls: number;
  inputTokens: number;
  outputTokens: number;
  usd: number;
  /** False when some model's price is unknown (local servers): usd then undercounts. */
  pricesKnown: boolean;
  optimizer: OptimizerUsage;
}

export const emptyUsage = (): RunUsage => ({ targetCalls: 0, inputTokens: 0, outputTokens: 0, usd: 0, pricesKnown: true, optimizer: { calls: 0, inputTokens: 0, outputTokens: 0, usd: 0 } });

/** Thrown (and caught by the loop) when the next batch would overspend: the run stops cleanly. */
export class BudgetExhausted extends RemaskError {
  constructor(what: string) {
    super('budget-exhausted', optionText`The budget is spent (${what}): raise {budget} and {resume} to go on.`);
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
    this.usage = { ...usage, optimizer: { ...usage.optimizer } };
  }

  /** A target (or, as `role` says, the optimizer LLM) whose calls count against this meter. */
  metered(target: Target, role: 'target' | 'optimizer' = 'target'): Target {
    return {
      provider: target.provider,
      model: target.model,
      complete: async (request: ChatRequest): Promise<ChatResponse> => {
        // The optimizer's calls are made one at a time, each only if the budget still has room for it.
        if (role === 'optimizer') this.reserve(1);
        const response = await target.complete(request);
        const cost = costOf(target.provider, target.model, response.usage);
        const u = this.usage;
        if (role === 'target') {
          u.targetCalls++;
          u.inputTokens += response.usage.inputTokens;
          u.outputTokens += response.usage.outputTokens;
          u.usd += cost.usd;
        } else {
          u.optimizer.calls++;
          u.optimizer.inputTokens += response.usage.inputTokens;
          u.optimizer.outputTokens += response.usage.outputTokens;
          u.optimizer.usd += cost.usd;
        }
        u.pricesKnown &&= cost.known;
        return response;
      },
    };
  }

  /** A copy of the spend so far, for a result or an event, that later calls do not change. */
  snapshot(): RunUsage {
    return { ...this.usage, optimizer: { ...this.usage.optimizer } };
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
    // The budget covers the target and the optimizer LLM together.
    const made = u.targetCalls + u.optimizer.calls;
    const tokens = u.inputTokens + u.outputTokens + u.optimizer.inputTokens + u.optimizer.outputTokens;
    const usd = u.usd + u.optimizer.usd;
    const perCall = (total: number) => (made === 0 ? 0 : total / made);
    if (maxTargetCalls !== undefined && made + calls > maxTargetCalls) {
      const optimizer = u.optimizer.calls > 0 ? ` (${u.optimizer.calls} of them the optimizer LLM's)` : '';
      throw new BudgetExhausted(`${made} of ${maxTargetCalls} calls used${optimizer}, ${needed} more needed${this.#held ? ` and ${this.#held} kept for the test split` : ''}`);
    }
    if (maxTokens !== undefined && tokens + calls * perCall(tokens) > maxTokens) {
      throw new BudgetExhausted(`${tokens} of ${maxTokens} tokens used`);
    }
    if (maxUSD !== undefined && usd + calls * perCall(usd) > maxUSD) {
      throw new BudgetExhausted(`$${usd.toFixed(4)} of $${maxUSD} used`);
    }
  }
}
