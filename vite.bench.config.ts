import { defaultClientConditions, defineConfig } from 'vite';
import { localAssets } from './scripts/local-assets.ts';

// The benchmark page (bench/), built apart from the app so the product ships no benchmark code.
export default defineConfig({
  root: 'bench',
  plugins: [localAssets()],
  resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
  build: { outDir: '../dist-bench', emptyOutDir: true, target: 'es2022' },
});
