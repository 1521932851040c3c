// A recording stand-in for the `electron` module, for running the built main bundle
// (out/main/index.js) under plain Node: Electron's binary cannot be downloaded here.
// electron-loader.ts maps `import … from 'electron'` to this file; the test drives it over the
// child's IPC channel (stub-protocol.ts) and reads back what the bundle did.
//
// It implements what main/index.ts and main/electron/* use, with Electron's rules where they
// matter (no window and no protocol.handle before ready, one handler per IPC channel, quit
// emits before-quit and honours preventDefault). Everything else is recorded, never faked:
// touching an API this file does not implement reports it (unknownApis), and the test fails
// naming it. To support a new API, implement it below, as faithfully as the test needs.
import { EventEmitter } from 'node:events';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVALUATED_HOOK, type AppResponse, type ChildMessage, type ControlEnvelope, type SenderSpec, type StubCall, type StubState, type StubWindow } from './stub-protocol.ts';

type Fn = (...args: never[]) => unknown;

// ---- recording ---------------------------------------------------------------------------

let seq = 0;
let isAppReady = false;
const calls: StubCall[] = [];
const unknownApis = new Set<string>();
const violations: string[] = [];
const unhandledRejections: string[] = [];

function send(message: ChildMessage, done?: () => void): void {
  if (process.send && process.connected) process.send(message, undefined, {}, done ?? (() => {}));
  else done?.();
}

/** JSON-safe copy of call arguments: functions and class instances become labels. */
function plain(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'function') return '[function]';
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? String(value) : value;
  if (seen.has(value) || depth > 8) return '[…]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => plain(v, depth + 1, seen));
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== Object.prototype && proto !== null) return `[${(value as object).constructor?.name ?? 'object'}]`;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v, depth + 1, seen)]));
}

function record(api: string, args: unknown[]): void {
  calls.push({ seq: ++seq, api, phase: isAppReady ? 'after-ready' : 'before-ready', args: plain(args) as unknown[] });
}

function violation(text: string): Error {
  violations.push(text);
  return new Error(text);
}

function noteUnknown(api: string): void {
  if (unknownApis.has(api)) return;
  unknownApis.add(api);
  process.stderr.write(`[electron stub] the bundle used ${api}, which test/desktop/support/electron-stub.ts does not implement\n`);
  send({ kind: 'unknown-api', api });
}

// Looked up by Node, Vitest's printing and promise resolution: never part of Electron's API.
const NOT_API = new Set<PropertyKey>(['then', 'toJSON', 'inspect', 'asymmetricMatch', '$$typeof', 'nodeType', '__esModule', 'constructor']);

/** `target` as the bundle sees it: a property the stub does not have is recorded and reads as undefined. */
function strict<T extends object>(name: string, target: T): T {
  return new Proxy(target, {
    get(obj, prop) {
      if (typeof prop === 'symbol' || NOT_API.has(prop) || prop in obj) return Reflect.get(obj, prop, obj);
      noteUnknown(`${name}.${prop}`);
      return undefined;
    },
  });
}

/** A module or class of Electron's the stub does not implement at all: any use is recorded. */
function unimplemented(name: string): unknown {
  const fn = function () {};
  return new Proxy(fn, {
    get(obj, prop) {
      if (typeof prop === 'symbol' || NOT_API.has(prop) || prop === 'prototype') return Reflect.get(obj, prop);
      noteUnknown(`${name}.${String(prop)}`);
      return undefined;
    },
    apply() {
      noteUnknown(`${name}()`);
      return undefined;
    },
    construct() {
      noteUnknown(`new ${name}()`);
      return strict(`${name} instance`, {});
    },
  });
}

/** An Electron event: preventDefault() is remembered. */
function electronEvent(name: string, extra: Record<string, unknown> = {}): { event: object; prevented(): boolean } {
  let prevented = false;
  const event = strict(`event '${name}'`, {
    ...extra,
    preventDefault: () => {
      prevented = true;
    },
    get defaultPrevented() {
      return prevented;
    },
  });
  return { event, prevented: () => prevented };
}

process.on('unhandledRejection', (reason) => {
  const text = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
  unhandledRejections.push(text);
  process.stderr.write(`[electron stub] unhandled rejection in the main process: ${text}\n`);
  send({ kind: 'unhandled-rejection', reason: text });
});

