import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseOptimizeConfig } from '../../optimize/config';
import { loadDraft, saveDraft } from './draft';
import { draftSchema, type Draft } from './form-fields';
import { OptimizeForm } from './optimize-form.svelte';

const storageKey = 'remask.optimizeDraft';

/** localStorage as a page has it: strings by key. */
function fakeStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    key: (i) => [...items.keys()][i] ?? null,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
    clear: () => items.clear(),
  };
}

// Every field differs from its default, so a field the form forgets to keep fails the round trip.
const everyField: Draft = {
  prompt: 'Classify the message. Answer with one word.',
  locked: [[0, 8]],
  marked: [[22, 42]],
  traces: [{ query: 'Where is my order?', response: 'Positive.', feedback: 'It is a complaint.' }],
  dataset: { name: 'reviews.csv', text: 'text,label\nLate again,negative\nLovely,positive\n', input: 'text', expected: 'label', feedback: { '1': 'Lovely is positive.' } },
  metric: 'judge',
  regex: '^(yes|no)$',
  rubric: 'Score 1 if the label is right.',
  provider: 'anthropic',
  labels: 'yes, no',
  model: 'claude-test',
  baseURL: 'https://example.test/v1',
  steps: 12,
  schedule: 'linear',
  confidence: 'margin',
  temperature: 0.3,
  proposer: 'gpo',
  iterations: 2,
  candidates: 3,
  minibatch: 5,
  seed: 7,
  demos: 2,
  maxCalls: 50,
  maxUSD: 0.5,
};

const defaults = () => draftSchema.parse({});
const stored = (value: unknown) => localStorage.setItem(storageKey, JSON.stringify(value));

describe('the Optimize form draft', () => {
  beforeEach(() => vi.stubGlobal('localStorage', fakeStorage()));
  afterEach(() => vi.unstubAllGlobals());

  it('names a value other than the default for every field, so the round trips below cover them all', () => {
    const fallback = defaults();
    for (const key of Object.keys(draftSchema.shape) as (keyof Draft)[]) expect(everyField[key], key).not.toEqual(fallback[key]);
  });

  it('comes back in a new form with every field as it was left', () => {
    saveDraft(everyField);
    expect(new OptimizeForm().draft()).toEqual(everyField);
  });

  it('goes into a run config that fills a new form with the same run config', () => {
    saveDraft(everyField);
    const form = new OptimizeForm();
    const rows = [{ input: 'Late again', expected: 'negative' }];
    const config = form.config(rows, { model: 'tiny', quant: 'fp32' });
    expect(parseOptimizeConfig(config).search).toMatchObject({ proposer: 'gpo', demos: 2 });
    localStorage.clear();
    const fresh = new OptimizeForm();
    fresh.fill(config);
    expect(fresh.config(rows, { model: 'tiny', quant: 'fp32' })).toEqual(config);
  });

  it('gives the defaults when nothing, something unreadable or a draft of another version is stored', () => {
    expect(loadDraft()).toEqual(defaults());
    localStorage.setItem(storageKey, '{not json');
    expect(loadDraft()).toEqual(defaults());
    stored('a string');
    expect(loadDraft()).toEqual(defaults());
    stored({ ...everyField, version: 2 });
    expect(loadDraft()).toEqual(defaults());
  });

  it('drops only the fields that are missing or fail their check, and marks outside the prompt', () => {
    stored({ version: 1, prompt: 'Be brief.', locked: [[0, 99]], marked: [[0, 3]], traces: 'none', iterations: 0, proposer: 'oracle', demos: 2, schedule: 'linear' });
    const draft = loadDraft();
    expect(draft).toEqual({ ...defaults(), prompt: 'Be brief.', marked: [[0, 3]], demos: 2, schedule: 'linear' });
    expect(new OptimizeForm().draft()).toEqual(draft);
  });

  it('reads the marks of a draft saved when they were called rewrite, and saves them as marked only', () => {
    const { marked, ...old } = everyField;
    stored({ version: 1, ...old, rewrite: marked });
    expect(loadDraft()).toEqual(everyField);
    saveDraft(loadDraft());
    const saved = JSON.parse(localStorage.getItem(storageKey) ?? '{}');
    expect(saved.marked).toEqual(marked);
    expect(saved).not.toHaveProperty('rewrite');
  });

  it('takes a draft from before the local classifier, the proposer and the demos with their defaults', () => {
    const { labels, proposer, demos, ...old } = everyField;
    stored({ version: 1, ...old });
    const fallback = defaults();
    expect(loadDraft()).toEqual({ ...everyField, labels: fallback.labels, proposer: fallback.proposer, demos: fallback.demos });
  });
});
