// Traces from a JSONL file: one {"query", "response", "feedback"} object a line (input/output and
// prompt/completion are read as query/response too, since logs often use those names).
import { DatasetError } from '../../optimize/dataset';
import type { Trace } from '../../optimize/layout';

const queryNames = ['query', 'input', 'prompt', 'question', 'user'];
const responseNames = ['response', 'output', 'completion', 'answer', 'assistant'];

function pick(record: Record<string, unknown>, names: string[]): string | undefined {
  const name = names.find((n) => record[n] !== undefined && record[n] !== null);
  return name === undefined ? undefined : String(record[name]);
}

export function parseTracesJsonl(text: string): Trace[] {
  const traces: Trace[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (line.trim() === '') return;
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch (error) {
        throw new DatasetError(`Traces line ${i + 1} is not valid JSON (${(error as Error).message}): each line must be one JSON object.`);
      }
      if (typeof record !== 'object' || record === null || Array.isArray(record)) {
        throw new DatasetError(`Traces line ${i + 1} is not a JSON object: write it as {"query": ..., "response": ..., "feedback": ...}.`);
      }
      const query = pick(record, queryNames);
      const response = pick(record, responseNames);
      if (query === undefined || response === undefined) {
        throw new DatasetError(`Traces line ${i + 1} needs a "query" and a "response" field (it has ${Object.keys(record).join(', ') || 'none'}).`);
      }
      const feedback = record.feedback === undefined || record.feedback === null ? undefined : String(record.feedback);
      traces.push({ query, response, ...(feedback ? { feedback } : {}) });
    });
  if (traces.length === 0) throw new DatasetError('The traces file has no traces: add one JSON object a line.');
  return traces;
}
