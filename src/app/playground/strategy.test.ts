import { describe, expect, it } from 'vitest';
import { commitRuleOf, decodeSettings, defaultStrategies, stepsNote, strategyTitle, withCommitRule } from './strategy';

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

describe('what the Playground says about a strategy', () => {
  it('titles a side by the rule that decided each step', () => {
    expect(strategyTitle(defaultStrategies.B)).toBe('Random order, linear (same number each step)');
    expect(strategyTitle({ ...defaultStrategies.A, threshold: 0.1, keepApart: true })).toBe('Most probable first (low-confidence remasking), threshold 0.1, neighbours apart');
    expect(strategyTitle({ ...defaultStrategies.A, factor: 2 })).toBe('Most probable first (low-confidence remasking), factor 2');
    expect(strategyTitle({ ...defaultStrategies.A, avoidRepeats: true })).toBe('Most probable first (low-confidence remasking), linear (same number each step), no repeats');
  });

  it('explains fewer steps than asked only when the masks capped them', () => {
    const eight = { ...defaultStrategies.A, steps: 8 };
    expect(stepsNote(eight, 2, 2)).toBe('8 steps asked, 2 masks: 2 steps, as each step writes at least one token.');
    expect(stepsNote(eight, 1, 1)).toBe('8 steps asked, 1 mask: 1 step, as each step writes at least one token.');
    expect(stepsNote(eight, 10, 7)).toBeNull(); // a schedule's zero-quota step, not the cap
    expect(stepsNote(eight, 8, 8)).toBeNull();
    expect(stepsNote({ ...eight, threshold: 0.5 }, 2, 1)).toBeNull();
  });
});

describe('the settings a strategy decodes with', () => {
  it('drops Keep neighbours apart once the Threshold field is cleared, so the schedule decodes again', () => {
    const cleared = { ...defaultStrategies.A, threshold: null, keepApart: true };
    expect(commitRuleOf(cleared)).toBe('schedule');
    expect(decodeSettings(cleared).keepApart).toBe(false);
    expect(decodeSettings({ ...cleared, threshold: 0.3 }).keepApart).toBe(true);
  });
});
