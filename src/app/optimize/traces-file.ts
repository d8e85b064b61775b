// Traces from a JSONL file: one {"query", "response", "feedback"} object a line (input/output and
// prompt/completion are read as query/response too, since logs often use those names).
import { DatasetError, jsonlObjects } from '../../optimize/dataset';
import type { Trace } from '../../optimize/layout';

const queryNames = ['query', 'input', 'prompt', 'question', 'user'];
const responseNames = ['response', 'output', 'completion', 'answer', 'assistant'];

function pick(record: Record<string, unknown>, names: string[]): string | undefined {
  const name = names.find((n) => record[n] !== undefined && record[n] !== null);
  return name === undefined ? undefined : String(record[name]);
}

export function parseTracesJsonl(text: string): Trace[] {
  const traces = jsonlObjects(text, 'Traces', '{"query": ..., "response": ..., "feedback": ...}').map(({ line, record }) => {
    const query = pick(record, queryNames);
    const response = pick(record, responseNames);
    if (query === undefined || response === undefined) {
      throw new DatasetError(`Traces line ${line} needs a "query" and a "response" field (it has ${Object.keys(record).join(', ') || 'none'}).`);
    }
    const feedback = record.feedback === undefined || record.feedback === null ? undefined : String(record.feedback);
    return { query, response, ...(feedback ? { feedback } : {}) };
  });
  if (traces.length === 0) throw new DatasetError('The traces file has no traces: add one JSON object a line.');
  return traces;
}
