// Fixtures shared by both projects. `desktop()` opens the desktop app: in the web project
// the renderer in Chromium with the Node services behind window.hearth, in the electron
// project the real app (when a binary exists). `browserClient()` is someone joining from
// a plain browser.
import { _electron, test as base, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDesktop, serveRenderer, type SavedFile } from './harness/desktop.ts';
import type { TestIdentityName } from './harness/test-identities.ts';
import { electronBinary } from './harness/electron-binary.ts';

export interface DesktopApp {
  page: Page;
  /** The next window the app opens (the dashboard). */
  nextWindow(): Promise<Page>;
  /** The next file the app saves ("Download"), with its bytes. */
  nextDownload(): Promise<SavedFile>;
  close(): Promise<void>;
}

interface Fixtures {
  desktop: (options?: { name?: string; identity?: TestIdentityName }) => Promise<DesktopApp>;
  browserClient: (url: string) => Promise<Page>;
  shot: (page: Page, name: string) => Promise<void>;
}

export const test = base.extend<Fixtures, { renderer: { url: string } }>({
  renderer: [
    async ({}, use) => {
      const served = await serveRenderer();
      await use({ url: served.url });
      served.server.close();
    },
    { scope: 'worker' },
  ],

  desktop: async ({ browser, renderer }, use, testInfo) => {
    const opened: DesktopApp[] = [];
    const electron = testInfo.project.name === 'electron';
    const binary = electron ? electronBinary() : undefined;
    // Electron's installer downloads the binary from GitHub, which these machines cannot
    // reach: without it the electron project cannot run, and says so rather than pass.
    test.skip(electron && !binary, 'skipped: no Electron binary');
    await use(async (options = {}) => {
      if (binary) {
        const userData = mkdtempSync(join(tmpdir(), 'hearth-electron-'));
        const app = await _electron.launch({
          executablePath: binary,
          args: ['.'],
          env: { ...process.env, HEARTH_USER_DATA: userData, HEARTH_NO_MDNS: '1' } as Record<string, string>,
        });
        const page = await app.firstWindow();
        if (options.name) {
          await page.getByRole('textbox', { name: 'Your name' }).fill(options.name);
          await page.getByRole('textbox', { name: 'Your name' }).press('Enter');
        }
        const handle = {
          page,
          nextWindow: () => app.waitForEvent('window'),
          nextDownload: async () => {
            const download = await page.waitForEvent('download');
            const path = await download.path();
            return { url: download.url(), disposition: download.suggestedFilename(), bytes: readFileSync(path) };
          },
          close: async () => {
            await app.close();
            rmSync(userData, { recursive: true, force: true });
          },
        };
        opened.push(handle);
        return handle;
      }
      const harness = await openDesktop(browser, renderer.url, options);
      opened.push(harness);
      return harness;
    });
    for (const app of opened) await app.close();
  },

  browserClient: async ({ browser }, use) => {
    const contexts: Array<{ close(): Promise<void> }> = [];
    await use(async (url) => {
      const context = await browser.newContext({ viewport: { width: 1000, height: 720 } });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(url);
      return page;
    });
    for (const c of contexts) await c.close();
  },

  shot: async ({}, use, testInfo) => {
    await use(async (page, name) => {
      await page.screenshot({ path: join('test-results', 'screenshots', testInfo.project.name, `${name}.png`) });
    });
  },
});

export { expect } from '@playwright/test';
