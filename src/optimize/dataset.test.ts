import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError, parseCsv, parseJsonl, parseRows } from './dataset';
import { loadDatasetFile } from './dataset-file';

describe('parseJsonl', () => {
  it('reads one example per line and skips blank lines', () => {
    const text = '{"q": "2+2?", "a": "4"}\n\n{"q": "3+3?", "a": 6}\r\n';
    expect(parseJsonl(text, 'q', 'a')).toEqual([
      { input: '2+2?', expected: '4' },
      { input: '3+3?', expected: '6' },
    ]);
  });

  it('names the editor line and the fields the row has when a field is missing', () => {
    const text = '{"q": "a", "a": "b"}\n\n{"q": "c", "answer": "d"}';
    expect(() => parseJsonl(text, 'q', 'a')).toThrow(DatasetError);
    expect(() => parseJsonl(text, 'q', 'a')).toThrow(
      'dataset line 3 has no field "a" (its fields are "q", "answer"): name the fields your rows use, or fix the row.',
    );
  });

  it('names the line that is not JSON or not an object', () => {
    expect(() => parseJsonl('{"q": "a", "a": "b"}\n{"q": ', 'q', 'a')).toThrow(/^dataset line 2 is not valid JSON/);
    expect(() => parseJsonl('["a", "b"]', 'q', 'a')).toThrow(/^dataset line 1 is not an object/);
  });

  it('writes objects as JSON, and treats null as missing', () => {
    expect(parseJsonl('{"q": {"x": 1}, "a": true}', 'q', 'a')).toEqual([{ input: '{"x":1}', expected: 'true' }]);
    expect(() => parseJsonl('{"q": null, "a": "b"}', 'q', 'a')).toThrow(/line 1 has no field "q"/);
  });

  it('refuses an empty dataset', () => {
    expect(() => parseJsonl('\n\n', 'q', 'a')).toThrow('The dataset has no examples: add at least one row.');
  });
});

describe('parseCsv', () => {
  it('reads a header and rows, with quoted commas, quotes and newlines', () => {
    const text = '\uFEFFquestion,answer\n"Name two colours, please","red, ""blue"""\n"line one\nline two",2\n\n';
    expect(parseCsv(text, 'question', 'answer')).toEqual([
      { input: 'Name two colours, please', expected: 'red, "blue"' },
      { input: 'line one\nline two', expected: '2' },
    ]);
  });

  it('detects tabs as the delimiter', () => {
    expect(parseCsv('q\ta\nx\ty\n', 'q', 'a')).toEqual([{ input: 'x', expected: 'y' }]);
  });

  it('names the missing column and the columns the header has', () => {
    expect(() => parseCsv('question,solution\nx,y\n', 'question', 'answer')).toThrow(
      'The CSV header has no column "answer" (its columns are "question", "solution"): name the columns your file uses.',
    );
  });

  it('names the row that is short of a field', () => {
    expect(() => parseCsv('q,a\nx,y\nz\n', 'q', 'a')).toThrow(/^dataset row 2 \(after the header\) has no field "a"/);
  });

  it('reports broken quoting with the line an editor shows', () => {
    expect(() => parseCsv('q,a\nx,"unclosed\n', 'q', 'a')).toThrow(/^dataset line 2: Quoted field unterminated: close the quoted field/);
    expect(() => parseCsv('q,a\nx,y\n"two\nlines",z\nk,"bad" x\n', 'q', 'a')).toThrow(/^dataset line 5: /);
  });
});

describe('parseRows', () => {
  it('takes inline rows and names a bad row by its number', () => {
    expect(parseRows([{ in: 'a', out: 'b' }], 'in', 'out')).toEqual([{ input: 'a', expected: 'b' }]);
    expect(() => parseRows([{ in: 'a', out: 'b' }, { in: 'c' }], 'in', 'out')).toThrow(/^dataset row 2 has no field "out"/);
    expect(() => parseRows(['just text'], 'in', 'out')).toThrow(/^dataset row 1 is not an object/);
  });
});

describe('loadDatasetFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'remask-dataset-'));
    await writeFile(join(dir, 'train.jsonl'), '{"q": "a", "a": "b"}\n');
    await writeFile(join(dir, 'train.CSV'), 'q,a\nc,d\n');
    await writeFile(join(dir, 'bad.jsonl'), '{"q": "a"}\n');
    await writeFile(join(dir, 'notes.txt'), 'hello');
    await mkdir(join(dir, 'folder.jsonl'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('chooses the parser by extension', async () => {
    expect(await loadDatasetFile(join(dir, 'train.jsonl'), 'q', 'a')).toEqual([{ input: 'a', expected: 'b' }]);
    expect(await loadDatasetFile(join(dir, 'train.CSV'), 'q', 'a')).toEqual([{ input: 'c', expected: 'd' }]);
  });

  it('says what to do about a missing file, a folder or an unknown extension', async () => {
    await expect(loadDatasetFile(join(dir, 'nope.jsonl'), 'q', 'a')).rejects.toThrow(/nope\.jsonl does not exist: check the path/);
    await expect(loadDatasetFile(join(dir, 'folder.jsonl'), 'q', 'a')).rejects.toThrow(/is a folder/);
    await expect(loadDatasetFile(join(dir, 'notes.txt'), 'q', 'a')).rejects.toThrow(/has the extension \.txt: use a \.jsonl file/);
  });

  it('prefixes parse errors with the file path', async () => {
    await expect(loadDatasetFile(join(dir, 'bad.jsonl'), 'q', 'a')).rejects.toThrow(/bad\.jsonl: dataset line 1 has no field "a"/);
  });
});
