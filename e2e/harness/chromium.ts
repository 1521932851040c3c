// Which Chromium Playwright drives: HEARTH_CHROMIUM, else Debian's /usr/bin/chromium when
// it exists (this network cannot download Playwright's), else Playwright's own.
import { existsSync } from 'node:fs';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

export function chromiumPath(): string | undefined {
  const configured = process.env['HEARTH_CHROMIUM'];
  if (configured) return configured;
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}
