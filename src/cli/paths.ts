// Where the CLI finds files that ship inside the repository.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { embeddedModelName } from '../model/embedded';

/** The package's root: the nearest folder above this module with a package.json (src/cli in the source, dist-cli once built). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`No package.json above ${fileURLToPath(import.meta.url)}: the remask command must run from its package.`);
    dir = up;
  }
  return dir;
}

export function embeddedModelPath(): string {
  return join(packageRoot(), 'models', embeddedModelName);
}
