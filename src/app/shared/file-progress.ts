// Per-file download state from the loader's progress events (the list a progress display shows).
import type { LoadProgress } from '../../model/progress';

export interface FileProgress {
  file: string;
  loaded: number;
  total: number | null;
  done: boolean;
}

/** The list after one progress event; files keep the order they started in. */
export function applyProgress(files: readonly FileProgress[], p: LoadProgress): FileProgress[] {
  if (p.status === 'ready' || p.status === 'stage') return [...files];
  const was = files.find((f) => f.file === p.file);
  const next: FileProgress =
    p.status === 'progress'
      ? { file: p.file, loaded: p.loaded, total: p.total, done: false }
      : { file: p.file, loaded: was?.loaded ?? 0, total: was?.total ?? null, done: p.status === 'done' };
  return was ? files.map((f) => (f.file === p.file ? next : f)) : [...files, next];
}
