// History's records in IndexedDB (through idb), one store keyed by id. Runs are written at every
// checkpoint, so what a reload cuts off is still there to resume.
import { openDB, type IDBPDatabase } from 'idb';
import { z } from 'zod';
import { RemaskError } from '../../core/errors';
import type { TraceStep } from '../../model/trace-step';
import { renameRewriteToMarked } from '../../optimize/config';
import { historyFormat, historyVersion, recordKinds, type FileRecord, type HistoryFile, type HistoryRecord, type PlaygroundRecord } from './records';
import { fileStepSchema, stepFromJson, stepToJson, storedStep, type LegacyStep } from './steps';

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

/** A Playground session with each decode's steps mapped by `f`. */
function mapSteps<From, To>(record: PlaygroundRecord<From>, f: (step: From) => To): PlaygroundRecord<To> {
  return { ...record, decodes: record.decodes.map((decode) => ({ ...decode, steps: decode.steps.map(f) })) };
}

/** The record as a file holds it: JSON has no typed arrays. */
function toFileRecord(record: HistoryRecord): FileRecord {
  return record.kind === 'playground' ? mapSteps(record, stepToJson) : record;
}

export async function saveRecord(record: HistoryRecord): Promise<void> {
  // $state proxies cannot be cloned into IndexedDB: store a plain copy, made through JSON as a file is,
  // with the steps' typed arrays back (structured clone keeps them).
  const plain = JSON.parse(JSON.stringify(toFileRecord(record))) as FileRecord;
  await (await open()).put('records', plain.kind === 'playground' ? mapSteps(plain, stepFromJson) : plain);
}

/**
 * A record as the page reads it. A run saved before the marked ranges had one name holds them as
 * config.rewrite: it is read as config.marked. A session saved before steps were typed arrays holds
 * one object per candidate: its steps are converted.
 */
function readRecord(record: HistoryRecord | PlaygroundRecord<LegacyStep>): HistoryRecord {
  if (record.kind === 'optimize') return { ...record, config: renameRewriteToMarked(record.config) };
  if (record.kind === 'playground') return mapSteps<TraceStep | LegacyStep, TraceStep>(record, storedStep);
  return record;
}

/** Every record, newest first. */
export async function listRecords(): Promise<HistoryRecord[]> {
  const all = (await (await open()).getAll('records')) as (HistoryRecord | PlaygroundRecord<LegacyStep>)[];
  return all.map(readRecord).sort((a, b) => b.updatedAt - a.updatedAt);
}

export async function deleteRecord(id: string): Promise<void> {
  await (await open()).delete('records', id);
}

export function exportFile(records: HistoryRecord[]): HistoryFile {
  return { format: historyFormat, version: historyVersion, exportedAt: new Date().toISOString(), records: records.map(toFileRecord) };
}

export class HistoryFileError extends RemaskError {
  constructor(problem: string) {
    super('history-file', `This file cannot be imported: ${problem}. Choose a file exported from Remask's History.`);
    this.name = 'HistoryFileError';
  }
}

/**
 * What an importable file must be: ours, of this version or an older one, each record with its id, kind
 * and date, and none with an API key (the History never stores one, so a file that has one was made
 * elsewhere). A record's body is the page's own, written by exportFile: it is not checked field by
 * field, except a Playground session's steps, which are converted back to typed arrays.
 */
const historyFileSchema = z.object({
  format: z.literal(historyFormat),
  version: z.unknown(),
  records: z.array(z.unknown()),
});
/** Files of older versions are read too (see historyVersion). */
const readableVersion = z.int().min(1).max(historyVersion);
const recordSchema = z.looseObject({ id: z.string(), kind: z.enum(recordKinds), updatedAt: z.number() });
const sessionSchema = z.looseObject({ decodes: z.array(z.looseObject({ steps: z.array(fileStepSchema) })) });

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
  const { version } = file.data;
  if (!readableVersion.safeParse(version).success) throw new HistoryFileError(`it has version ${String(version)}, this page reads versions 1 to ${historyVersion}`);
  return file.data.records.map((record, i) => {
    const checked = recordSchema.safeParse(record);
    if (!checked.success) throw new HistoryFileError(`record ${i + 1} has no id, kind or date`);
    if ('apiKey' in checked.data) throw new HistoryFileError(`record ${i + 1} holds an API key`);
    if (checked.data.kind !== 'playground') return readRecord(record as HistoryRecord);
    const session = sessionSchema.safeParse(record);
    if (!session.success) {
      const [issue] = session.error.issues;
      throw new HistoryFileError(`record ${i + 1} has a damaged decode (${issue.path.join('.')}: ${issue.message})`);
    }
    return session.data as unknown as PlaygroundRecord;
  });
}

export async function importRecords(records: HistoryRecord[]): Promise<void> {
  // Imported runs never continue by themselves: one that was running when exported is "interrupted".
  for (const record of records) {
    await saveRecord(record.kind === 'optimize' && record.status === 'running' ? { ...record, status: 'interrupted' } : record);
  }
}
