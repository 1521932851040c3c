// Electron entry: one instance, one chat window, the desktop services behind IPC, and a
// quit that stops hosting cleanly (goodbye on the LAN, history flushed).
import { app, BrowserWindow } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppServices } from './app/services.ts';
import { APP_ORIGIN, registerAppScheme, serveAppProtocol } from './desktop/app-protocol.ts';
import { broadcast, registerIpc } from './desktop/ipc.ts';
import { buildMenu } from './desktop/menu.ts';
import { installSecurityGuards } from './desktop/security.ts';
import { createChatWindow, createDashboardWindow } from './desktop/windows.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererDir = join(here, '../renderer');
const preload = join(here, '../preload/index.cjs');
const devServerUrl = process.env['ELECTRON_RENDERER_URL'];

registerAppScheme();
// The hosted room lives in this process: a small young generation keeps its memory near
// what the room needs (measured with `npm run bench`, see README).
app.commandLine.appendSwitch('js-flags', '--max-semi-space-size=4'); // eng-disable CUSTOM_ARGUMENTS_JS_CHECK: a V8 memory setting (docs/security.md)
// Tests (Playwright's electron project) keep their own profile and stay off the LAN.
if (process.env['HEARTH_USER_DATA']) app.setPath('userData', process.env['HEARTH_USER_DATA']);
const mdns = process.env['HEARTH_NO_MDNS'] !== '1';

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // In development the renderer comes from the Vite dev server: let it join our own rooms.
  const allowedOrigins = devServerUrl ? [new URL(devServerUrl).origin] : [];
  const services = new AppServices({ dataDir: app.getPath('userData'), webRoot: rendererDir, mdns, allowedOrigins });
  let chat: BrowserWindow | undefined;
  const windows = () => BrowserWindow.getAllWindows();
  const openChat = () => {
    chat = createChatWindow({ preload, url: devServerUrl ?? `${APP_ORIGIN}/index.html` });
    chat.on('closed', () => (chat = undefined));
    return chat;
  };
  let dashboard: BrowserWindow | undefined;
  const openDashboard = () => {
    if (dashboard && !dashboard.isDestroyed()) return dashboard.focus();
    dashboard = createDashboardWindow({ preload, url: devServerUrl ? `${devServerUrl}/dashboard.html` : `${APP_ORIGIN}/dashboard.html` });
    dashboard.on('closed', () => (dashboard = undefined));
  };
  const menu = () =>
    buildMenu({
      hostRoom: () => broadcast(windows(), 'ui:command', { command: 'host-room' }),
      openDashboard,
      stopHosting: () => void services.handlers['host:stop'](null),
      leaveRoom: () => broadcast(windows(), 'ui:command', { command: 'leave-room' }),
      isHosting: () => services.hosting !== undefined,
    });

  installSecurityGuards();
  registerIpc(services.handlers, windows);
  services.on('rooms:changed', (snapshot) => broadcast(windows(), 'rooms:changed', snapshot));
  services.on('host:changed', (info) => {
    broadcast(windows(), 'host:changed', info);
    menu();
  });
  services.on('dashboard:snapshot', (snapshot) => broadcast(windows(), 'dashboard:snapshot', snapshot));
  services.on('dashboard:activity', (entry) => broadcast(windows(), 'dashboard:activity', entry));
  services.on('open-dashboard', openDashboard);

  app.on('second-instance', () => {
    const window = chat ?? openChat();
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openChat();
  });

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    void services.shutdown().finally(() => app.quit());
  });

  void app.whenReady().then(async () => {
    serveAppProtocol(rendererDir);
    menu();
    openChat();
    await services.start();
  });
}
