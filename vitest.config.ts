import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// Unit and Node integration tests: they sit next to the code they test. The Svelte plugin compiles
// the app's `*.svelte.ts` state classes (runes), so they are tested as the page runs them.
export default defineConfig({
  plugins: [svelte()],
  test: {
    include: ['src/**/*.test.ts', 'workers/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    globalSetup: ['test/support/build-cli.ts'],
  },
});
