// Reads the files of a model package from a local folder (Node) or a URL (browser, or Node with http(s)).
import * as cache from './cache';
import { hasIndexedDB, isNode } from './env';
import { optionText, type OptionText } from '../core/errors';
import { ModelFileError } from './errors';
import { quantizations } from './options';
import type { ProgressCallback } from './progress';

export function isUrl(source: string): boolean {
  return /^(https?:|blob:|data:)/.test(source) || (!isNode && !source.startsWith('file:'));
}

/** Joins a package source (folder path or URL) and a file path inside it. */
export function packagePath(source: string, file: string): string {
  return source.endsWith('/') ? source + file : `${source}/${file}`;
}

export interface ReadOptions {
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
  /**
   * A download for offline use (the Models view): the file must be kept on this device, and a browser
   * that will not store it is an error. A load only tries, and fetches again next time.
   */
  keep?: boolean;
}

export async function readPackageFile(source: string, file: string, options: ReadOptions = {}): Promise<Uint8Array> {
  const { onProgress, signal } = options;
  const where = packagePath(source, file);
  onProgress?.({ status: 'initiate', file });
  const bytes = isUrl(source) ? await readUrl(source, file, options) : await readLocal(where, file);
  signal?.throwIfAborted();
  onProgress?.({ status: 'done', file });
  return bytes;
}

export async function readPackageJson<T>(source: string, file: string, options: ReadOptions = {}): Promise<T> {
  const bytes = await readPackageFile(source, file, options);
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch (error) {
    throw new ModelFileError(
      packagePath(source, file),
      `is not valid JSON (${(error as Error).message})`,
      'The download may be incomplete or the file damaged: fetch or export the model package again.',
    );
  }
}

/** A URL through the browser's model cache (cache.ts says when it is read first); plain fetch in Node. */
async function readUrl(source: string, file: string, options: ReadOptions): Promise<Uint8Array> {
  const url = packagePath(source, file);
  if (!hasIndexedDB) return fetchBytes(url, file, options);
  const cached = () => cache.cachedFile(url).catch(() => undefined);
  if (cache.prefersCache(url)) {
    const hit = await cached();
    if (hit) return hit;
  }
  let bytes: Uint8Array;
  try {
    bytes = await fetchBytes(url, file, options);
  } catch (error) {
    // Offline, or the server is gone: a copy kept from an earlier visit still does.
    const hit = options.signal?.aborted ? undefined : await cached();
    if (hit) return hit;
    throw error;
  }
  // A full disk must not fail a load that has its bytes: the next load simply fetches again.
  await cache.storeFile(source, file, url, bytes).catch((error: unknown) => {
    if (!options.keep) return;
    const reason = error instanceof DOMException ? `${error.name}: ${error.message}` : String(error);
    throw new ModelFileError(
      url,
      `was downloaded (${(bytes.byteLength / 1e6).toFixed(1)} MB) but this browser would not keep it (${reason})`,
      'Free some disk space, or let this site store more (a site setting in the browser), then download again; until then the model downloads again at every load.',
    );
  });
  return bytes;
}

/** A local package path as Node's fs takes it: a file: URL as a URL, else the path itself. */
const fsPath = (path: string): string | URL => (path.startsWith('file:') ? new URL(path) : path);

async function readLocal(path: string, file: string): Promise<Uint8Array> {
  const { readFile } = await import('node:fs/promises');
  try {
    return new Uint8Array(await readFile(fsPath(path)));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ModelFileError(
      path,
      code === 'ENOENT' ? 'was not found' : `could not be read (${code ?? (error as Error).message})`,
      missingFileAdvice(file),
    );
  }
}

/** The file names in a folder of a local package (Node; none when the folder is not there), or null for a URL. */
export async function localFolderFiles(source: string, folder: string): Promise<string[] | null> {
  if (isUrl(source)) return null;
  const { readdir } = await import('node:fs/promises');
  const path = packagePath(source, folder);
  return readdir(fsPath(path)).then(
    (names) => names.sort(),
    () => [],
  );
}

async function fetchBytes(url: string, file: string, { onProgress, signal }: ReadOptions): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new ModelFileError(url, `could not be fetched (${(error as Error).message})`, 'Check the address and your network connection.');
  }
  if (!response.ok) {
    throw new ModelFileError(url, `answered HTTP ${response.status}`, missingFileAdvice(file));
  }
  const contentType = response.headers.get('content-type') ?? '';
  if (contentType.includes('text/html')) {
    // A dev server or a host's catch-all route answered with a web page instead of the file.
    throw new ModelFileError(url, 'answered with an HTML page, not the file', missingFileAdvice(file));
  }
  // With a content-encoding, content-length counts compressed bytes: progress then has no total.
  const length = response.headers.has('content-encoding') ? NaN : Number(response.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 ? length : null;
  if (!response.body) return new Uint8Array(await response.arrayBuffer());

  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    onProgress?.({ status: 'progress', file, loaded, total });
  }
  if (total !== null && loaded !== total) {
    throw new ModelFileError(url, `ended after ${loaded} of ${total} bytes`, 'The download was cut off: try again.');
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function missingFileAdvice(file: string): OptionText {
  const folder = 'A model package is a folder with config.json, tokenizer.json, tokenizer_config.json and onnx/*.onnx; check that the model path or URL points at such a folder';
  return file.startsWith('onnx/') ? optionText`${folder} and that it has this quantization (set {quantization} to one of ${quantizations.join(', ')}).` : [`${folder}.`];
}
