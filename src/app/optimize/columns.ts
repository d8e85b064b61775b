// The columns (CSV) or fields (JSONL) of a dataset file, and a first guess at which holds the input
// and which the expected answer, so a newcomer usually only checks the guess.
import Papa from 'papaparse';
import { jsonlLines } from '../../optimize/dataset';

export type DatasetFormat = 'csv' | 'jsonl';

export function formatOf(fileName: string, text: string): DatasetFormat {
  if (/\.jsonl?$/i.test(fileName)) return 'jsonl';
  if (/\.(csv|tsv)$/i.test(fileName)) return 'csv';
  return text.trimStart().startsWith('{') ? 'jsonl' : 'csv';
}

export function columnsOf(format: DatasetFormat, text: string): string[] {
  if (format === 'csv') return Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, preview: 1 }).meta.fields ?? [];
  const names = new Set<string>();
  for (const { text: line } of jsonlLines(text).slice(0, 50)) {
    try {
      const row = JSON.parse(line) as unknown;
      if (row && typeof row === 'object' && !Array.isArray(row)) Object.keys(row).forEach((k) => names.add(k));
    } catch {
      break; // the parser names the bad line when the dataset is read
    }
  }
  return [...names];
}

const inputNames = ['input', 'question', 'query', 'text', 'review', 'prompt', 'sentence'];
const expectedNames = ['expected', 'answer', 'label', 'output', 'target', 'gold'];

export function guessColumns(columns: readonly string[]): { input: string; expected: string } {
  const find = (names: string[]) => columns.find((c) => names.includes(c.toLowerCase()));
  const input = find(inputNames) ?? columns[0] ?? '';
  const expected = find(expectedNames) ?? columns.find((c) => c !== input) ?? '';
  return { input, expected };
}
