// Windows with the Electron security checklist applied: isolated, sandboxed, no Node.
import { BrowserWindow } from 'electron';

export interface WindowOptions {
  preload: string;
  /** app://hearth/index.html, or the dev server's URL. */
  url: string;
}

export function createChatWindow(options: WindowOptions): BrowserWindow {
  return secureWindow(options, { width: 1180, height: 780, minWidth: 720, minHeight: 480, title: 'Hearth' });
}

/** The host's dashboard: a second window, closed and reopened freely while hosting. */
export function createDashboardWindow(options: WindowOptions): BrowserWindow {
  return secureWindow(options, { width: 1320, height: 860, minWidth: 900, minHeight: 600, title: 'Hearth — Dashboard' });
}

function secureWindow(options: WindowOptions, size: { width: number; height: number; minWidth: number; minHeight: number; title: string }): BrowserWindow {
  const window = new BrowserWindow({
    ...size,
    show: false,
    backgroundColor: '#17141b',
    webPreferences: {
      preload: options.preload, // eng-disable PRELOAD_JS_CHECK: ours, exposes common/ipc.ts only (docs/security.md)
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      // A middle click would ask for a new window (denied anyway): do not even ask.
      disableBlinkFeatures: 'Auxclick',
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: true,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.url);
  return window;
}
