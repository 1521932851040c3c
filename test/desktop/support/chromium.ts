// Chromium for the desktop smoke tests: the renderer's pages with window.hearth wired to the
// built main bundle's IPC handlers (through the stub), watched for CSP violations, console
// errors, failed requests and every response's headers.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from '@playwright/test';
import type { EventChannel, EventMap } from '../../../common/ipc.ts';
import { CHROMIUM_FLAGS, chromiumPath } from '../../../e2e/harness/chromium.ts';
import { attachBridge, type DesktopBackend } from '../../../e2e/harness/desktop.ts';
import type { BundleProcess } from './bundle.ts';

export function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  return chromium.launch({ args: CHROMIUM_FLAGS, ...(executablePath && { executablePath }), timeout: 30_000 });
}

/** window.hearth's calls go to the bundle's ipcMain handlers as if from window #`window`; its events come from webContents.send to it. */
export function bundleBackend(bundle: BundleProcess, window = 0): DesktopBackend {
  return {
    invoke: (channel, args) => bundle.invoke(channel, args, { window }),
    on: (listener) =>
      bundle.onSent((to, channel, payload) => {
        if (to === window) listener(channel as EventChannel, payload as EventMap[EventChannel]);
      }),
  };
}

export interface SeenResponse {
  url: string;
  status: number;
  headers: Record<string, string>;
  resourceType: string;
}

export interface WatchedPage {
  page: Page;
  responses: SeenResponse[];
  consoleErrors: string[];
  failedRequests: string[];
  /** securitypolicyviolation events, as "directive blocked-uri (source:line)". */
  cspViolations(): Promise<string[]>;
  /** Everything that went wrong, for one assertion with a readable diff. */
  problems(): Promise<string[]>;
}

/** A page whose window.hearth is `backend` (as the preload gives it), watched from its first request. */
export async function openWatchedPage(browser: Browser, backend: DesktopBackend): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1180, height: 780 } });
  const page = await context.newPage();
  const responses: SeenResponse[] = [];
  const pending: Array<Promise<void>> = [];
  const consoleErrors: string[] = [];
  const failedRequests: string[] = [];
  page.on('response', (response) => {
    pending.push(
      response.allHeaders().then((headers) => {
        responses.push({ url: response.url(), status: response.status(), headers, resourceType: response.request().resourceType() });
      }),
    );
  });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => failedRequests.push(`${request.url()}: ${request.failure()?.errorText ?? 'failed'}`));
  await page.addInitScript(() => {
    // Runs in the page (this file is type-checked without the DOM library).
    const page = globalThis as unknown as PageGlobals & { __cspViolations: string[] };
    const seen: string[] = [];
    page.__cspViolations = seen;
    page.document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`));
  });
  await attachBridge(page, backend);
  const cspViolations = () => page.evaluate(() => [...(globalThis as unknown as { __cspViolations: string[] }).__cspViolations]);
  return {
    page,
    responses,
    consoleErrors,
    failedRequests,
    cspViolations,
    async problems() {
      await Promise.all(pending);
      return [...(await cspViolations()).map((v) => `CSP violation: ${v}`), ...consoleErrors.map((e) => `console: ${e}`), ...failedRequests.map((f) => `request failed: ${f}`)];
    },
  };
}

/**
 * Chromium cannot route a custom scheme (page.route never sees app://; navigation aborts), so
 * app:// is mirrored on loopback http: each request goes to the bundle's own protocol handler
 * as app://hearth/<path>, and its status, headers and body come back unchanged.
 */
export async function mirrorAppProtocol(bundle: BundleProcess): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    bundle.appRequest(`app://hearth${req.url ?? '/'}`).then(
      (answer) => {
        res.writeHead(answer.status, answer.headers.flat());
        res.end(Buffer.from(answer.body, 'base64'));
      },
      // The handler rejected: Chromium would see a network error, so does the page here.
      () => req.socket.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A Content-Security-Policy as directive → sources. */
export function parseCsp(policy: string): Map<string, string> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...sources] = d.split(/\s+/);
        return [name!.toLowerCase(), sources.join(' ')] as const;
      }),
  );
}

/** Wait until the page shows an element; if it never does, say what went wrong on the way. */
export async function waitShown(watched: WatchedPage, role: Parameters<Page['getByRole']>[0], name: string, timeoutMs: number): Promise<void> {
  try {
    await watched.page.getByRole(role, { name }).waitFor({ state: 'visible', timeout: timeoutMs });
  } catch (error) {
    const problems = await watched.problems().catch(() => []);
    throw new Error(`the page never showed ${role} "${name}": ${(error as Error).message.split('\n')[0]}${problems.map((p) => `\n  ${p}`).join('')}`, { cause: error });
  }
}

/** What the page shows once styled and running: [background of <html>, margin of <body>, the CSP <meta>]. */
export function pageLooks(page: Page): Promise<{ background: string; bodyMargin: string; meta: string | null }> {
  return page.evaluate(() => {
    const { document, getComputedStyle } = globalThis as unknown as PageGlobals;
    return {
      background: getComputedStyle(document.documentElement).backgroundColor,
      bodyMargin: getComputedStyle(document.body).margin,
      meta: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? null,
    };
  });
}

/** The little of the DOM these page scripts use (tsconfig.node.json has no DOM library). */
interface PageElement {
  getAttribute(name: string): string | null;
}
interface PageGlobals {
  document: {
    documentElement: PageElement;
    body: PageElement;
    querySelector(selector: string): PageElement | null;
    addEventListener(
      type: 'securitypolicyviolation',
      listener: (event: { effectiveDirective: string; blockedURI: string; sourceFile: string; lineNumber: number }) => void,
    ): void;
  };
  getComputedStyle(element: PageElement): { backgroundColor: string; margin: string };
}
