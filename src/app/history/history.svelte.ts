// History's list, read from IndexedDB, and the actions on it: delete, export, import, compare.
import { createContext } from 'svelte';
import { describeError } from '../shared/describe-error';
import type { HistoryRecord } from './records';
import { deleteRecord, exportFile, importRecords, listRecords, parseHistoryFile } from './store';

export class HistoryState {
  #records = $state.raw<HistoryRecord[]>([]);
  #error = $state<string | null>(null);
  #notice = $state<string | null>(null);
  /** Ids of the (at most two) runs picked for comparison. */
  #picked = $state.raw<string[]>([]);

  get records() {
    return this.#records;
  }
  get error() {
    return this.#error;
  }
  get notice() {
    return this.#notice;
  }
  get picked() {
    return this.#picked;
  }

  async refresh(): Promise<HistoryRecord[]> {
    try {
      this.#records = await listRecords();
    } catch (error) {
      this.#error = `History cannot be read (${describeError(error)}) Private windows may block IndexedDB.`;
    }
    return this.#records;
  }

  async remove(id: string): Promise<void> {
    await deleteRecord(id);
    this.#picked = this.#picked.filter((p) => p !== id);
    this.#notice = 'Deleted.';
    await this.refresh();
  }

  togglePick(id: string): void {
    this.#picked = this.#picked.includes(id) ? this.#picked.filter((p) => p !== id) : [...this.#picked, id].slice(-2);
  }

  /** The JSON text of an export: every record, or the given ones. Records hold no API keys. */
  exportText(ids?: string[]): string {
    const records = ids ? this.#records.filter((r) => ids.includes(r.id)) : this.#records;
    return JSON.stringify(exportFile(records), null, 2);
  }

  async import(text: string): Promise<void> {
    this.#error = null;
    try {
      const records = parseHistoryFile(text);
      await importRecords(records);
      this.#notice = `Imported ${records.length} ${records.length === 1 ? 'entry' : 'entries'}.`;
      await this.refresh();
    } catch (error) {
      this.#error = describeError(error);
    }
  }
}

export const [getHistory, setHistory] = createContext<HistoryState>();
