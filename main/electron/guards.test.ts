// The Electron wiring of the security checklist, against a stand-in for the electron module
// (its binary cannot be downloaded on these machines, so the real one cannot load here).
// The decisions are tested in main/services/ (trust, load-error, app-files); this proves they
// are hooked up: navigation, redirects and webviews stopped, new windows denied,
// permissions filtered, IPC answered only for the main frame of our own windows, a window
// whose page fails to load shown with an error page, app:// answering 404 for a missing file.
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DESKTOP_CSP } from '../../common/csp.ts';
import { INVOKE_CHANNELS, type InvokeHandlers } from '../../common/ipc.ts';

/** A BrowserWindow as far as main/electron/windows.ts uses it. */
class FakeWindow extends EventEmitter {
  static created: FakeWindow[] = [];
  static fromWebContents = vi.fn();
  /** loadURL rejects (as Electron's does when the load fails), except for data: pages. */
  static failLoads = false;
  visible = false;
  loaded: string[] = [];
  readonly webContents = Object.assign(new EventEmitter(), { session: { setSpellCheckerEnabled: vi.fn() } });
  readonly options: { webPreferences: Record<string, unknown> };
  constructor(options: { webPreferences: Record<string, unknown> }) {
    super();
    this.options = options;
    FakeWindow.created.push(this);
  }
  show() {
    this.visible = true;
  }
  isVisible() {
    return this.visible;
  }
  loadURL(url: string) {
    this.loaded.push(url);
    return FakeWindow.failLoads && !url.startsWith('data:') ? Promise.reject(new Error('ERR_FILE_NOT_FOUND')) : Promise.resolve();
  }
}

const electron = vi.hoisted(() => ({
  app: null as unknown as EventEmitter,
  shell: { openExternal: vi.fn(async () => {}) },
  ipcMain: { handlers: new Map<string, (event: unknown, args: unknown) => Promise<unknown>>(), handle(channel: string, fn: (event: unknown, args: unknown) => Promise<unknown>) { this.handlers.set(channel, fn); } },
  BrowserWindow: null as unknown,
  protocol: { handlers: new Map<string, (request: Request) => Promise<Response>>(), handle(scheme: string, fn: (request: Request) => Promise<Response>) { this.handlers.set(scheme, fn); } },
  net: { fetch: vi.fn(async (url: string) => new Response(readFileSync(fileURLToPath(url)), { headers: { 'Content-Type': 'text/html' } })) },
}));
electron.BrowserWindow = FakeWindow;
vi.mock('electron', () => electron);

const { installSecurityGuards } = await import('./security.ts');
const { registerIpc } = await import('./ipc.ts');
const { createChatWindow } = await import('./windows.ts');
const { serveAppProtocol } = await import('./app-protocol.ts');

/** A webContents as far as the guards use it. */
function fakeContents() {
  const contents = Object.assign(new EventEmitter(), {
    openHandler: undefined as undefined | ((details: { url: string }) => { action: string }),
    setWindowOpenHandler(fn: (details: { url: string }) => { action: string }) {
      this.openHandler = fn;
    },
    session: {
      request: undefined as undefined | ((wc: unknown, permission: string, callback: (ok: boolean) => void) => void),
      check: undefined as undefined | ((wc: unknown, permission: string) => boolean),
      setPermissionRequestHandler(fn: (wc: unknown, permission: string, callback: (ok: boolean) => void) => void) {
        this.request = fn;
      },
      setPermissionCheckHandler(fn: (wc: unknown, permission: string) => boolean) {
        this.check = fn;
      },
    },
  });
  return contents;
}

function prevented(contents: EventEmitter, event: string, url: string): boolean {
  let stopped = false;
  contents.emit(event, { preventDefault: () => (stopped = true) }, url);
  return stopped;
}

