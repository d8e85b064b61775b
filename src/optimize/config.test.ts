// The run config's schema reads configs saved before the marked ranges had one name: `rewrite` then,
// `marked` now. It writes only the new name.
import { describe, expect, it } from 'vitest';
import { ConfigError, optimizeConfigSchema, parseOptimizeConfig, renameRewriteToMarked } from './config';

const config = { prompt: 'Classify the review.', dataset: { rows: [{ input: 'Great.', expected: 'positive' }] }, metric: 'exact', target: { provider: 'openai-compatible', model: 'm' } } as const;

describe('the marked ranges of a run config', () => {
  it('are read from the old key rewrite, and come back under marked only', () => {
    const parsed = parseOptimizeConfig({ ...config, rewrite: [[0, 8]] });
    expect(parsed.marked).toEqual([[0, 8]]);
    expect(parsed).not.toHaveProperty('rewrite');
    expect(optimizeConfigSchema.parse({ ...config, rewrite: [[0, 8]] })).toEqual(parseOptimizeConfig({ ...config, marked: [[0, 8]] }));
  });

  it('are checked against the prompt under their new name, whichever key held them', () => {
    expect(() => parseOptimizeConfig({ ...config, rewrite: [[0, 99]] })).toThrow(/^config\.marked\[0\] = \[0, 99\]/);
    expect(() => parseOptimizeConfig({ ...config, rewrite: [[0, 99]] })).toThrow(ConfigError);
  });

  it('may not come under both keys: the old one is then an unknown field', () => {
    expect(() => parseOptimizeConfig({ ...config, marked: [[0, 8]], rewrite: [[9, 12]] })).toThrow('Unknown field config.rewrite');
  });

  it('keep their place among the keys when renamed, so a resumed run compares the same JSON', () => {
    expect(Object.keys(renameRewriteToMarked({ prompt: 'p', locked: [], rewrite: [], dataset: {} }))).toEqual(['prompt', 'locked', 'marked', 'dataset']);
    const current = { prompt: 'p', marked: [] };
    expect(renameRewriteToMarked(current)).toBe(current);
    expect(renameRewriteToMarked(null)).toBe(null);
  });
});
