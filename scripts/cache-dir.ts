// Where Remask's tools keep what they install or download once (the local LLM, benchmark data): outside
// the repository, so a fresh clone or `git clean` never pays for it again. $REMASK_CACHE moves it.
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function remaskCache(part: string): string {
  const base = process.env.REMASK_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'remask');
  const dir = join(base, part);
  mkdirSync(dir, { recursive: true });
  return dir;
}
