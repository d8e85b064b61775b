import { describe, expect, it } from 'vitest';
import { columnsOf, formatOf, guessColumns } from './columns';
import { parseTracesJsonl } from './traces-file';

describe('dataset columns', () => {
  it('reads a CSV header and the fields of JSONL rows', () => {
    expect(columnsOf('csv', 'review,label\n"Great, really",positive\n')).toEqual(['review', 'label']);
    expect(columnsOf('jsonl', '{"q": "1+1", "a": "2"}\n\n{"q": "2+2", "a": "4", "note": "x"}')).toEqual(['q', 'a', 'note']);
  });

  it('tells the format from the file name, else from the text', () => {
    expect(formatOf('data.JSONL', '')).toBe('jsonl');
    expect(formatOf('pasted', '{"a": 1}')).toBe('jsonl');
    expect(formatOf('pasted', 'a,b')).toBe('csv');
  });

  it('guesses the input and expected columns by their usual names', () => {
    expect(guessColumns(['id', 'review', 'label'])).toEqual({ input: 'review', expected: 'label' });
    expect(guessColumns(['x', 'y'])).toEqual({ input: 'x', expected: 'y' });
  });
});

describe('traces files', () => {
  it('reads query, response and feedback, also under common other names', () => {
    expect(parseTracesJsonl('{"query": "hi", "response": "yo", "feedback": "too curt"}\n{"input": "a", "output": "b"}')).toEqual([
      { query: 'hi', response: 'yo', feedback: 'too curt' },
      { query: 'a', response: 'b' },
    ]);
  });

  it('names the line that is wrong', () => {
    expect(() => parseTracesJsonl('{"query": "hi", "response": "yo"}\n{oops')).toThrow(/line 2 is not valid JSON/);
    expect(() => parseTracesJsonl('{"query": "hi"}')).toThrow(/line 1 needs a "query" and a "response"/);
  });
});
