// Windows with the Electron security checklist applied: isolated, sandboxed, no Node.
import { BrowserWindow } from 'electron';
import { isWindowLoadFailure, loadErrorPage } from '../services/load-error.ts';

export interface WindowOptions {
  preload: string;
  /** app://hearth/index.html, or the dev server's page in a development run. */
  url: string;
  /** Only where the checker is local (main/services/platform.ts: spellcheckIsLocal). */
  spellcheck: boolean;
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
      spellcheck: options.spellcheck,
    },
  });
  // The session downloads Hunspell dictionaries even when no page asks for spell-checking.
  window.webContents.session.setSpellCheckerEnabled(options.spellcheck);
  window.once('ready-to-show', () => window.show());
  // A page that fails to load may never be ready to show: show the window with an error
  // page rather than leave a running app with no window.
  window.webContents.on('did-fail-load', (_event, errorCode, description, url, isMainFrame) => {
    if (!isWindowLoadFailure(errorCode, isMainFrame)) return;
    if (!window.isVisible()) window.show();
    if (url.startsWith('data:')) return; // the error page itself: nothing better to show
    void window.loadURL(loadErrorPage({ url, errorCode, description })).catch(() => {});
  });
  // loadURL also rejects when the load fails: did-fail-load above is what answers it.
  void window.loadURL(options.url).catch(() => {});
  return window;
}
