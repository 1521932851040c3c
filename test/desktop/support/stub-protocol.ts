// What the test and the recording electron stub (electron-stub.ts, inside the child process
// that runs the built main bundle) say to each other over the child's IPC channel.

/** One call the bundle made into an electron API the stub implements. */
export interface StubCall {
  seq: number;
  /** e.g. "protocol.registerSchemesAsPrivileged", "BrowserWindow#1.loadURL". */
  api: string;
  /** Whether app was ready yet (Electron refuses some calls before, others after). */
  phase: 'before-ready' | 'after-ready';
  /** The arguments, JSON-safe: functions become "[function]". */
  args: unknown[];
}

export interface StubLoad {
  url: string;
  /** HTTP status from the app:// handler; 0 when the load failed before any response. */
  status: number;
  contentType: string | null;
  error?: string;
}

export interface StubWindow {
  /** Creation order: 0 is the first window (the chat window). */
  index: number;
  webContentsId: number;
  /** The BrowserWindow constructor's options, JSON-safe. */
  options: Record<string, unknown>;
  /** The last URL loaded (what the window shows). */
  url: string | undefined;
  loads: StubLoad[];
  destroyed: boolean;
  /** Shown (show() called since it was created hidden). */
  visible: boolean;
  windowListeners: string[];
  webContentsListeners: string[];
  hasWindowOpenHandler: boolean;
}

export interface StubState {
  ready: boolean;
  calls: StubCall[];
  /** electron APIs the bundle touched that the stub does not implement. */
  unknownApis: string[];
  /** Calls real Electron refuses (a window before ready, protocol.handle before ready, …). */
  violations: string[];
  /** Unhandled promise rejections in the main process. */
  unhandledRejections: string[];
  /** dialog.showErrorBox calls: "title: content". */
  errorBoxes: string[];
  windows: StubWindow[];
  ipcHandlers: string[];
  handledProtocols: string[];
  appListeners: string[];
  powerMonitorListeners: string[];
  session: { permissionRequestHandler: boolean; permissionCheckHandler: boolean; certificateVerifyProc: boolean };
  quit: { calls: number; beforeQuitEmitted: number; done: boolean };
}

/** Who an IPC call comes from: one of the app's windows (by creation order) or a stranger. */
export interface SenderSpec {
  /** Index in creation order (0: the chat window), or "foreign": a web contents that is no window of ours. */
  window?: number | 'foreign';
  /** The sending frame's URL; defaults to what the window shows. */
  url?: string;
  /** Defaults to true. */
  mainFrame?: boolean;
}

export interface AppResponse {
  status: number;
  headers: Array<[string, string]>;
  /** base64 */
  body: string;
}

export type ControlRequest =
  | { op: 'ready' }
  | { op: 'state' }
  | { op: 'invoke'; channel: string; args: unknown; sender?: SenderSpec }
  /** Emit an event as Electron would (window: creation index); replies whether a listener called preventDefault. */
  | { op: 'emit'; target: 'app' | 'powerMonitor' | { window: number } | { webContents: number }; event: string; args?: unknown[] }
  | { op: 'window-open'; window: number; url: string }
  | { op: 'app-request'; url: string }
  /** Chromium verifying a server's certificate (PEM) for `hostname`: replies with the verify proc's answer (0, -2, -3). */
  | { op: 'verify-certificate'; hostname: string; pem: string }
  | { op: 'quit' }
  | { op: 'exit'; code?: number };

export type ChildMessage =
  | { kind: 'evaluated' }
  | { kind: 'unknown-api'; api: string }
  | { kind: 'unhandled-rejection'; reason: string }
  | { kind: 'sent'; window: number; channel: string; payload: unknown }
  /** Electron would end the process here; the stub does, right after sending this. */
  | { kind: 'quit'; how: 'quit' | 'exit'; code: number; state: StubState }
  | { kind: 'reply'; id: number; ok: true; value: unknown }
  | { kind: 'reply'; id: number; ok: false; error: string };

/** A request as sent: with the id its reply carries. */
export type ControlEnvelope = ControlRequest & { id: number };

/** The global the loader's appended line calls once the main module has evaluated. */
export const EVALUATED_HOOK = '__hearthElectronStubEvaluated';
