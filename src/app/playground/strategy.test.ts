import { describe, expect, it } from 'vitest';
import { commitRuleOf, defaultStrategies, withCommitRule } from './strategy';

describe('the commit rule of a playground strategy', () => {
  it('switches between the schedule and Fast-dLLM rules, one rule at a time, at their default values', () => {
    const schedule = defaultStrategies.A;
    expect(commitRuleOf(schedule)).toBe('schedule');
    const threshold = withCommitRule(schedule, 'threshold');
    expect(threshold).toMatchObject({ threshold: 0.9, factor: null, keepApart: false, steps: schedule.steps });
    expect(commitRuleOf(threshold)).toBe('threshold');
    const factor = withCommitRule(threshold, 'factor');
    expect(factor).toMatchObject({ threshold: null, factor: 1 });
    expect(commitRuleOf(factor)).toBe('factor');
    expect(commitRuleOf(withCommitRule(factor, 'schedule'))).toBe('schedule');
  });

  it("starts from the model package's own decoding where it has one", () => {
    const model = { threshold: 0.1, keepApart: true };
    const threshold = withCommitRule(defaultStrategies.A, 'threshold', model);
    expect(threshold).toMatchObject({ threshold: 0.1, keepApart: true });
    expect(withCommitRule(threshold, 'factor', model)).toMatchObject({ threshold: null, factor: 1, keepApart: true });
    // The schedule has a quota per step, so it never keeps neighbours apart.
    expect(withCommitRule(threshold, 'schedule', model)).toMatchObject({ threshold: null, factor: null, keepApart: false });
  });
});
