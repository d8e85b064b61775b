import { describe, expect, it } from 'vitest';
import type { TraceStep } from '../../model/trace-step';
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

  it('reads back a Playground session with its steps exactly: typed arrays in the page, plain arrays in the file', () => {
    const steps: TraceStep[] = [
      { step: 0, positions: Int32Array.of(5, 9), ids: Int32Array.of(10, 11), texts: [' cat', ' mat'], conf: Float32Array.of(0.9, 0.4), committed: Int32Array.of(5), remasked: Int32Array.of() },
      { step: 1, positions: Int32Array.of(9), ids: Int32Array.of(12), texts: [' rug'], conf: Float32Array.of(0.7), committed: Int32Array.of(9), remasked: Int32Array.of() },
    ];
    const result = { text: 'The cat sat on the rug.', steps: 2, nfe: 2, ms: 31 };
    const session: PlaygroundRecord = { ...record, decodes: [{ input: 'The [MASK] sat on the [MASK].', settings: { steps: 2 }, result, steps, side: 'A' }] };
    const text = JSON.stringify(exportFile([session]));
    expect(JSON.parse(text).records[0].decodes[0].steps[0]).toMatchObject({ positions: [5, 9], texts: [' cat', ' mat'], committed: [5] });
    expect(parseHistoryFile(text)).toEqual([session]);
  });

  it('reads a version 1 file, whose steps hold one object per candidate', () => {
    const candidate = (pos: number, token: string, id: number, conf: number) => ({ pos, token, id, conf });
    const steps = [{ step: 0, candidates: [candidate(5, ' cat', 10, 0.5), candidate(9, ' mat', 11, 0.25)], committed: [5, 9], remasked: [] }];
    const decode = { input: 'The [MASK] sat on the [MASK].', settings: {}, result: { text: 'The cat sat on the mat.', steps: 1, nfe: 1, ms: 9 }, steps, side: 'A' };
    const old = { format: historyFormat, version: 1, exportedAt: '2026-11-21T00:00:00.000Z', records: [{ ...record, decodes: [decode] }] };
    const [session] = parseHistoryFile(JSON.stringify(old)) as PlaygroundRecord[];
    expect(session.decodes[0].steps).toEqual([
      { step: 0, positions: Int32Array.of(5, 9), ids: Int32Array.of(10, 11), texts: [' cat', ' mat'], conf: Float32Array.of(0.5, 0.25), committed: Int32Array.of(5, 9), remasked: Int32Array.of() },
    ]);
  });

  it('says why a file cannot be imported', () => {
    expect(() => parseHistoryFile('not json')).toThrow(/not JSON.*exported from Remask's History/);
    expect(() => parseHistoryFile('{"records": []}')).toThrow(/not a Remask history file/);
    const bad = { ...exportFile([]), records: [{ id: 'x' }] };
    expect(() => parseHistoryFile(JSON.stringify(bad))).toThrow(/record 1 has no id, kind or date/);
    const unknownKind = { ...exportFile([]), records: [record, { ...record, kind: 'notes' }] };
    expect(() => parseHistoryFile(JSON.stringify(unknownKind))).toThrow(/record 2 has no id, kind or date/);
    expect(() => parseHistoryFile(JSON.stringify({ ...exportFile([]), version: 3 }))).toThrow(/version 3, this page reads versions 1 to 2/);
    const damaged = { ...exportFile([]), records: [{ ...record, decodes: [{ input: '', settings: {}, result: {}, side: 'A', steps: [{ step: 0, positions: [1] }] }] }] };
    expect(() => parseHistoryFile(JSON.stringify(damaged))).toThrow(/record 1 has a damaged decode \(decodes\.0\.steps\.0/);
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
