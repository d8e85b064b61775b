// Model files kept in IndexedDB (through idb), so a model downloaded once loads again without the
// network. Keyed by the file's full URL; each entry remembers its package (the folder URL) so the
// Models view can list, size and remove whole packages.
//
// Policy (used by files.ts): a file from another origin (the Hugging Face Hub, any URL) is read from
// the cache first: those downloads are large and their content does not change under one URL. A file
// from the app's own origin (the embedded model) is fetched first, so a new build's model is picked
// up, and the cached copy is used when the network is not there (offline).
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { ownOrigin } from './env';

/** What is known of a cached file without reading its bytes (kept apart: listing must stay cheap). */
interface FileEntry {
  url: string;
  /** The package source (folder URL) the file belongs to. */
  source: string;
  /** The file's path inside the package, e.g. onnx/model_quantized.onnx. */
  file: string;
  size: number;
  storedAt: number;
}

interface ModelCacheSchema extends DBSchema {
  entries: { key: string; value: FileEntry; indexes: { source: string } };
  bytes: { key: string; value: Uint8Array };
}

export interface CachedPackage {
  source: string;
  files: { file: string; size: number }[];
  /** Bytes in all its cached files. */
  size: number;
  storedAt: number;
}

const databaseName = 'remask-models';
let database: Promise<IDBPDatabase<ModelCacheSchema>> | undefined;

function open(): Promise<IDBPDatabase<ModelCacheSchema>> {
  database ??= openDB<ModelCacheSchema>(databaseName, 1, {
    upgrade(db) {
      db.createObjectStore('entries', { keyPath: 'url' }).createIndex('source', 'source');
      db.createObjectStore('bytes');
    },
  });
  return database;
}

/** Whether a URL is read from the cache before the network (see the policy above). */
export function prefersCache(url: string): boolean {
  return ownOrigin === null || new URL(url, ownOrigin).origin !== ownOrigin;
}

export async function cachedFile(url: string): Promise<Uint8Array | undefined> {
  return (await open()).get('bytes', url);
}

export async function storeFile(source: string, file: string, url: string, bytes: Uint8Array): Promise<void> {
  const tx = (await open()).transaction(['entries', 'bytes'], 'readwrite');
  // A refused write (a full disk, a value too large) may throw before anything awaits tx.done, whose
  // rejection would then go unhandled: the caller hears of the write's own error instead.
  tx.done.catch(() => {});
  await Promise.all([
    tx.objectStore('bytes').put(bytes, url),
    tx.objectStore('entries').put({ url, source, file, size: bytes.byteLength, storedAt: Date.now() }),
    tx.done,
  ]);
}

/** Every cached package, newest first. */
export async function listCachedPackages(): Promise<CachedPackage[]> {
  const packages = new Map<string, CachedPackage>();
  for (const { source, file, size, storedAt } of await (await open()).getAll('entries')) {
    const entry = packages.get(source) ?? { source, files: [], size: 0, storedAt };
    entry.files.push({ file, size });
    entry.size += size;
    entry.storedAt = Math.max(entry.storedAt, storedAt);
    packages.set(source, entry);
  }
  return [...packages.values()].sort((a, b) => b.storedAt - a.storedAt);
}

export async function removeCachedPackage(source: string): Promise<void> {
  const tx = (await open()).transaction(['entries', 'bytes'], 'readwrite');
  const urls = await tx.objectStore('entries').index('source').getAllKeys(source);
  await Promise.all([
    ...urls.flatMap((url) => [tx.objectStore('entries').delete(url), tx.objectStore('bytes').delete(url)]),
    tx.done,
  ]);
}
