// Windows with the Electron security checklist applied: isolated, sandboxed, no Node.
import { BrowserWindow } from 'electron';

export interface WindowOptions {
  preload: string;
  /** app://hearth/index.html, or the dev server's URL. */
  url: string;
}

export function createChatWindow(options: WindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1180,
    height: 780,
    minWidth: 720,
    minHeight: 480,
    title: 'Hearth',
    show: false,
    backgroundColor: '#17141b',
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
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
