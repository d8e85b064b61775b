import { defineConfig } from 'vite';
import { localAssets, ortBrowserResolve } from './scripts/local-assets.ts';

// The benchmark page (bench/), built apart from the app so the product ships no benchmark code.
export default defineConfig({
  root: 'bench',
  plugins: [localAssets()],
  resolve: ortBrowserResolve,
  build: { outDir: '../dist-bench', emptyOutDir: true, target: 'es2022' },
});
