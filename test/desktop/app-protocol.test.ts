// The real app:// handler of the built main bundle (registered through the stub's
// protocol.handle) serving the built renderer to Chromium. Chromium cannot route a custom
// scheme, so a loopback http server hands each request to that handler as app://hearth/<path>
// and sends its answer back unchanged (support/chromium.ts). The file types come from the
// stub's net.fetch, which reports Chromium's own types for file: URLs as Electron's does;
// what is under test is that the handler keeps them and adds the policy to every answer.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Browser } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP_CSP } from '../../common/csp.ts';
import { BundleProcess, RENDERER_OUT, requireBuild, unknownApiMessage } from './support/bundle.ts';
import { bundleBackend, launchChromium, mirrorAppProtocol, openWatchedPage, pageLooks, parseCsp, waitShown } from './support/chromium.ts';

/** The type each kind of built file must be served with (nosniff: a wrong one is refused). */
const TYPES: Record<string, string> = {
  html: 'text/html',
  js: 'text/javascript',
  css: 'text/css',
  svg: 'image/svg+xml',
  png: 'image/png',
  woff2: 'font/woff2',
  json: 'application/json',
};

function expectedType(path: string): string {
  const type = TYPES[path.split('.').pop() ?? ''];
  if (!type) throw new Error(`${path}: no expected type for this kind of file; add it to TYPES in this test`);
  return type;
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The header policy minus what a <meta> cannot carry. */
function metaEquivalent(policy: string): Map<string, string> {
  const directives = parseCsp(policy);
  directives.delete('frame-ancestors');
  return directives;
}

// Chromium on a busy two-core machine: generous, but every wait inside is bounded too.
describe('app:// of the built main bundle, feeding Chromium', { timeout: 60_000 }, () => {
  let bundle: BundleProcess;
  let mirror: Awaited<ReturnType<typeof mirrorAppProtocol>>;
  let browser: Browser;

  beforeAll(async () => {
    requireBuild();
    bundle = await BundleProcess.launch({ packaged: true });
    await bundle.readyAndOpen();
    mirror = await mirrorAppProtocol(bundle);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await mirror?.close();
    await bundle?.stop();
  });

  it('answers every built renderer file with its type, the desktop CSP and nosniff, byte for byte', async () => {
    const all = files(RENDERER_OUT);
    expect(all.length).toBeGreaterThan(3);
    for (const file of all) {
      const path = relative(RENDERER_OUT, file).split(sep).join('/');
      const answer = await bundle.appRequest(`app://hearth/${path}`);
      const headers = new Map(answer.headers);
      expect(answer.status, path).toBe(200);
      expect(headers.get('content-type'), path).toBe(expectedType(path));
      expect(headers.get('content-security-policy'), path).toBe(DESKTOP_CSP);
      expect(headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(Buffer.from(answer.body, 'base64').equals(readFileSync(file)), `${path}: body differs from the file`).toBe(true);
    }
    const root = await bundle.appRequest('app://hearth/');
    expect(root.status).toBe(200);
    expect(Buffer.from(root.body, 'base64').equals(readFileSync(join(RENDERER_OUT, 'index.html')))).toBe(true);
  });

  it('answers anything else with an error under the same policy, never a file from elsewhere', async () => {
    for (const url of [
      'app://hearth/missing.js',
      'app://hearth/assets/',
      'app://hearth/../main/index.js',
      'app://hearth/..%2fmain%2findex.js',
      'app://hearth/%2e%2e/%2e%2e/package.json',
      'app://other/index.html',
    ]) {
      const answer = await bundle.appRequest(url).catch((error: Error) => {
        throw new Error(`${url}: the handler rejected (the page would see a network error, not an answer): ${error.message}`, { cause: error });
      });
      const headers = new Map(answer.headers);
      expect([400, 404], url).toContain(answer.status);
      expect(headers.get('content-security-policy'), url).toBe(DESKTOP_CSP);
      expect(headers.get('x-content-type-options'), url).toBe('nosniff');
    }
  });

  for (const { page: name, shows } of [
    { page: 'index.html', shows: { role: 'textbox', name: 'Your name' } as const },
    { page: 'dashboard.html', shows: { role: 'heading', name: 'Not hosting' } as const },
  ]) {
    it(`renders ${name} in Chromium: styled, every asset typed and under the policy, the <meta> agreeing, no violation`, async () => {
      const watched = await openWatchedPage(browser, bundleBackend(bundle));
      try {
        const response = await watched.page.goto(`${mirror.url}/${name}`, { timeout: 15_000 });
        expect(response?.status()).toBe(200);
        await waitShown(watched, shows.role, shows.name, 10_000);
        const looks = await pageLooks(watched.page);
        // Unstyled, <html> is transparent and <body> has an 8px margin.
        expect(looks.background).not.toBe('rgba(0, 0, 0, 0)');
        expect(looks.bodyMargin).toBe('0px');
        expect(looks.meta, 'the page has no CSP <meta>').not.toBeNull();
        expect(metaEquivalent(looks.meta!)).toEqual(metaEquivalent(DESKTOP_CSP));

        expect(await watched.problems()).toEqual([]);
        const kinds = new Set(watched.responses.map((r) => r.resourceType));
        for (const kind of ['document', 'script', 'stylesheet']) expect(kinds, `no ${kind} was loaded`).toContain(kind);
        for (const seen of watched.responses) {
          const path = new URL(seen.url).pathname;
          expect(seen.status, path).toBe(200);
          expect(seen.headers['content-type'], path).toBe(expectedType(path));
          expect(seen.headers['content-security-policy'], path).toBe(DESKTOP_CSP);
          expect(seen.headers['x-content-type-options'], path).toBe('nosniff');
        }
      } finally {
        await watched.page.context().close();
      }
      expect(bundle.unknownApis, unknownApiMessage(bundle.unknownApis)).toEqual([]);
    });
  }
});
