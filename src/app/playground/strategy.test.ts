import { describe, expect, it } from 'vitest';
import { commitRuleOf, defaultStrategies, withCommitRule } from './strategy';

describe('the commit rule of a playground strategy', () => {
  it('switches between the schedule and Fast-dLLM rules, one rule at a time, at their default values', () => {
    const schedule = defaultStrategies.A;
    expect(commitRuleOf(schedule)).toBe('schedule');
    const threshold = withCommitRule(schedule, 'threshold');
    expect(threshold).toMatchObject({ threshold: 0.9, factor: null, steps: schedule.steps });
    expect(commitRuleOf(threshold)).toBe('threshold');
    const factor = withCommitRule(threshold, 'factor');
    expect(factor).toMatchObject({ threshold: null, factor: 1 });
    expect(commitRuleOf(factor)).toBe('factor');
    expect(commitRuleOf(withCommitRule(factor, 'schedule'))).toBe('schedule');
  });

  it("starts the threshold at the model's own default where its package has one", () => {
    expect(withCommitRule(defaultStrategies.A, 'threshold', 0.1).threshold).toBe(0.1);
    expect(withCommitRule(defaultStrategies.A, 'factor', 0.1)).toMatchObject({ threshold: null, factor: 1 });
  });
});
