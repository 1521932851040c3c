// Windows with the Electron security checklist applied: isolated, sandboxed, no Node.
import { BrowserWindow } from 'electron';
import { join } from 'node:path';

export interface WindowPaths {
  preload: string;
  /** Dev server URL, or undefined to load the built files. */
  devServerUrl: string | undefined;
  rendererDir: string;
}

export function createChatWindow(paths: WindowPaths): BrowserWindow {
  const window = new BrowserWindow({
    width: 1100,
    height: 740,
    minWidth: 720,
    minHeight: 480,
    title: 'Hearth',
    show: false,
    backgroundColor: '#1b1a1f',
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: true,
    },
  });
  window.once('ready-to-show', () => window.show());
  if (paths.devServerUrl) void window.loadURL(paths.devServerUrl);
  else void window.loadFile(join(paths.rendererDir, 'index.html'));
  return window;
}
