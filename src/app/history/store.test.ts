import { describe, expect, it } from 'vitest';
import { historyFormat, historyVersion, type PlaygroundRecord } from './records';
import { exportFile, parseHistoryFile } from './store';

const record: PlaygroundRecord = { kind: 'playground', id: 'a1', title: 'The cat', createdAt: 1, updatedAt: 2, model: 'm', decodes: [] };

describe('history files', () => {
  it('reads back what it exports', () => {
    const text = JSON.stringify(exportFile([record]));
    expect(parseHistoryFile(text)).toEqual([record]);
    expect(JSON.parse(text)).toMatchObject({ format: historyFormat, version: historyVersion });
  });

  it('says why a file cannot be imported', () => {
    expect(() => parseHistoryFile('not json')).toThrow(/not JSON.*exported from Remask's History/);
    expect(() => parseHistoryFile('{"records": []}')).toThrow(/not a Remask history file/);
    const bad = { ...exportFile([]), records: [{ id: 'x' }] };
    expect(() => parseHistoryFile(JSON.stringify(bad))).toThrow(/record 1 has no id, kind or date/);
  });

  it('refuses a record that carries an API key', () => {
    const withKey = { ...exportFile([]), records: [{ ...record, apiKey: 'sk-1' }] };
    expect(() => parseHistoryFile(JSON.stringify(withKey))).toThrow(/holds an API key/);
  });
});