// ---- session, net, protocol ----------------------------------------------------------------

let permissionRequestHandler: Fn | null = null;
let permissionCheckHandler: Fn | null = null;
type VerifyProc = (request: Record<string, unknown>, callback: (verificationResult: number) => void) => void;
let certificateVerifyProc: VerifyProc | null = null;

class FakeSession extends EventEmitter {
  setPermissionRequestHandler(handler: Fn | null): void {
    record('session.setPermissionRequestHandler', [handler]);
    permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Fn | null): void {
    record('session.setPermissionCheckHandler', [handler]);
    permissionCheckHandler = handler;
  }
  setCertificateVerifyProc(proc: VerifyProc | null): void {
    record('session.setCertificateVerifyProc', [proc]);
    certificateVerifyProc = proc;
  }
  setSpellCheckerEnabled(enabled: boolean): void {
    record('session.setSpellCheckerEnabled', [enabled]);
  }
  setSpellCheckerLanguages(languages: string[]): void {
    record('session.setSpellCheckerLanguages', [languages]);
  }
  setSpellCheckerDictionaryDownloadURL(url: string): void {
    record('session.setSpellCheckerDictionaryDownloadURL', [url]);
  }
}
const defaultSession = strict('session.defaultSession', new FakeSession());

const session = strict('session', {
  get defaultSession() {
    if (!isAppReady) throw violation('session.defaultSession read before app ready (Electron: "Session can only be received when app is ready")');
    return defaultSession;
  },
});

// Chromium's types for file: URLs (net/base/mime_util.cc), which Electron's net.fetch reports.
const FILE_TYPES: Record<string, string> = {
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  js: 'text/javascript',
  mjs: 'text/javascript',
  json: 'application/json',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  ico: 'image/vnd.microsoft.icon',
  woff: 'font/woff',
  woff2: 'font/woff2',
  wasm: 'application/wasm',
  txt: 'text/plain',
};

/** Electron's net.fetch, for file: URLs only (the app reads its own files; tests never go out). */
async function netFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  record('net.fetch', [url, init]);
  if (!url.startsWith('file:')) throw violation(`net.fetch(${url}): the stub only reads file: URLs`);
  const path = fileURLToPath(url);
  // Chromium's file loader: a missing file is a network error, not a 404.
  const info = await stat(path).catch(() => undefined);
  if (!info || !info.isFile()) throw new TypeError(`net::ERR_FILE_NOT_FOUND: ${url}`);
  const type = FILE_TYPES[path.split('.').pop()?.toLowerCase() ?? ''];
  return new Response(await readFile(path), { status: 200, headers: type ? { 'Content-Type': type } : {} });
}
const net = strict('net', { fetch: netFetch });

const protocolHandlers = new Map<string, (request: Request) => Response | Promise<Response>>();
const protocol = strict('protocol', {
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    record('protocol.registerSchemesAsPrivileged', [schemes]);
    if (isAppReady) violation('protocol.registerSchemesAsPrivileged after app ready (Electron: only before ready)');
  },
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    record('protocol.handle', [scheme, handler]);
    if (!isAppReady) throw violation(`protocol.handle('${scheme}') before app ready`);
    if (protocolHandlers.has(scheme)) throw violation(`protocol.handle('${scheme}') twice`);
    protocolHandlers.set(scheme, handler);
  },
  unhandle(scheme: string): void {
    record('protocol.unhandle', [scheme]);
    protocolHandlers.delete(scheme);
  },
  isProtocolHandled(scheme: string): boolean {
    return protocolHandlers.has(scheme);
  },
});

/**
 * Chromium asking the session's verify proc about a certificate a server presented, as
 * Electron hands it over (a self-signed one: Chromium's own verdict is "authority invalid").
 * Resolves with what the proc answered; a proc that never answers is a failure.
 */
function verifyCertificate(hostname: string, pem: string): Promise<number> {
  const proc = certificateVerifyProc;
  if (!proc) throw new Error('no certificate verify proc is set: Chromium would use its own verdict');
  const certificate = strict('Certificate', { data: pem, issuerName: '', subjectName: '', serialNumber: '', validStart: 0, validExpiry: 0, fingerprint: '' });
  const request = strict('CertificateVerifyProcRequest', {
    hostname,
    certificate,
    validatedCertificate: certificate,
    isIssuedByKnownRoot: false,
    verificationResult: 'net::ERR_CERT_AUTHORITY_INVALID',
    errorCode: -202,
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the certificate verify proc did not answer within 5 s')), 5000);
    proc(request, (result) => {
      clearTimeout(timer);
      resolve(result);
    });
  });
}

