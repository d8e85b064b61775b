import { defaultClientConditions, defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { localAssets } from './scripts/local-assets.ts';
import { serviceWorker } from './scripts/service-worker.ts';

// Cross-origin isolation lets onnxruntime-web use WASM threads (SharedArrayBuffer).
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [svelte(), localAssets(), serviceWorker()],
  // onnxruntime-web's default build inlines its WASM loader and makes the bundler copy its .wasm;
  // this condition picks the build that loads both from env.wasm.wasmPaths (/ort/, served by us).
  resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
  server: { host: '127.0.0.1', headers: isolationHeaders },
  preview: { host: '127.0.0.1', headers: isolationHeaders },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
