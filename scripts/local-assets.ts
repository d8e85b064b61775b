// Serves and ships the two kinds of files the app loads at run time from its own origin, never a CDN:
// the onnxruntime-web WASM runtime (under /ort/) and the embedded model packages (under /models/).
// A missing file answers 404, never index.html: a cached HTML page in place of a model file poisons
// every later load.
import { createReadStream, existsSync, readdirSync, statSync, cpSync, mkdirSync } from 'node:fs';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultClientConditions, type Plugin, type ResolvedConfig, type UserConfig } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * How the browser bundles (the app and the bench page) resolve two imports that mean something else
 * in Node. `node:fs/promises` (files.ts reads local folders in Node only) is src/model/browser-fs.ts.
 * And onnxruntime-web is its native WebGPU
 * build (`onnxruntime-web/webgpu`, WASM included), not the default JSEP one, whose WebGPU provider
 * computes wrong logits for RoBERTa-style graphs and for dynamic-uint8 `model_quantized.onnx`
 * (test/e2e/decode.e2e.test.ts). The alias leaves the source importing plain `onnxruntime-web`, so Node
 * (the CLI, unit tests), which never reads this config, keeps the package's own Node build (WASM only).
 * The extern-wasm condition picks the build that loads its loader and .wasm from env.wasm.wasmPaths
 * (/ort/, served below) rather than inlining the one and making the bundler copy the other.
 */
export const browserResolve = {
  alias: [
    { find: /^onnxruntime-web$/, replacement: 'onnxruntime-web/webgpu' },
    { find: /^node:fs\/promises$/, replacement: join(root, 'src/model/browser-fs.ts') },
  ],
  conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions],
} satisfies UserConfig['resolve'];

/** URL prefix -> folder on disk, and which files of it are shipped. */
const mounts = [
  {
    prefix: '/ort/',
    dir: join(root, 'node_modules/onnxruntime-web/dist'),
    // The runtime of the build browserResolve picks: the native WebGPU build loads the asyncify one
    // (WebGPU's calls are asynchronous), which runs both WebGPU and WASM.
    ships: (file: string) => /^ort-wasm-simd-threaded\.asyncify\.(mjs|wasm)$/.test(file),
  },
  {
    prefix: '/models/',
    dir: join(root, 'models'),
    // Only finished model packages (folders with a config.json) are served, not the training pipeline.
    ships: (file: string) => {
      const [name] = file.split('/');
      return name !== undefined && existsSync(join(root, 'models', name, 'config.json')) && !file.endsWith('.md');
    },
  },
];

const contentTypes: Record<string, string> = {
  '.wasm': 'application/wasm',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.onnx': 'application/octet-stream',
};

function resolveFile(url: string): string | null | undefined {
  const path = decodeURIComponent(url.split('?')[0]);
  for (const mount of mounts) {
    if (!path.startsWith(mount.prefix)) continue;
    const rel = normalize(path.slice(mount.prefix.length));
    if (rel.startsWith('..') || rel.includes(`${sep}..`)) return null;
    const file = join(mount.dir, rel);
    return mount.ships(rel) && existsSync(file) && statSync(file).isFile() ? file : null;
  }
  return undefined; // not ours
}

function listFiles(dir: string, base = ''): string[] {
  if (!existsSync(join(dir, base))) return [];
  return readdirSync(join(dir, base), { withFileTypes: true }).flatMap((entry) => {
    const rel = base ? `${base}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(dir, rel) : [rel];
  });
}

export function localAssets(): Plugin {
  let config: ResolvedConfig;
  const serve = (req: { url?: string }, res: import('node:http').ServerResponse, next: () => void) => {
    const file = resolveFile(req.url ?? '');
    if (file === undefined) return next();
    if (file === null) {
      res.statusCode = 404;
      res.end('Not found');
      return;
    }
    const ext = file.slice(file.lastIndexOf('.'));
    res.setHeader('Content-Type', contentTypes[ext] ?? 'application/octet-stream');
    res.setHeader('Content-Length', statSync(file).size);
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    createReadStream(file).pipe(res);
  };
  return {
    name: 'remask-local-assets',
    configResolved(resolved) {
      config = resolved;
    },
    configureServer(server) {
      server.middlewares.use(serve);
    },
    configurePreviewServer(server) {
      server.middlewares.use(serve);
    },
    closeBundle() {
      if (config.command !== 'build') return;
      for (const mount of mounts) {
        for (const rel of listFiles(mount.dir)) {
          if (!mount.ships(rel)) continue;
          const target = join(resolve(config.root, config.build.outDir), mount.prefix, rel);
          mkdirSync(dirname(target), { recursive: true });
          cpSync(join(mount.dir, rel), target);
        }
      }
    },
  };
}
