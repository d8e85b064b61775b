// Remask's service worker, written into the build by scripts/service-worker.ts, which fills in the
// version and the list of files to keep. It makes the page work with the network off after one visit:
// the app (HTML, scripts, styles) and the ONNX Runtime files under /ort/ are stored at install and
// served from the cache; pages are fetched first and fall back to the stored index.html. Model files
// are not handled here: the engine worker keeps them in IndexedDB (src/model/cache.ts).
// Why not vite-plugin-pwa (Workbox): this worker does two things, precache and network-first pages, in
// under fifty lines that the offline test exercises; Workbox would add a build dependency and a
// runtime larger than this worker, and its default precache size cap (2 MiB) silently skips the 28 MB
// ONNX Runtime .wasm unless raised.
const version = '__VERSION__';
/** Paths relative to the worker's scope. */
const precache = __PRECACHE__;
const cacheName = `remask-${version}`;
const scope = self.registration.scope;
const precached = new Set(precache.map((path) => new URL(path, scope).href));
const indexUrl = new URL('index.html', scope).href;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(cacheName)
      .then((cache) => cache.addAll([...precached].map((url) => new Request(url, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key.startsWith('remask-') && key !== cacheName) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(fetch(request).catch(async () => (await caches.match(indexUrl)) ?? Response.error()));
    return;
  }
  const key = url.origin + url.pathname;
  if (!precached.has(key)) return;
  event.respondWith(caches.match(key).then((hit) => hit ?? fetch(request)));
});
