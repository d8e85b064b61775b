// History's list, read from IndexedDB, and the actions on it: delete, export, import, compare.
import { createContext } from 'svelte';
import { describeError } from '../shared/describe-error';
import type { HistoryRecord } from './records';
import { deleteRecord, exportFile, importRecords, listRecords, parseHistoryFile, saveRecord } from './store';

export class HistoryState {
  #records = $state.raw<HistoryRecord[]>([]);
  #error = $state<string | null>(null);
  #notice = $state<string | null>(null);
  /** The record deleted last, until Undo puts it back or another action replaces the notice. */
  #deleted = $state.raw<HistoryRecord | null>(null);
  /** Ids of the (at most two) runs picked for comparison. */
  #picked = $state.raw<string[]>([]);

  get records() {
    return this.#records;
  }
  get error() {
    return this.#error;
  }
  get deleted() {
    return this.#deleted;
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

  /** Deletes at once, and offers Undo: a confirmation dialog would be one more click every time. */
  async remove(id: string): Promise<void> {
    const record = this.#records.find((r) => r.id === id) ?? null;
    await deleteRecord(id);
    this.#picked = this.#picked.filter((p) => p !== id);
    this.#deleted = record;
    this.#notice = record ? `Deleted "${record.title}".` : 'Deleted.';
    await this.refresh();
  }

  async undoDelete(): Promise<void> {
    const record = this.#deleted;
    if (!record) return;
    await saveRecord(record);
    this.#deleted = null;
    this.#notice = `Restored "${record.title}".`;
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
      // Entries already here (the same id) are kept as they are: an import adds, it never overwrites.
      const known = new Set(this.#records.map((r) => r.id));
      const added = records.filter((r) => !known.has(r.id));
      await importRecords(added);
      const entries = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`;
      const already = records.length - added.length;
      this.#deleted = null;
      this.#notice =
        added.length === 0
          ? `Nothing new: all ${entries(records.length)} of that file are already here.`
          : `Imported ${entries(added.length)}${already > 0 ? `; ${already} ${already === 1 ? 'was' : 'were'} already here` : ''}.`;
      await this.refresh();
    } catch (error) {
      this.#error = describeError(error);
    }
  }
}

export const [getHistory, setHistory] = createContext<HistoryState>();
