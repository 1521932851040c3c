// The desktop app in a browser, for the `web` project: the built renderer, served with the
// desktop CSP, and window.hearth backed by the real main-process services (AppServices)
// in this Node process. Only the transport differs from Electron's IPC: Playwright's
// exposeBinding instead of ipcRenderer.invoke, page.evaluate instead of webContents.send.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, get as httpGet, type Server } from 'node:http';
import { get as httpsGet } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { DESKTOP_CSP } from '../../common/csp.ts';
import { fingerprintOf } from '../../common/identity.ts';
import { isInvokeChannel, type EventChannel, type EventMap } from '../../common/ipc.ts';
import { AppServices } from '../../main/services/services.ts';
import { serveStatic } from '../../main/host/static.ts';
import { useTestIdentity, type TestIdentityName } from './test-identities.ts';

export const RENDERER_DIR = resolve('out/renderer');

export interface DesktopHarness {
  page: Page;
  context: BrowserContext;
  services: AppServices;
  /** The next window the app opens (the dashboard), as Electron would open it. */
  nextWindow(): Promise<Page>;
  /** The next file the app saves (file:download), fetched as Electron's downloadURL would: through the pinned certificate. */
  nextDownload(): Promise<SavedFile>;
  close(): Promise<void>;
}

/** Serve the built renderer the way app://hearth serves it in Electron. */
export async function serveRenderer(): Promise<{ url: string; server: Server }> {
  const handler = serveStatic(RENDERER_DIR, DESKTOP_CSP);
  const server = createServer((req, res) => {
    void handler(req, res).then((served) => {
      if (!served) {
        res.writeHead(404);
        res.end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

/** Where window.hearth's calls go and its events come from: in-process services or a child. */
export interface DesktopBackend {
  invoke(channel: string, args: unknown): Promise<unknown>;
  on(listener: <K extends EventChannel>(channel: K, payload: EventMap[K]) => void): void;
}

export function inProcessBackend(services: AppServices): DesktopBackend {
  return {
    invoke: (channel, args) =>
      isInvokeChannel(channel)
        ? (services.handlers[channel] as (a: unknown) => Promise<unknown>)(args ?? null)
        : Promise.resolve({ ok: false, error: `unknown call ${channel}` }),
    on: (listener) => {
      services.on('rooms:changed', (p) => listener('rooms:changed', p));
      services.on('host:changed', (p) => listener('host:changed', p));
      services.on('dashboard:snapshot', (p) => listener('dashboard:snapshot', p));
      services.on('dashboard:activity', (p) => listener('dashboard:activity', p));
    },
  };
}

/** Give a page window.hearth backed by `backend`, the way the preload does in Electron. */
export async function attachBridge(page: Page, backend: DesktopBackend): Promise<void> {
  await page.exposeBinding('__hearthInvoke', async (_source, channel: unknown, args: unknown) => backend.invoke(String(channel), args));
  await page.addInitScript(() => {
    const listeners = new Map<string, Set<(payload: unknown) => void>>();
    // Runs in the page: globalThis is the page's window.
    const w = globalThis as unknown as Record<string, unknown>;
    w['__hearthEmit'] = (channel: string, payload: unknown) => listeners.get(channel)?.forEach((l) => l(payload));
    w['hearth'] = Object.freeze({
      shell: 'harness',
      invoke: (channel: string, args: unknown) => (w['__hearthInvoke'] as (c: string, a: unknown) => Promise<unknown>)(channel, args),
      on: (channel: string, listener: (payload: unknown) => void) => {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)!.add(listener);
        return () => listeners.get(channel)?.delete(listener);
      },
    });
  });
  backend.on((channel, payload) => {
    void page
      .evaluate(([c, p]) => (globalThis as unknown as { __hearthEmit(c: string, p: unknown): void }).__hearthEmit(c, p), [channel, payload] as const)
      .catch(() => {});
  });
}

export interface OpenDesktopOptions {
  name?: string;
  /** The test identity its room presents (e2e/fixtures): one the harness's Chromium accepts. Default 'a'. */
  identity?: TestIdentityName;
}

export interface SavedFile {
  url: string;
  /** From Content-Disposition, as the save dialog would offer it. */
  disposition: string;
  bytes: Buffer;
}

/** GET `url`, accepting only the certificate the app pinned for its host name (trust.ts certificateVerdict's rule). */
async function fetchPinned(url: string, services: AppServices): Promise<SavedFile> {
  const { hostname, protocol } = new URL(url);
  return new Promise<SavedFile>((resolve, reject) => {
    const request = (protocol === 'https:' ? httpsGet : httpGet)(url, { rejectUnauthorized: false }, (response) => {
      const socket = response.socket as TLSSocket;
      if (protocol === 'https:') {
        const presented = fingerprintOf(socket.getPeerX509Certificate()!.raw);
        if (!services.pins.fingerprints(hostname).has(presented)) return reject(new Error(`the app has not pinned ${presented} for ${hostname}`));
      }
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ url, disposition: String(response.headers['content-disposition'] ?? ''), bytes: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

export async function openDesktop(browser: Browser, rendererUrl: string, options: OpenDesktopOptions = {}): Promise<DesktopHarness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hearth-desktop-'));
  useTestIdentity(dataDir, options.identity ?? 'a');
  // Off the LAN: these tests run outside a network namespace (see lan-room-list for mDNS).
  // Its renderer origin (http://127.0.0.1:<port>) is allowed by HEARTH_ALLOWED_ORIGINS (playwright.config.ts).
  const services = new AppServices({ dataDir, webRoot: RENDERER_DIR, mdns: false, defaultPort: 0 });
  if (options.name) services.settings.update({ displayName: options.name });
  const context = await browser.newContext({ viewport: { width: 1180, height: 760 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  await attachBridge(page, inProcessBackend(services));
  // "Open dashboard" opens a second window on the same services, as main/index.ts does.
  const opened: Page[] = [];
  const waiting: Array<(p: Page) => void> = [];
  services.on('open-dashboard', () => {
    void (async () => {
      const dashboard = await context.newPage();
      await attachBridge(dashboard, inProcessBackend(services));
      await dashboard.goto(new URL('dashboard.html', rendererUrl).href);
      const waiter = waiting.shift();
      if (waiter) waiter(dashboard);
      else opened.push(dashboard);
    })();
  });
  // "Download" asks the main process to save the file (main/index.ts: webContents.downloadURL,
  // whose requests meet the verify proc's pins); here Node fetches it under the same pins.
  const saved: Array<Promise<SavedFile>> = [];
  const savers: Array<(file: Promise<SavedFile>) => void> = [];
  services.on('download-file', (url) => {
    const file = fetchPinned(url, services);
    const saver = savers.shift();
    if (saver) saver(file);
    else saved.push(file);
  });
  await services.start();
  await page.goto(rendererUrl);
  return {
    page,
    context,
    services,
    nextDownload: () => saved.shift() ?? new Promise<SavedFile>((resolve) => savers.push((file) => resolve(file))),
    nextWindow: () => new Promise<Page>((resolve) => {
      const ready = opened.shift();
      if (ready) resolve(ready);
      else waiting.push(resolve);
    }),
    async close() {
      await context.close();
      await services.shutdown();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
