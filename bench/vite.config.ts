import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { localAssets, browserResolve } from '../scripts/local-assets.ts';

// The benchmark page (bench/page/), built apart from the app so the product ships no benchmark code.
export default defineConfig({
  root: fileURLToPath(new URL('./page', import.meta.url)),
  plugins: [localAssets()],
  resolve: browserResolve,
  build: { outDir: fileURLToPath(new URL('../dist-bench', import.meta.url)), emptyOutDir: true, target: 'es2022' },
});
