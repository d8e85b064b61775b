import { defineConfig } from 'vite';
import { localAssets, browserResolve } from './scripts/local-assets.ts';

// The benchmark page (bench/), built apart from the app so the product ships no benchmark code.
export default defineConfig({
  root: 'bench',
  plugins: [localAssets()],
  resolve: browserResolve,
  build: { outDir: '../dist-bench', emptyOutDir: true, target: 'es2022' },
});
