import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['common/**/*.test.ts', 'main/**/*.test.ts', 'build/**/*.test.ts', 'test/**/*.test.ts', 'renderer/**/*.test.ts'],
    // Real servers and child processes: forks keep each file's sockets and timers apart.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
