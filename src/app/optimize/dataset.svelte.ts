// The task examples of an optimize run: a CSV or JSONL file (uploaded or pasted), the columns picked
// for input and expected answer, and the examples read with them (or what is wrong with the file); and
// the user's feedback on a run's answers to its rows, which a new file starts without.
import { parseCsv, parseJsonl, type Example } from '../../optimize/dataset';
import { describeError } from '../shared/describe-error';
import { columnsOf, formatOf, guessColumns, type DatasetFormat } from './columns';

export class DatasetState {
  #name = $state('');
  #text = $state('');
  #format = $state<DatasetFormat>('csv');
  #columns = $state.raw<string[]>([]);
  input = $state('');
  expected = $state('');
  /** The user's words on the answer to a row, by row index (config.feedback). */
  feedback = $state<Record<string, string>>({});

  get name() {
    return this.#name;
  }
  get text() {
    return this.#text;
  }
  get format() {
    return this.#format;
  }
  get columns() {
    return this.#columns;
  }

  /** The examples, or the reason there are none. */
  readonly parsed = $derived.by((): { examples: Example[]; error: string | null } => {
    if (!this.#text.trim()) return { examples: [], error: null };
    try {
      const parse = this.#format === 'csv' ? parseCsv : parseJsonl;
      return { examples: parse(this.#text, this.input, this.expected), error: null };
    } catch (error) {
      return { examples: [], error: describeError(error) };
    }
  });

  set(name: string, text: string): void {
    this.#name = name;
    this.#text = text;
    this.#format = formatOf(name, text);
    this.feedback = {};
    this.#columns = columnsOf(this.#format, text);
    const guess = guessColumns(this.#columns);
    if (!this.#columns.includes(this.input)) this.input = guess.input;
    if (!this.#columns.includes(this.expected)) this.expected = guess.expected;
  }

  /** Examples kept by a saved run, shown as a JSONL dataset. */
  setExamples(name: string, examples: readonly Example[]): void {
    this.input = 'input';
    this.expected = 'expected';
    this.set(name, examples.map((e) => JSON.stringify({ input: e.input, expected: e.expected })).join('\n'));
  }

  clear(): void {
    this.#name = '';
    this.#text = '';
    this.#columns = [];
    this.feedback = {};
  }

  /** The feedback that is not blank, on rows below `rows`, as config.feedback takes it. */
  feedbackOn(rows: number): Record<string, string> {
    return Object.fromEntries(Object.entries(this.feedback).filter(([row, text]) => Number(row) < rows && text.trim() !== ''));
  }
}
