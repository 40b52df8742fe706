import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src-shared/**/*.test.ts', 'src-main/**/*.test.ts', 'src-renderer/**/*.test.ts', 'bench/**/*.test.ts', 'test-support/**/*.test.ts', 'scripts/**/*.test.ts'],
    // The default reporter only counts skipped tests; the second lists each with its reason.
    reporters: ['default', './test-support/skippedTestsReporter.ts'],
    // Training and import tests are CPU-bound; two workers match the 2-core machines we run on.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