describe('security guards', () => {
  beforeEach(() => {
    electron.app = new EventEmitter();
    electron.shell.openExternal.mockClear();
    installSecurityGuards();
  });

  it('stops every navigation, redirect and webview of every web contents', () => {
    const contents = fakeContents();
    electron.app.emit('web-contents-created', {}, contents);
    expect(prevented(contents, 'will-navigate', 'https://evil.example/')).toBe(true);
    expect(prevented(contents, 'will-navigate', 'app://hearth/dashboard.html')).toBe(true);
    expect(prevented(contents, 'will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(prevented(contents, 'will-attach-webview', 'https://evil.example/')).toBe(true);
  });

  it('denies every new window; plain web links go to the system browser instead', () => {
    const contents = fakeContents();
    electron.app.emit('web-contents-created', {}, contents);
    for (const url of ['https://example.org/page', 'javascript:alert(1)', 'file:///etc/passwd', 'app://hearth/index.html']) {
      expect(contents.openHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(electron.shell.openExternal.mock.calls).toEqual([['https://example.org/page']]);
  });

  it('grants notifications and clipboard writes, and refuses every other permission, asked or checked', () => {
    const contents = fakeContents();
    electron.app.emit('web-contents-created', {}, contents);
    const answers: Record<string, boolean> = {};
    const granted = ['notifications', 'clipboard-sanitized-write'];
    for (const permission of [...granted, 'media', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen']) {
      contents.session.request!({}, permission, (ok) => (answers[permission] = ok));
      expect(contents.session.check!({}, permission), permission).toBe(granted.includes(permission));
    }
    expect(answers).toEqual({
      notifications: true,
      'clipboard-sanitized-write': true,
      media: false,
      geolocation: false,
      'clipboard-read': false,
      openExternal: false,
      fullscreen: false,
    });
  });
});

describe('IPC', () => {
  const ours = { id: 'our window' };
  const handlers = Object.fromEntries(INVOKE_CHANNELS.map((c) => [c, vi.fn(async () => ({ ok: true, value: c }))])) as unknown as InvokeHandlers;
  registerIpc(handlers, () => [ours as never]);

  function call(channel: string, frame: { url: string; parent: unknown } | null, window: unknown) {
    FakeWindow.fromWebContents.mockReturnValueOnce(window);
    return electron.ipcMain.handlers.get(channel)!({ senderFrame: frame, sender: {} }, null);
  }

  it('has a handler for every channel of the contract', () => {
    expect([...electron.ipcMain.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
  });

  it('answers the main frame of our own app:// window, and refuses everything else', async () => {
    const refused = { ok: false, error: 'refused: not a Hearth window' };
    expect(await call('settings:get', { url: 'app://hearth/index.html', parent: null }, ours)).toEqual({ ok: true, value: 'settings:get' });
    expect(await call('settings:get', { url: 'app://hearth/index.html', parent: {} }, ours)).toEqual(refused); // a subframe
    expect(await call('settings:get', { url: 'https://evil.example/', parent: null }, ours)).toEqual(refused); // navigated away
    expect(await call('settings:get', { url: 'app://hearth/index.html', parent: null }, { id: 'another window' })).toEqual(refused);
    expect(await call('settings:get', { url: 'app://hearth/index.html', parent: null }, null)).toEqual(refused); // no window at all
    expect(await call('settings:get', null, ours)).toEqual(refused); // the frame is gone
    expect(handlers['settings:get']).toHaveBeenCalledTimes(1);
  });
});

describe('IPC in a development run', () => {
  it('answers the dev server’s pages when registered with its origin, and only those', async () => {
    const ours = { id: 'dev window' };
    const handlers = Object.fromEntries(INVOKE_CHANNELS.map((c) => [c, vi.fn(async () => ({ ok: true, value: c }))])) as unknown as InvokeHandlers;
    registerIpc(handlers, () => [ours as never], 'http://localhost:5173');
    const call = (url: string) => {
      FakeWindow.fromWebContents.mockReturnValueOnce(ours);
      return electron.ipcMain.handlers.get('settings:get')!({ senderFrame: { url, parent: null }, sender: {} }, null);
    };
    expect(await call('http://localhost:5173/')).toEqual({ ok: true, value: 'settings:get' });
    expect(await call('http://localhost:5174/')).toEqual({ ok: false, error: 'refused: not a Hearth window' });
  });
});

describe('windows', () => {
  beforeEach(() => (FakeWindow.created = []));

  it('are sandboxed, spell-check only when asked to (session included), and show when ready', () => {
    const window = createChatWindow({ preload: '/p/index.cjs', url: 'app://hearth/index.html', spellcheck: false }) as unknown as FakeWindow;
    expect(window.options.webPreferences).toMatchObject({ preload: '/p/index.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false, spellcheck: false });
    expect(window.webContents.session.setSpellCheckerEnabled).toHaveBeenCalledWith(false);
    expect(window.loaded).toEqual(['app://hearth/index.html']);
    expect(window.visible).toBe(false);
    window.emit('ready-to-show');
    expect(window.visible).toBe(true);
  });

  it('show an error page, never nothing, when the page fails to load (and the failed load is no unhandled rejection)', async () => {
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      FakeWindow.failLoads = true;
      const window = createChatWindow({ preload: '/p/index.cjs', url: 'app://hearth/index.html', spellcheck: false }) as unknown as FakeWindow;
      window.webContents.emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND', 'app://hearth/index.html', true);
      expect(window.visible).toBe(true);
      expect(window.loaded).toHaveLength(2);
      expect(decodeURIComponent(window.loaded[1]!)).toContain('Reinstalling Hearth');
      // The error page failing too does not loop.
      window.webContents.emit('did-fail-load', {}, -2, 'ERR_FAILED', window.loaded[1], true);
      expect(window.loaded).toHaveLength(2);
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      FakeWindow.failLoads = false;
      process.off('unhandledRejection', unhandled);
    }
  });

  it('ignore an aborted load (a reload replacing it) and subframes', () => {
    const window = createChatWindow({ preload: '/p/index.cjs', url: 'http://localhost:5173/index.html', spellcheck: true }) as unknown as FakeWindow;
    window.webContents.emit('did-fail-load', {}, -3, 'ERR_ABORTED', 'http://localhost:5173/index.html', true);
    window.webContents.emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND', 'http://localhost:5173/frame.html', false);
    expect(window.visible).toBe(false);
    expect(window.loaded).toHaveLength(1);
  });
});

describe('app:// handler', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-app-protocol-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Hearth</title>');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  serveAppProtocol(dir);
  const handler = electron.protocol.handlers.get('app')!;

  it('serves a file with the CSP, and answers a missing file with a 404 response, not a rejection', async () => {
    const found = await handler(new Request('app://hearth/index.html'));
    expect(found.status).toBe(200);
    expect(found.headers.get('Content-Security-Policy')).toBe(DESKTOP_CSP);
    expect(await found.text()).toContain('<title>Hearth</title>');
    const missing = await handler(new Request('app://hearth/assets/missing.js'));
    expect(missing.status).toBe(404);
    expect(missing.headers.get('Content-Security-Policy')).toBe(DESKTOP_CSP);
    expect(missing.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });

  it('answers 404 when the read itself fails', async () => {
    electron.net.fetch.mockRejectedValueOnce(new Error('net::ERR_FILE_NOT_FOUND'));
    expect((await handler(new Request('app://hearth/index.html'))).status).toBe(404);
  });
});
