// Where the CLI finds files that ship inside the repository.
import { fileURLToPath } from 'node:url';
import { embeddedModelName } from '../model/embedded';

export function embeddedModelPath(): string {
  return fileURLToPath(new URL(`../../models/${embeddedModelName}`, import.meta.url));
}
