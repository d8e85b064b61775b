import { defineConfig } from 'vitest/config';

// End-to-end tests: the built app (dist/) in Debian's headless Chromium, one browser at a time.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    globalSetup: ['test/support/build-cli.ts'],
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
