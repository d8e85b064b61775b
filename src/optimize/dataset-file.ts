// Node only (the CLI): reads a dataset file from disk and parses it by its extension. The browser reads
// files with a picker and calls parseJsonl / parseCsv directly, so nothing else in src/ imports node:fs.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { DatasetError, parseCsv, parseJsonl, type Example } from './dataset';

const parsers: Record<string, typeof parseJsonl> = { '.jsonl': parseJsonl, '.csv': parseCsv, '.tsv': parseCsv };

export async function loadDatasetFile(path: string, inputField: string, expectedField: string, splitField?: string): Promise<Example[]> {
  const extension = extname(path).toLowerCase();
  const parse = parsers[extension];
  if (!parse) {
    throw new DatasetError(
      `Dataset file ${path} has ${extension ? `the extension ${extension}` : 'no extension'}: use a .jsonl file (one JSON object a line) or a .csv file with a header row.`,
    );
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') throw new DatasetError(`Dataset file ${path} does not exist: check the path.`);
    if (code === 'EISDIR') throw new DatasetError(`Dataset file ${path} is a folder: give the path of a .jsonl or .csv file.`);
    throw new DatasetError(`Dataset file ${path} could not be read (${code ?? (error as Error).message}): check its permissions.`);
  }
  try {
    return parse(text, inputField, expectedField, splitField);
  } catch (error) {
    // Say which file, since the CLI may load more than one (train and validation sets).
    if (error instanceof DatasetError) throw new DatasetError(`${path}: ${error.message}`);
    throw error;
  }
}
