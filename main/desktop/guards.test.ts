// The Electron wiring of the security checklist, against a stand-in for the electron module
// (its binary cannot be downloaded on these machines, so the real one cannot load here).
// The decisions are tested in main/app/trust.test.ts; this proves they are hooked up:
// navigation, redirects and webviews stopped, new windows denied, permissions filtered,
// and IPC answered only for the main frame of our own app:// windows.
import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS, type InvokeHandlers } from '../../common/ipc.ts';

const electron = vi.hoisted(() => ({
  app: null as unknown as EventEmitter,
  shell: { openExternal: vi.fn(async () => {}) },
  ipcMain: { handlers: new Map<string, (event: unknown, args: unknown) => Promise<unknown>>(), handle(channel: string, fn: (event: unknown, args: unknown) => Promise<unknown>) { this.handlers.set(channel, fn); } },
  BrowserWindow: { fromWebContents: vi.fn() },
}));
vi.mock('electron', () => electron);

const { installSecurityGuards } = await import('./security.ts');
const { registerIpc } = await import('./ipc.ts');

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

  it('grants notifications and refuses every other permission, asked or checked', () => {
    const contents = fakeContents();
    electron.app.emit('web-contents-created', {}, contents);
    const answers: Record<string, boolean> = {};
    for (const permission of ['notifications', 'media', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen']) {
      contents.session.request!({}, permission, (ok) => (answers[permission] = ok));
      expect(contents.session.check!({}, permission)).toBe(permission === 'notifications');
    }
    expect(answers).toEqual({ notifications: true, media: false, geolocation: false, 'clipboard-read': false, openExternal: false, fullscreen: false });
  });
});

describe('IPC', () => {
  const ours = { id: 'our window' };
  const handlers = Object.fromEntries(INVOKE_CHANNELS.map((c) => [c, vi.fn(async () => ({ ok: true, value: c }))])) as unknown as InvokeHandlers;
  registerIpc(handlers, () => [ours as never]);

  function call(channel: string, frame: { url: string; parent: unknown } | null, window: unknown) {
    electron.BrowserWindow.fromWebContents.mockReturnValueOnce(window);
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
