import { defineConfig } from 'vite';

// The `remask` command, bundled once for Node (npm's `prepare`, so `npm ci` builds it): src/cli and the
// modules it imports become one ES module in dist-cli/, and the packages in node_modules stay imports.
// Running the TypeScript through tsx on every call cost about 0.6 s.
export default defineConfig({
  publicDir: false,
  build: {
    ssr: 'src/cli/main.ts',
    outDir: 'dist-cli',
    target: 'node20',
    emptyOutDir: true,
    sourcemap: true,
  },
});
