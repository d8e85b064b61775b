// The answers a run's best prompt gave on train rows: the rows whose traces the proposers read, so the
// only answers where the user's feedback reaches a later iteration (config.feedback). Worst first, as the
// DLM reads them, since they say what to fix.
import type { Example } from '../../optimize/dataset';
import type { OptimizeResult } from '../../optimize/result';

export interface RowAnswer {
  row: number;
  input: string;
  expected: string;
  response: string;
  score: number;
}

export function trainAnswers(result: OptimizeResult): RowAnswer[] {
  const rows = 'rows' in result.config.dataset ? result.config.dataset.rows : [];
  const prompt = result.answers.prompts.indexOf(result.best.prompt);
  const train = new Set(result.split.train);
  return result.answers.answers
    .filter((a) => a.prompt === prompt && train.has(a.row) && a.row < rows.length)
    .map((a) => ({ row: a.row, input: rows[a.row].input, expected: rows[a.row].expected, response: a.response, score: a.score }))
    .sort((a, b) => a.score - b.score || a.row - b.row);
}

/** Whether two datasets hold the same rows in the same order: feedback by row index means the same row in both. */
export function sameRows(a: readonly Example[], b: readonly Example[]): boolean {
  return a.length === b.length && a.every((e, i) => e.input === b[i].input && e.expected === b[i].expected);
}
