// The built main process, out/main/index.js, exactly as electron-builder packages it, run
// under Node 24 with `electron` mapped to a recording stub (support/electron-stub.ts): the
// Electron binary cannot be downloaded here. Proves what the bundle does with Electron (the
// app:// scheme, its windows, its IPC, its quit) and that its own imports (node:sqlite, ws,
// bonjour-service, valibot) resolve from the bundle. Loopback only; nothing multicasts.
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS, type HostingInfo, type Result } from '../../common/ipc.ts';
import { slug } from '../../main/services/services.ts';
import { HISTORY_FILE } from '../../main/host/history-file.ts';
import { readFileSync } from 'node:fs';
import { CERT_FILE, loadOrCreateIdentity, type LoadedIdentity } from '../../main/host/identity.ts';
import { FrameClient, startTestHost, tempDir, until } from '../support/host.ts';
import { BundleProcess, PRELOAD_BUNDLE, requireBuild, unknownApiMessage, within } from './support/bundle.ts';
import type { StubState, StubWindow } from './support/stub-protocol.ts';

const ROOM = 'Smoke room';
const MESSAGE = 'Hello from the built bundle';

/** The hardening every window of the app gets (main/electron/windows.ts). */
function expectHardened(window: StubWindow): void {
  const prefs = window.options['webPreferences'] as Record<string, unknown> | undefined;
  expect(prefs, `window #${window.index} has no webPreferences`).toBeDefined();
  expect(prefs).toMatchObject({
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
  });
  expect(prefs!['experimentalFeatures'] ?? false).toBe(false);
  expect(prefs!['enableBlinkFeatures'] ?? '').toBe('');
  const preload = prefs!['preload'];
  expect(typeof preload).toBe('string');
  expect(isAbsolute(preload as string)).toBe(true);
  expect(resolve(preload as string)).toBe(PRELOAD_BUNDLE);
  expect(existsSync(preload as string), `preload ${String(preload)} does not exist`).toBe(true);
}

/**
 * Chromium's spellchecker fetches dictionaries from Google's CDN on Windows and Linux, and
 * Hearth must work without internet: off, or pointed at dictionaries that are not online.
 */
function expectOfflineSpellcheck(window: StubWindow, state: StubState): void {
  const spellcheck = (window.options['webPreferences'] as Record<string, unknown>)['spellcheck'];
  const localDictionary = state.calls.some((c) => c.api === 'session.setSpellCheckerDictionaryDownloadURL' && !/^https?:/i.test(String(c.args[0])));
  expect(spellcheck === false || localDictionary, `window #${window.index}: spellcheck is ${String(spellcheck)}, with dictionaries from the internet`).toBe(true);
}

