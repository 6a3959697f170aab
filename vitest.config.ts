import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Tests are I/O-light but synth and dynalite like a core each; two workers fit the CI machine.
    maxWorkers: 2,
  },
});
