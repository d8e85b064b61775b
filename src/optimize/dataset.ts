// Task examples the optimizer scores prompts on, from JSONL text, CSV text or inline rows. Pure string
// in, examples out, so the browser (file picker, pasted text) and the CLI share it; reading files from
// disk lives in dataset-file.ts.
import Papa from 'papaparse';
import { RemaskError } from '../core/errors';

export interface Example {
  input: string;
  expected: string;
  /** The row's part (train, validation or test) where the dataset names a split column. */
  split?: string;
}

/** The dataset cannot be read as examples; the message names the line or row and what to change. */
export class DatasetError extends RemaskError {
  constructor(message: string) {
    super('dataset', message);
    this.name = 'DatasetError';
  }
}

/** A field as text: numbers and booleans as written, objects as JSON; undefined when missing or null. */
function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function field(record: Record<string, unknown>, name: string, where: string): string {
  const value = textOf(record[name]);
  if (value === undefined) {
    const has = Object.keys(record);
    const listing = has.length > 0 ? `its fields are ${has.map((k) => `"${k}"`).join(', ')}` : 'it has no fields';
    throw new DatasetError(`${where} has no field "${name}" (${listing}): name the fields your rows use, or fix the row.`);
  }
  return value;
}

function nonEmpty(examples: Example[]): Example[] {
  if (examples.length === 0) throw new DatasetError('The dataset has no examples: add at least one row.');
  return examples;
}

const stripBom = (text: string): string => text.replace(/^\uFEFF/, '');

/** The non-blank lines of a JSONL text (a byte-order mark dropped), numbered from 1 as an editor numbers them. */
export function jsonlLines(text: string): Array<{ line: number; text: string }> {
  return stripBom(text)
    .split(/\r?\n/)
    .flatMap((line, i) => (line.trim() === '' ? [] : [{ line: i + 1, text: line }]));
}

/**
 * Every line of a JSONL text as a JSON object; `what` names the file in errors ("dataset", "Traces") and
 * `shape` shows a line as it should be, so an error says the line and what to write.
 */
export function jsonlObjects(text: string, what: string, shape: string): Array<{ line: number; record: Record<string, unknown> }> {
  return jsonlLines(text).map(({ line, text: raw }) => {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new DatasetError(`${what} line ${line} is not valid JSON (${(error as Error).message}): each line must be one JSON object.`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new DatasetError(`${what} line ${line} is not an object with named fields: write it as ${shape}.`);
    }
    return { line, record: value as Record<string, unknown> };
  });
}

/**
 * Rows given directly (a config file, the UI's table). `where` names a row in errors; rows count from 1.
 */
export function parseRows(
  rows: readonly unknown[],
  inputField: string,
  expectedField: string,
  where: (index: number) => string = (i) => `dataset row ${i + 1}`,
  splitField?: string,
): Example[] {
  return nonEmpty(
    rows.map((row, i) => {
      if (typeof row !== 'object' || row === null || Array.isArray(row)) {
        throw new DatasetError(`${where(i)} is not an object with named fields: write it as {"${inputField}": ..., "${expectedField}": ...}.`);
      }
      const record = row as Record<string, unknown>;
      const example: Example = { input: field(record, inputField, where(i)), expected: field(record, expectedField, where(i)) };
      if (splitField !== undefined) example.split = field(record, splitField, where(i));
      return example;
    }),
  );
}

/** One JSON object per line; blank lines are skipped but still counted, so line numbers match an editor's. */
export function parseJsonl(text: string, inputField: string, expectedField: string, splitField?: string): Example[] {
  const rows = jsonlObjects(text, 'dataset', `{"${inputField}": ..., "${expectedField}": ...}`);
  return parseRows(
    rows.map((r) => r.record),
    inputField,
    expectedField,
    (i) => `dataset line ${rows[i].line}`,
    splitField,
  );
}

/**
 * CSV (or TSV: the delimiter is detected) with a header row, parsed by papaparse so quoted fields,
 * embedded commas and newlines work. Rows are numbered from 1 after the header.
 */
export function parseCsv(text: string, inputField: string, expectedField: string, splitField?: string): Example[] {
  const csv = stripBom(text);
  const result = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: 'greedy' });
  const columns = result.meta.fields ?? [];
  for (const name of splitField === undefined ? [inputField, expectedField] : [inputField, expectedField, splitField]) {
    if (!columns.includes(name)) {
      throw new DatasetError(
        `The CSV header has no column "${name}" (its columns are ${columns.map((c) => `"${c}"`).join(', ')}): name the columns your file uses.`,
      );
    }
  }
  // Only broken quoting is fatal: a short row shows up as a missing field below, with its row number, and a
  // one-column file makes papaparse warn that it could not guess the delimiter.
  const broken = result.errors.find((e) => e.type === 'Quotes');
  if (broken) {
    // A quoting error may span lines, so name the line where papaparse noticed it, as an editor counts.
    const line = csv.slice(0, broken.index).split('\n').length;
    throw new DatasetError(`dataset line ${line}: ${broken.message}: close the quoted field, or double the quote ("") inside it.`);
  }
  return parseRows(result.data, inputField, expectedField, (i) => `dataset row ${i + 1} (after the header)`, splitField);
}
