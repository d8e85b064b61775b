// History's records in IndexedDB (through idb), one store keyed by id. Runs are written at every
// checkpoint, so what a reload cuts off is still there to resume.
import { openDB, type IDBPDatabase } from 'idb';
import { z } from 'zod';
import { RemaskError } from '../../core/errors';
import { renameRewriteToMarked } from '../../optimize/config';
import { historyFormat, historyVersion, recordKinds, type HistoryFile, type HistoryRecord } from './records';

const databaseName = 'remask-history';
let database: Promise<IDBPDatabase> | undefined;

function open(): Promise<IDBPDatabase> {
  database ??= openDB(databaseName, 1, {
    upgrade(db) {
      db.createObjectStore('records', { keyPath: 'id' });
    },
  });
  return database;
}

export async function saveRecord(record: HistoryRecord): Promise<void> {
  // $state proxies cannot be cloned into IndexedDB: store a plain copy.
  await (await open()).put('records', JSON.parse(JSON.stringify(record)));
}

/** A run saved before the marked ranges had one name holds them as config.rewrite: it is read as config.marked. */
function withMarked(record: HistoryRecord): HistoryRecord {
  return record.kind === 'optimize' ? { ...record, config: renameRewriteToMarked(record.config) } : record;
}

/** Every record, newest first. */
export async function listRecords(): Promise<HistoryRecord[]> {
  const all = (await (await open()).getAll('records')) as HistoryRecord[];
  return all.map(withMarked).sort((a, b) => b.updatedAt - a.updatedAt);
}

export async function deleteRecord(id: string): Promise<void> {
  await (await open()).delete('records', id);
}

export function exportFile(records: HistoryRecord[]): HistoryFile {
  return { format: historyFormat, version: historyVersion, exportedAt: new Date().toISOString(), records };
}

export class HistoryFileError extends RemaskError {
  constructor(problem: string) {
    super('history-file', `This file cannot be imported: ${problem}. Choose a file exported from Remask's History.`);
    this.name = 'HistoryFileError';
  }
}

/**
 * What an importable file must be: ours, of this version, each record with its id, kind and date, and
 * none with an API key (the History never stores one, so a file that has one was made elsewhere). A
 * record's body is the page's own, written by exportFile: it is not checked field by field.
 */
const historyFileSchema = z.object({
  format: z.literal(historyFormat),
  version: z.unknown(),
  records: z.array(z.unknown()),
});
const recordSchema = z.looseObject({ id: z.string(), kind: z.enum(recordKinds), updatedAt: z.number() });

/** Checks an imported file's shape and returns its records; existing ids are replaced on import. */
export function parseHistoryFile(text: string): HistoryRecord[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HistoryFileError('it is not JSON');
  }
  const file = historyFileSchema.safeParse(value);
  if (!file.success) throw new HistoryFileError('it is not a Remask history file');
  if (file.data.version !== historyVersion) throw new HistoryFileError(`it has version ${String(file.data.version)}, this page reads ${historyVersion}`);
  return file.data.records.map((record, i) => {
    const checked = recordSchema.safeParse(record);
    if (!checked.success) throw new HistoryFileError(`record ${i + 1} has no id, kind or date`);
    if ('apiKey' in checked.data) throw new HistoryFileError(`record ${i + 1} holds an API key`);
    return withMarked(record as HistoryRecord);
  });
}

export async function importRecords(records: HistoryRecord[]): Promise<void> {
  // Imported runs never continue by themselves: one that was running when exported is "interrupted".
  for (const record of records) {
    await saveRecord(record.kind === 'optimize' && record.status === 'running' ? { ...record, status: 'interrupted' } : record);
  }
}
