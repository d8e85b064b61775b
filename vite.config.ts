import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { localAssets, browserResolve } from './scripts/local-assets.ts';
import { serviceWorker } from './scripts/service-worker.ts';

// Cross-origin isolation lets onnxruntime-web use WASM threads (SharedArrayBuffer).
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [svelte(), localAssets(), serviceWorker()],
  // onnxruntime-web's native WebGPU build, loading its runtime from /ort/, and no node:fs (see browserResolve).
  resolve: browserResolve,
  server: { host: '127.0.0.1', headers: isolationHeaders },
  preview: { host: '127.0.0.1', headers: isolationHeaders },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
