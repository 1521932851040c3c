// Two projects, one set of journeys and page objects:
//   web       the app in Chromium: the desktop renderer with window.hearth backed by the real
//             main-process services in Node, and the web client served by a real host.
//   electron  the packaged main process under Electron, when an Electron binary exists;
//             otherwise every test there reports "skipped: no Electron binary".
import { defineConfig } from '@playwright/test';
import { CHROMIUM_FLAGS, chromiumPath } from './e2e/harness/chromium.ts';

const executablePath = chromiumPath();
// The harness serves the desktop renderer from http://127.0.0.1:<port>, standing in for
// app://hearth: hosts in these tests (in-process, or child processes, which inherit this)
// accept WebSockets from such pages. Production hosts never set it.
process.env['HEARTH_ALLOWED_ORIGINS'] = 'http://127.0.0.1:*';
// Discovery may only use the namespace lab's addresses (test/netns): no journey can ever
// multicast on this machine's real interfaces, even one that forgets mdns: false.
process.env['HEARTH_MDNS_ONLY'] = '10.231.';

export default defineConfig({
  testDir: 'e2e/journeys',
  testMatch: '**/*.spec.ts',
  // Two cores, real hosts and browsers per test: one at a time is fastest and steadiest.
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 8_000 },
  reporter: [['list'], ['./e2e/harness/summary-reporter.ts']],
  outputDir: 'test-results/playwright',
  use: {
    launchOptions: { args: CHROMIUM_FLAGS, ...(executablePath && { executablePath }) },
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'web', metadata: { shell: 'web' } },
    // Only the journeys that use the desktop app (tagged @desktop) mean anything under Electron.
    { name: 'electron', metadata: { shell: 'electron' }, grep: /@desktop/ },
  ],
});