describe('out/main/index.js under Node with a recording electron', { timeout: 30_000 }, () => {
  let app: BundleProcess;
  let beforeReady: StubState;
  let hosting: HostingInfo;
  const clients: FrameClient[] = [];

  beforeAll(async () => {
    requireBuild();
    app = await BundleProcess.launch({ packaged: true });
    beforeReady = await app.state();
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await app?.stop();
  });

  afterEach(() => {
    expect(app.unknownApis, unknownApiMessage(app.unknownApis)).toEqual([]);
    expect(app.unhandledRejections, `unhandled rejections in the main process:\n${app.unhandledRejections.join('\n')}`).toEqual([]);
  });

  it('registers app:// once, before ready, with exactly the intended privileges', () => {
    expect(beforeReady.ready).toBe(false);
    const registrations = beforeReady.calls.filter((c) => c.api === 'protocol.registerSchemesAsPrivileged');
    expect(registrations).toHaveLength(1);
    expect(registrations[0]!.phase).toBe('before-ready');
    // standard + secure: a real origin (app://hearth) that counts as secure; fetch for the
    // renderer's own files. Nothing that loosens the policy (bypassCSP, corsEnabled, …).
    expect(registrations[0]!.args).toEqual([[{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]]);
    expect(beforeReady.windows).toEqual([]);
    expect(beforeReady.handledProtocols).toEqual([]);
    expect(beforeReady.violations).toEqual([]);
  });

  it('after ready, serves app:// from the real handler and opens the chat window, hardened, with an existing preload', async () => {
    const state = await app.readyAndOpen();
    expect(state.violations).toEqual([]);
    expect(state.errorBoxes).toEqual([]);
    expect(state.calls.filter((c) => c.api === 'protocol.registerSchemesAsPrivileged')).toHaveLength(1);
    expect(state.handledProtocols).toEqual(['app']);
    expect(state.windows).toHaveLength(1);
    const chat = state.windows[0]!;
    expect(chat.url).toBe('app://hearth/index.html');
    expect(chat.loads).toEqual([{ url: 'app://hearth/index.html', status: 200, contentType: 'text/html' }]);
    expectHardened(chat);
  });

  it('keeps the spellchecker off the internet', async () => {
    const state = await app.state();
    expectOfflineSpellcheck(state.windows[0]!, state);
  });

  it('guards its windows: navigation stopped, new windows denied (http(s) to the browser), permission handlers set', async () => {
    const state = await app.state();
    const chat = state.windows[0]!;
    expect(chat.webContentsListeners).toEqual(expect.arrayContaining(['will-navigate', 'will-redirect', 'will-attach-webview']));
    for (const [event, url] of [
      ['will-navigate', 'https://evil.example/'],
      ['will-navigate', 'app://hearth/dashboard.html'],
      ['will-redirect', 'file:///etc/passwd'],
    ] as const) {
      const { prevented } = await app.request<{ prevented: boolean }>({ op: 'emit', target: { webContents: 0 }, event, args: [url] });
      expect(prevented, `${event} ${url}`).toBe(true);
    }
    expect(chat.hasWindowOpenHandler).toBe(true);
    expect(await app.request({ op: 'window-open', window: 0, url: 'https://example.org/page' })).toEqual({ action: 'deny' });
    expect(await app.request({ op: 'window-open', window: 0, url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    const opened = (await app.state()).calls.filter((c) => c.api === 'shell.openExternal').map((c) => c.args[0]);
    expect(opened).toEqual(['https://example.org/page']);
    expect(state.session).toEqual({ permissionRequestHandler: true, permissionCheckHandler: true, certificateVerifyProc: true });
  });

  const identities = tempDir('hearth-bundle-identities-');
  let roomA: LoadedIdentity;
  let other: LoadedIdentity;
  const verify = (hostname: string, pem: string) => app.request<number>({ op: 'verify-certificate', hostname, pem });

  it('checks every certificate the renderer meets against what it pinned: 0 accepts, -2 refuses, -3 leaves it to Chromium', async () => {
    const state = await app.state();
    const installed = state.calls.filter((c) => c.api === 'session.setCertificateVerifyProc');
    expect(installed.length).toBeGreaterThan(0);
    expect(installed.every((c) => c.phase === 'after-ready' && c.args[0] === '[function]')).toBe(true);
    roomA = await loadOrCreateIdentity(join(identities.path, 'a'));
    other = await loadOrCreateIdentity(join(identities.path, 'other'));
    const room = await startTestHost({ tls: { key: roomA.key, cert: roomA.cert } });
    try {
      // Nothing pinned yet: Chromium's own verdict (which refuses a self-signed certificate).
      expect(await verify('127.0.0.1', roomA.cert)).toBe(-3);
      // The renderer asks before it joins: the host's certificate is pinned for its wss connection.
      expect(await app.invoke('room:identity', { host: '127.0.0.1', port: room.port })).toEqual({ ok: true, value: { kind: 'first-use', fingerprint: roomA.fingerprint } });
    } finally {
      await room.dispose();
    }
    expect(await verify('127.0.0.1', roomA.cert)).toBe(0);
    expect(await verify('127.0.0.1', other.cert)).toBe(-2);
    expect(await verify('example.org', other.cert)).toBe(-3);
  });

  it('handles every IPC channel of common/ipc.ts, once, and no other', async () => {
    const state = await app.state();
    expect([...state.ipcHandlers].sort()).toEqual([...INVOKE_CHANNELS].sort());
    const registered = state.calls.filter((c) => c.api === 'ipcMain.handle').map((c) => c.args[0]);
    expect(registered).toHaveLength(INVOKE_CHANNELS.length);
    for (const channel of ['host:status', 'rooms:list', 'settings:get', 'dashboard:get']) {
      expect(await app.invoke(channel, null), channel).toMatchObject({ ok: true });
    }
  });

  it('answers only the main frame of its own app:// windows', async () => {
    for (const sender of [
      { url: 'https://evil.example/' },
      // A packaged app trusts no dev server.
      { url: 'http://localhost:5173/' },
      { mainFrame: false },
      { window: 'foreign' as const },
    ]) {
      expect(await app.invoke('settings:get', null, sender), JSON.stringify(sender)).toEqual({ ok: false, error: expect.stringMatching(/refused/) });
    }
    expect(await app.invoke('settings:get', null)).toMatchObject({ ok: true });
  });

  it('hosts a real room from its start-hosting handler: /health answers, people join and chat', async () => {
    const result = await app.invoke<Result<HostingInfo>>('host:start', { room: ROOM, port: 0 });
    if (!result.ok) throw new Error(`host:start failed: ${result.error}`);
    hosting = result.value;
    expect(hosting.localUrl).toBe(`http://127.0.0.1:${hosting.port}/`);
    const health = await fetch(`http://127.0.0.1:${hosting.port}/health`, { signal: AbortSignal.timeout(5000) });
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, app: 'hearth', room: ROOM });

    const url = `ws://127.0.0.1:${hosting.port}/ws`;
    const alice = await FrameClient.join(url, 'Alice');
    clients.push(alice);
    const bob = await FrameClient.join(url, 'Bob');
    clients.push(bob);
    alice.send({ type: 'chat', id: 'smoke-1', text: MESSAGE });
    expect((await bob.next('message')).message.text).toBe(MESSAGE);
    // The window was told (webContents.send), as the renderer needs.
    await until(() => app.sent.some((s) => s.window === 0 && s.channel === 'host:changed' && (s.payload as HostingInfo | null)?.port === hosting.port), 5000, 'host:changed to reach the window');
  });

  it('pins its own room for its own window, in place of the room it pinned before at that name (each connection is checked, and pinned, first)', async () => {
    const own = readFileSync(join(app.userData, CERT_FILE), 'utf8');
    for (const hostname of ['127.0.0.1', 'localhost', '[::1]', '::1']) expect(await verify(hostname, own), hostname).toBe(0);
    expect(await verify('127.0.0.1', roomA.cert)).toBe(-2);
    expect(await verify('localhost', other.cert)).toBe(-2);
    identities.remove();
  });

  it('opens the dashboard in a second window, hardened the same way', async () => {
    expect(await app.invoke('dashboard:open', null)).toEqual({ ok: true, value: null });
    const state = await app.waitForState((s) => (s.windows[1]?.loads.length ?? 0) > 0, 'the dashboard window to load');
    const dashboard = state.windows[1]!;
    expect(dashboard.loads).toEqual([{ url: 'app://hearth/dashboard.html', status: 200, contentType: 'text/html' }]);
    expectHardened(dashboard);
    expectOfflineSpellcheck(dashboard, state);
  });

  it('on quit, stops hosting first (goodbye to everyone, history flushed), then quits', async () => {
    const [alice, bob] = clients;
    const first = await app.request<StubState['quit']>({ op: 'quit' }).catch((error: Error) => {
      throw new Error(`the app quit at once, without waiting for hosting to stop (before-quit not held off): ${error.message}`, { cause: error });
    });
    // before-quit was held off (preventDefault) while hosting stops…
    expect(first.done).toBe(false);
    // …and app.quit() called again once it has: the stub, like Electron, ends the process there.
    const report = await within(app.quitReport, 10_000, `the app to quit${app.describe()}`);
    expect(report.how).toBe('quit');
    expect(report.state.quit.calls).toBeGreaterThanOrEqual(2);
    expect(report.state.violations).toEqual([]);
    expect(await within(app.exited, 5000, 'the main process to end')).toEqual({ code: 0, signal: null });

    for (const client of [alice!, bob!]) expect(await client.waitClosed(5000)).toEqual({ code: 1001, reason: 'host stopped' });
    const file = join(app.userData, 'rooms', slug(ROOM), HISTORY_FILE);
    expect(existsSync(file), file).toBe(true);
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      const texts = (db.prepare('SELECT text FROM messages').all() as Array<{ text: string }>).map((row) => row.text);
      expect(texts).toContain(MESSAGE);
    } finally {
      db.close();
    }
  });
});

// Windows ends a session without before-quit, and a system shutdown may not wait for one:
// hosting must still stop (goodbye, history flushed) before the process ends.
describe.each([
  { trigger: 'the system shutting down (powerMonitor shutdown)', target: 'powerMonitor' as const, event: 'shutdown' },
  { trigger: 'the Windows session ending (BrowserWindow session-end)', target: { window: 0 }, event: 'session-end' },
  { trigger: 'Windows asking whether the session may end (BrowserWindow query-session-end)', target: { window: 0 }, event: 'query-session-end' },
])('out/main/index.js, on $trigger', ({ target, event }) => {
  let app: BundleProcess;
  let client: FrameClient | undefined;

  beforeAll(async () => {
    requireBuild();
    app = await BundleProcess.launch({ packaged: true });
    await app.readyAndOpen();
  });

  afterAll(async () => {
    client?.close();
    await app?.stop();
  });

  it('stops hosting, says goodbye and quits', async () => {
    const room = `Ending ${event}`;
    const result = await app.invoke<Result<HostingInfo>>('host:start', { room, port: 0 });
    if (!result.ok) throw new Error(`host:start failed: ${result.error}`);
    client = await FrameClient.join(`ws://127.0.0.1:${result.value.port}/ws`, 'Carol');
    client.send({ type: 'chat', id: 'last-words', text: 'before the lights go out' });
    await client.next('ack');
    await app.request({ op: 'emit', target, event });
    const report = await within(app.quitReport, 10_000, `the app to quit after ${event}${app.describe()}`);
    expect(report.how).toBe('quit');
    expect(await client.waitClosed(5000)).toEqual({ code: 1001, reason: 'host stopped' });
    expect(app.unknownApis, unknownApiMessage(app.unknownApis)).toEqual([]);
    expect(app.unhandledRejections).toEqual([]);
    const db = new DatabaseSync(join(app.userData, 'rooms', slug(room), HISTORY_FILE), { readOnly: true });
    try {
      expect(db.prepare('SELECT text FROM messages').all()).toEqual([{ text: 'before the lights go out' }]);
    } finally {
      db.close();
    }
  });
});
