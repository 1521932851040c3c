// Which Chromium Playwright drives: HEARTH_CHROMIUM, else Debian's /usr/bin/chromium when
// it exists (this network cannot download Playwright's), else Playwright's own.
import { existsSync } from 'node:fs';
import { testIdentitiesFlag } from './test-identities.ts';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  // The test-only host identities, and only them, pass certificate checks: what the app's
  // main process does with the certificates it pinned (see test-identities.ts).
  testIdentitiesFlag(),
];

export function chromiumPath(): string | undefined {
  const configured = process.env['HEARTH_CHROMIUM'];
  if (configured) return configured;
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}