/** A request through the registered handler, as Chromium would make it for an app:// URL. */
async function appRequest(url: string): Promise<Response> {
  const scheme = new URL(url).protocol.slice(0, -1);
  const handler = protocolHandlers.get(scheme);
  if (!handler) throw new Error(`net::ERR_UNKNOWN_URL_SCHEME (no handler for ${scheme}:)`);
  return handler(new Request(url));
}

// ---- windows --------------------------------------------------------------------------------

let nextWebContentsId = 1;
const windows: FakeBrowserWindow[] = [];
const windowOpenHandlers = new Map<FakeWebContents, Fn>();

class FakeWebFrame {
  url: string;
  parent: FakeWebFrame | null;
  constructor(url: string, parent: FakeWebFrame | null) {
    this.url = url;
    this.parent = parent;
  }
  get top(): FakeWebFrame {
    return this.parent ? this.parent.top : this;
  }
  get origin(): string {
    try {
      const parsed = new URL(this.url);
      return parsed.protocol === 'app:' ? `app://${parsed.host}` : parsed.origin;
    } catch {
      return 'null';
    }
  }
  isDestroyed(): boolean {
    return false;
  }
}

class FakeWebContents extends EventEmitter {
  readonly id = nextWebContentsId++;
  readonly session = defaultSession;
  owner: FakeBrowserWindow | undefined;
  currentUrl = '';
  destroyedFlag = false;
  send(channel: string, ...args: unknown[]): void {
    record('webContents.send', [channel]);
    if (this.destroyedFlag) throw violation(`webContents.send('${channel}') to a destroyed window`);
    send({ kind: 'sent', window: this.owner ? windows.indexOf(this.owner) : -1, channel, payload: plain(args[0]) });
  }
  setWindowOpenHandler(handler: Fn): void {
    record('webContents.setWindowOpenHandler', [handler]);
    windowOpenHandlers.set(this, handler);
  }
  getURL(): string {
    return this.currentUrl;
  }
  get mainFrame(): FakeWebFrame {
    return strict('webFrameMain', new FakeWebFrame(this.currentUrl, null));
  }
  isDestroyed(): boolean {
    return this.destroyedFlag;
  }
  loadURL(url: string): Promise<void> {
    record('webContents.loadURL', [url]);
    return load(this, url);
  }
}

interface WindowRecord {
  options: Record<string, unknown>;
  loads: StubWindow['loads'];
}
const windowRecords = new WeakMap<FakeBrowserWindow, WindowRecord>();

async function load(contents: FakeWebContents, url: string): Promise<void> {
  contents.currentUrl = url;
  const loads = contents.owner ? windowRecords.get(contents.owner)!.loads : [];
  const fail = (code: number, description: string): never => {
    loads.push({ url, status: 0, contentType: null, error: description });
    contents.emit('did-fail-load', electronEvent('did-fail-load').event, code, description, url, true, 0, 0);
    throw Object.assign(new Error(`${description} (${code}) loading '${url}'`), { code: description, errno: code, url });
  };
  await new Promise((r) => setImmediate(r));
  if (url.startsWith('app:')) {
    let response: Response;
    try {
      response = await appRequest(url);
    } catch (error) {
      return fail(-2, `ERR_FAILED: ${(error as Error).message}`);
    }
    await response.arrayBuffer();
    loads.push({ url, status: response.status, contentType: response.headers.get('content-type') });
  } else if (url.startsWith('http:') || url.startsWith('https:')) {
    // The dev server. Loopback only: a test never sends traffic anywhere else.
    if (!/^(127\.0\.0\.1|localhost|\[::1\])$/.test(new URL(url).hostname)) return fail(-2, `ERR_FAILED: the stub loads only loopback pages, not ${url}`);
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      await response.arrayBuffer();
    } catch {
      return fail(-102, 'ERR_CONNECTION_REFUSED');
    }
    loads.push({ url, status: response.status, contentType: response.headers.get('content-type') });
  } else if (url.startsWith('data:')) {
    loads.push({ url, status: 200, contentType: /^data:([^;,]*)/.exec(url)?.[1] || 'text/plain' });
  } else {
    return fail(-300, 'ERR_INVALID_URL');
  }
  if (contents.destroyedFlag) return;
  contents.emit('dom-ready', electronEvent('dom-ready').event);
  contents.emit('did-finish-load', electronEvent('did-finish-load').event);
  contents.owner?.emit('ready-to-show', electronEvent('ready-to-show').event);
}

