import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['common/**/*.test.ts', 'scripts/**/*.test.ts', 'main/**/*.test.ts', 'build/**/*.test.ts', 'test/**/*.test.ts', 'renderer/**/*.test.ts'],
    // Real servers and child processes: forks keep each file's sockets and timers apart.
    pool: 'forks',
    // Discovery may only use the namespace lab's addresses (test/netns): no test can ever
    // multicast on this machine's real interfaces, even one that forgets --no-mdns.
    env: { HEARTH_MDNS_ONLY: '10.231.' },
    testTimeout: 20_000,
    hookTimeout: 20_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
