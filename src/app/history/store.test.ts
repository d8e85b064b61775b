import { describe, expect, it } from 'vitest';
import { historyFormat, historyVersion, type PlaygroundRecord, type SuggestRecord } from './records';
import { exportFile, parseHistoryFile } from './store';

const record: PlaygroundRecord = { kind: 'playground', id: 'a1', title: 'The cat', createdAt: 1, updatedAt: 2, model: 'm', decodes: [] };
const suggestion: SuggestRecord = {
  kind: 'suggest',
  id: 'b2',
  title: 'Classify the review',
  createdAt: 3,
  updatedAt: 4,
  model: 'm',
  request: { prompt: 'Classify the review.', locked: [], marked: [], traces: [{ query: 'q', response: 'r', feedback: 'f' }], candidates: 1, editFraction: 0.3, decoding: {}, seed: 1 },
  rewrites: [{ prompt: { text: 'Label the review.', locked: [], marked: [] }, maskedSpans: [[0, 8]], strategy: 'random' }],
};

describe('history files', () => {
  it('reads back what it exports', () => {
    const text = JSON.stringify(exportFile([record, suggestion]));
    expect(parseHistoryFile(text)).toEqual([record, suggestion]);
    expect(JSON.parse(text)).toMatchObject({ format: historyFormat, version: historyVersion });
  });

  it('says why a file cannot be imported', () => {
    expect(() => parseHistoryFile('not json')).toThrow(/not JSON.*exported from Remask's History/);
    expect(() => parseHistoryFile('{"records": []}')).toThrow(/not a Remask history file/);
    const bad = { ...exportFile([]), records: [{ id: 'x' }] };
    expect(() => parseHistoryFile(JSON.stringify(bad))).toThrow(/record 1 has no id, kind or date/);
    const unknownKind = { ...exportFile([]), records: [record, { ...record, kind: 'notes' }] };
    expect(() => parseHistoryFile(JSON.stringify(unknownKind))).toThrow(/record 2 has no id, kind or date/);
  });

  it('reads a run saved when its marked ranges were config.rewrite as config.marked', () => {
    const config = { prompt: 'Classify the review.', locked: [], dataset: { rows: [] }, metric: 'exact', target: { provider: 'openai-compatible', model: 'm' } };
    const run = { kind: 'optimize', id: 'c3', title: 'Classify', createdAt: 5, updatedAt: 6, status: 'finished', model: 'm', initial: null, result: null, live: [], error: null };
    const old = { ...exportFile([]), records: [{ ...run, config: { ...config, rewrite: [[0, 8]] } }] };
    expect(parseHistoryFile(JSON.stringify(old))).toEqual([{ ...run, config: { ...config, marked: [[0, 8]] } }]);
  });

  it('refuses a record that carries an API key', () => {
    const withKey = { ...exportFile([]), records: [{ ...record, apiKey: 'sk-1' }] };
    expect(() => parseHistoryFile(JSON.stringify(withKey))).toThrow(/holds an API key/);
  });
});
