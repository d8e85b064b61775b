import { defineConfig } from 'vitest/config';

// Unit and Node integration tests: they sit next to the code they test.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'workers/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
