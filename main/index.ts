// Electron entry: one instance, one chat window, security guards on everything.
import { app, BrowserWindow } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installSecurityGuards } from './desktop/security.ts';
import { createChatWindow } from './desktop/windows.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const paths = {
  preload: join(here, '../preload/index.cjs'),
  rendererDir: join(here, '../renderer'),
  devServerUrl: process.env['ELECTRON_RENDERER_URL'],
};

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  installSecurityGuards();
  let chat: BrowserWindow | undefined;
  app.on('second-instance', () => {
    if (!chat) return;
    if (chat.isMinimized()) chat.restore();
    chat.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) chat = createChatWindow(paths);
  });
  void app.whenReady().then(() => {
    chat = createChatWindow(paths);
  });
}
