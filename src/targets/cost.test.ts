import { describe, expect, it } from 'vitest';
import { addUsage, approxTokens, costOf, estimateRunCost, priceOf } from './cost';

describe('cost', () => {
  it('prices a million input and a million output tokens at the list price', () => {
    const cost = costOf('openai', 'gpt-4o-mini', { inputTokens: 1_000_000, outputTokens: 1_000_000 });
    expect(cost.known).toBe(true);
    expect(cost.usd).toBeCloseTo(0.15 + 0.6, 10);
  });

  it('matches dated snapshots and -latest aliases to their base model', () => {
    expect(priceOf('openai', 'gpt-4o-mini-2024-07-18')).toEqual(priceOf('openai', 'gpt-4o-mini'));
    expect(priceOf('openai', 'gpt-4o-2024-08-06')).toEqual(priceOf('openai', 'gpt-4o'));
    expect(priceOf('anthropic', 'claude-3-5-haiku-latest')).toEqual({ input: 0.8, output: 4 });
    expect(priceOf('anthropic', 'claude-sonnet-4-20250514')).toEqual({ input: 3, output: 15 });
  });

  it('counts local and unknown models as free but flags them unknown', () => {
    expect(costOf('openai-compatible', 'llama3.2', { inputTokens: 500, outputTokens: 500 })).toEqual({ usd: 0, known: false });
    expect(costOf('openai', 'gpt-99', { inputTokens: 500, outputTokens: 500 })).toEqual({ usd: 0, known: false });
    expect(priceOf('openai', '_comment')).toBeUndefined();
    expect(priceOf('_comment', 'x')).toBeUndefined();
  });

  it('estimates a run as the sum of its planned calls, known only if every price is', () => {
    const target = { provider: 'openai', model: 'gpt-4.1-nano', calls: 1_000, avgInputTokens: 500, avgOutputTokens: 100 };
    const judge = { provider: 'anthropic', model: 'claude-3-5-haiku-latest', calls: 1_000, avgInputTokens: 800, avgOutputTokens: 50 };
    // 0.5M * 0.1 + 0.1M * 0.4 = 0.09; 0.8M * 0.8 + 0.05M * 4 = 0.84.
    const both = estimateRunCost([target, judge]);
    expect(both.usd).toBeCloseTo(0.93, 10);
    expect(both.known).toBe(true);
    expect(estimateRunCost([target, { ...judge, provider: 'openai-compatible' }]).known).toBe(false);
  });

  it('approximates tokens at four characters each and adds usages', () => {
    expect(approxTokens('')).toBe(0);
    expect(approxTokens('abcdefghi')).toBe(3);
    expect(addUsage({ inputTokens: 1, outputTokens: 2 }, { inputTokens: 3, outputTokens: 4 })).toEqual({ inputTokens: 4, outputTokens: 6 });
  });
});
