// Writes the service worker (src/app/offline/service-worker.js) into the build with the list of files
// it keeps for offline use: the app and the ONNX Runtime files, not the model packages (the engine
// keeps those in IndexedDB). Its version is a hash of those files, so a new build replaces the cache.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin, ResolvedConfig } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const template = join(root, 'src/app/offline/service-worker.js');
export const serviceWorkerFile = 'sw.js';

/** Top-level folders of the build that are not part of the offline app. */
const skipped = new Set(['models', 'fixtures']);

function listFiles(dir: string, base = ''): string[] {
  return readdirSync(join(dir, base), { withFileTypes: true }).flatMap((entry) => {
    const rel = base ? `${base}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return base === '' && skipped.has(entry.name) ? [] : listFiles(dir, rel);
    return [rel];
  });
}

export function serviceWorker(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'remask-service-worker',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    // After remask-local-assets has copied /ort/ into the build (plugins close in order).
    closeBundle: {
      order: 'post',
      handler() {
        const out = config.build.outDir;
        const files = listFiles(out)
          .filter((file) => file !== serviceWorkerFile && !file.endsWith('.map'))
          .map((file) => file.split(sep).join('/'))
          .sort();
        const hash = createHash('sha256');
        for (const file of files) hash.update(file).update(readFileSync(join(out, file)));
        const version = hash.digest('hex').slice(0, 16);
        const source = readFileSync(template, 'utf8')
          .replace("'__VERSION__'", JSON.stringify(version))
          .replace('__PRECACHE__', JSON.stringify(['./', ...files]));
        writeFileSync(join(out, serviceWorkerFile), source);
        config.logger.info(`service worker: ${files.length} files kept offline (${relative(root, join(out, serviceWorkerFile))}, version ${version})`);
      },
    },
  };
}