class FakeBrowserWindow extends EventEmitter {
  readonly id: number;
  readonly webContents: FakeWebContents;
  visible = false;
  minimized = false;
  destroyedFlag = false;

  constructor(options: Record<string, unknown> = {}) {
    super();
    record('new BrowserWindow', [options]);
    if (!isAppReady) throw violation('new BrowserWindow before app ready (Electron: "Cannot create BrowserWindow before app is ready")');
    this.id = windows.length + 1;
    const contents = new FakeWebContents();
    this.webContents = strict('webContents', contents);
    // The bundle only ever holds the recording proxies: key everything by them.
    const self = strict('BrowserWindow instance', this);
    contents.owner = self;
    windowRecords.set(self, { options: plain(options) as Record<string, unknown>, loads: [] });
    windows.push(self);
    app.emit('web-contents-created', electronEvent('web-contents-created').event, this.webContents);
    return self;
  }
  static getAllWindows(): FakeBrowserWindow[] {
    return windows.filter((w) => !w.destroyedFlag);
  }
  static fromWebContents(contents: FakeWebContents): FakeBrowserWindow | null {
    return windows.find((w) => !w.destroyedFlag && w.webContents === contents) ?? null;
  }
  static getFocusedWindow(): FakeBrowserWindow | null {
    return windows.find((w) => !w.destroyedFlag && w.visible) ?? null;
  }
  loadURL(url: string): Promise<void> {
    record('BrowserWindow.loadURL', [url]);
    return load(this.webContents, url);
  }
  show(): void {
    record('BrowserWindow.show', []);
    this.visible = true;
    this.minimized = false;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {
    record('BrowserWindow.focus', []);
  }
  isVisible(): boolean {
    return this.visible;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  isDestroyed(): boolean {
    return this.destroyedFlag;
  }
  close(): void {
    record('BrowserWindow.close', []);
    const { event, prevented } = electronEvent('close');
    this.emit('close', event);
    if (!prevented()) this.destroy();
  }
  destroy(): void {
    if (this.destroyedFlag) return;
    this.destroyedFlag = true;
    this.webContents.destroyedFlag = true;
    this.webContents.emit('destroyed');
    this.emit('closed');
    if (!quitting && BrowserWindow.getAllWindows().length === 0) app.emit('window-all-closed', electronEvent('window-all-closed').event);
  }
}
const BrowserWindow = strict('BrowserWindow', FakeBrowserWindow);

function windowState(window: FakeBrowserWindow, index: number): StubWindow {
  const rec = windowRecords.get(window) ?? { options: {}, loads: [] };
  return {
    index,
    webContentsId: window.webContents.id,
    options: rec.options,
    url: window.webContents.currentUrl || undefined,
    loads: rec.loads,
    destroyed: window.destroyedFlag,
    visible: window.visible,
    windowListeners: window.eventNames().map(String),
    webContentsListeners: window.webContents.eventNames().map(String),
    hasWindowOpenHandler: windowOpenHandlers.has(window.webContents),
  };
}

// ---- app ------------------------------------------------------------------------------------

const stubHome = process.env['HEARTH_STUB_HOME'];
if (!stubHome) throw new Error('electron stub: HEARTH_STUB_HOME must name a temporary folder (no real profile is ever touched)');
const paths = new Map<string, string>();
let resolveReady: () => void = () => {};
const whenReadyPromise = new Promise<void>((resolve) => (resolveReady = resolve));
let quitting = false;
let emittingBeforeQuit = false;
let quitCalls = 0;
let beforeQuitEmitted = 0;

class FakeApp extends EventEmitter {
  readonly isPackaged = process.env['HEARTH_STUB_PACKAGED'] === '1';
  readonly commandLine = strict('app.commandLine', {
    appendSwitch: (name: string, value?: string) => record('app.commandLine.appendSwitch', [name, value]),
    appendArgument: (value: string) => record('app.commandLine.appendArgument', [value]),
    hasSwitch: () => false,
    getSwitchValue: () => '',
  });
  whenReady(): Promise<void> {
    return whenReadyPromise;
  }
  isReady(): boolean {
    return isAppReady;
  }
  requestSingleInstanceLock(): boolean {
    record('app.requestSingleInstanceLock', []);
    return true;
  }
  getPath(name: string): string {
    return paths.get(name) ?? join(stubHome!, name);
  }
  setPath(name: string, path: string): void {
    record('app.setPath', [name, path]);
    paths.set(name, path);
  }
  setAppUserModelId(id: string): void {
    record('app.setAppUserModelId', [id]);
  }
  quit(): void {
    record('app.quit', []);
    quitCalls++;
    if (quitting || emittingBeforeQuit) return;
    const before = electronEvent('before-quit');
    beforeQuitEmitted++;
    emittingBeforeQuit = true;
    try {
      this.emit('before-quit', before.event);
    } finally {
      emittingBeforeQuit = false;
    }
    if (before.prevented()) return;
    quitting = true;
    for (const window of BrowserWindow.getAllWindows()) window.destroy();
    const willQuit = electronEvent('will-quit');
    this.emit('will-quit', willQuit.event);
    if (willQuit.prevented()) {
      quitting = false;
      return;
    }
    this.emit('quit', electronEvent('quit').event, 0);
    finish('quit', 0);
  }
  exit(code = 0): void {
    record('app.exit', [code]);
    quitting = true;
    finish('exit', code);
  }
}
const app = strict('app', new FakeApp());

let finished = false;
/** Where Electron ends the process: whatever the app did not finish before quitting is lost, here too. */
function finish(how: 'quit' | 'exit', code: number): void {
  if (finished) return;
  finished = true;
  send({ kind: 'quit', how, code, state: snapshot() }, () => process.exit(code));
}

// ---- the rest of the main-process API -------------------------------------------------------

const ipcHandlers = new Map<string, Fn>();
class FakeIpcMain extends EventEmitter {
  handle(channel: string, handler: Fn): void {
    record('ipcMain.handle', [channel]);
    if (ipcHandlers.has(channel)) throw violation(`ipcMain.handle('${channel}') twice (Electron: "Attempted to register a second handler")`);
    ipcHandlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    ipcHandlers.delete(channel);
  }
}
const ipcMain = strict('ipcMain', new FakeIpcMain());

let applicationMenu: unknown = null;
class FakeMenu {
  readonly items: unknown[];
  constructor(items: unknown[] = []) {
    this.items = items;
  }
  static buildFromTemplate(template: unknown[]): unknown {
    record('Menu.buildFromTemplate', [template]);
    return strict('Menu instance', new FakeMenu(template));
  }
  static setApplicationMenu(menu: unknown): void {
    record('Menu.setApplicationMenu', [menu]);
    applicationMenu = menu;
  }
  static getApplicationMenu(): unknown {
    return applicationMenu;
  }
}
const Menu = strict('Menu', FakeMenu);

const shell = strict('shell', {
  openExternal: async (url: string) => {
    // Recorded only: a test never opens a browser.
    record('shell.openExternal', [url]);
  },
});

const powerMonitor = strict('powerMonitor', new EventEmitter());

const errorBoxes: string[] = [];
const dialog = strict('dialog', {
  showErrorBox(title: string, content: string): void {
    record('dialog.showErrorBox', [title, content]);
    errorBoxes.push(`${title}: ${content}`);
    process.stderr.write(`[electron stub] error box: ${title}: ${content}\n`);
  },
});

const implemented: Record<string, unknown> = { app, BrowserWindow, dialog, ipcMain, Menu, net, powerMonitor, protocol, session, shell };

/** What `import { name } from 'electron'` gives the bundle (electron-loader.ts generates the exports). */
export function electronExport(name: string): unknown {
  return implemented[name] ?? unimplemented(name);
}

// ---- state and control ------------------------------------------------------------------------

function snapshot(): StubState {
  return {
    ready: isAppReady,
    calls,
    unknownApis: [...unknownApis],
    violations,
    unhandledRejections,
    errorBoxes,
    windows: windows.map(windowState),
    ipcHandlers: [...ipcHandlers.keys()],
    handledProtocols: [...protocolHandlers.keys()],
    appListeners: app.eventNames().map(String),
    powerMonitorListeners: powerMonitor.eventNames().map(String),
    session: {
      permissionRequestHandler: permissionRequestHandler !== null,
      permissionCheckHandler: permissionCheckHandler !== null,
      certificateVerifyProc: certificateVerifyProc !== null,
    },
    quit: { calls: quitCalls, beforeQuitEmitted, done: quitting },
  };
}

function senderOf(spec: SenderSpec = {}): { contents: FakeWebContents; url: string } {
  if (spec.window === 'foreign') {
    const contents = strict('webContents', new FakeWebContents());
    return { contents, url: spec.url ?? 'app://hearth/index.html' };
  }
  const window = windows[spec.window ?? 0];
  if (!window) throw new Error(`no window #${spec.window ?? 0}`);
  return { contents: window.webContents, url: spec.url ?? window.webContents.currentUrl };
}

async function invoke(channel: string, args: unknown, spec: SenderSpec = {}): Promise<unknown> {
  const handler = ipcHandlers.get(channel);
  // What ipcRenderer.invoke gets when nothing handles the channel.
  if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
  const { contents, url } = senderOf(spec);
  const top = new FakeWebFrame(url, null);
  const frame = spec.mainFrame === false ? new FakeWebFrame(url, top) : top;
  const { event } = electronEvent(`ipc ${channel}`, { sender: contents, senderFrame: strict('webFrameMain', frame), processId: 1, frameId: 1 });
  return (handler as (event: unknown, args: unknown) => unknown)(event, args);
}

function emitter(target: Extract<ControlEnvelope, { op: 'emit' }>['target']): EventEmitter {
  if (target === 'app') return app;
  if (target === 'powerMonitor') return powerMonitor;
  const index = 'window' in target ? target.window : target.webContents;
  const window = windows[index];
  if (!window) throw new Error(`no window #${index}`);
  return 'window' in target ? window : window.webContents;
}

async function control(request: ControlEnvelope): Promise<unknown> {
  switch (request.op) {
    case 'ready':
      if (!isAppReady) {
        app.emit('will-finish-launching');
        isAppReady = true;
        // Electron creates the default session while getting ready.
        app.emit('session-created', defaultSession);
        app.emit('ready', electronEvent('ready').event, {});
        resolveReady();
      }
      return null;
    case 'state':
      return snapshot();
    case 'invoke':
      return invoke(request.channel, request.args, request.sender);
    case 'emit': {
      const { event, prevented } = electronEvent(request.event);
      emitter(request.target).emit(request.event, event, ...(request.args ?? []));
      return { prevented: prevented() };
    }
    case 'window-open': {
      const window = windows[request.window];
      const handler = window && windowOpenHandlers.get(window.webContents);
      if (!handler) throw new Error(`window #${request.window} has no window open handler`);
      return (handler as (details: unknown) => unknown)({ url: request.url, frameName: '', features: '', disposition: 'new-window', referrer: { url: '', policy: 'default' } });
    }
    case 'app-request': {
      const response = await appRequest(request.url);
      const reply: AppResponse = {
        status: response.status,
        headers: [...response.headers.entries()],
        body: Buffer.from(await response.arrayBuffer()).toString('base64'),
      };
      return reply;
    }
    case 'verify-certificate':
      return verifyCertificate(request.hostname, request.pem);
    case 'quit':
      app.quit();
      return snapshot().quit;
    case 'exit':
      return null;
  }
}

process.on('message', (message) => {
  const request = message as ControlEnvelope;
  // Leave only once the reply is on its way.
  const then = request.op === 'exit' ? () => process.exit(request.code ?? 0) : undefined;
  control(request).then(
    (value) => send({ kind: 'reply', id: request.id, ok: true, value: value ?? null }, then),
    (error: unknown) => send({ kind: 'reply', id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) }, then),
  );
});

// The test is gone (its IPC channel closed): so is this process, whatever it was doing.
process.on('disconnect', () => process.exit(0));

// Called by the line electron-loader.ts appends to the main module: it has evaluated.
(globalThis as Record<string, unknown>)[EVALUATED_HOOK] = () => send({ kind: 'evaluated' });
