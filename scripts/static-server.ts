// A static file server on 127.0.0.1, for the end-to-end tests and the benchmarks: the built app as a plain
// static host would serve it, plus the test fixtures under /fixtures/. Cross-origin isolated (so WASM
// threads are on); missing files 404.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
};

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** Answer cross-origin requests too (Access-Control-Allow-Origin: *), as the Hugging Face Hub does. */
  cors?: boolean;
  /** Hold back every answer under `prefix` for `ms` milliseconds: a slow network, so that a load can be cancelled mid-way. */
  delay?: { prefix: string; ms: number };
}

export async function serveStatic(mounts: Record<string, string>, options: ServeOptions = {}): Promise<StaticServer> {
  const server: Server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const prefix = Object.keys(mounts)
      .filter((p) => path.startsWith(p))
      .sort((a, b) => b.length - a.length)[0];
    let file: string | undefined;
    if (prefix !== undefined) {
      const root = resolve(mounts[prefix]);
      const candidate = join(root, normalize(path.slice(prefix.length)));
      if (candidate.startsWith(root)) file = path.endsWith('/') ? join(candidate, 'index.html') : candidate;
    }
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    res.setHeader('Cache-Control', 'no-store');
    if (options.cors) {
      res.setHeader('Access-Control-Allow-Origin', '*');
      // Lets a cross-origin isolated page (COEP require-corp) embed what this server answers.
      res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    }
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      res.end('Not found');
      return;
    }
    if (options.delay && path.startsWith(options.delay.prefix)) await new Promise((done) => setTimeout(done, options.delay!.ms));
    res.setHeader('Content-Type', types[extname(file)] ?? 'application/octet-stream');
    res.setHeader('Content-Length', statSync(file).size);
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        // Keep-alive connections would hold close() open, and the browser would still reach the page.
        server.closeAllConnections();
      }),
  };
}
