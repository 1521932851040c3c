// Electron entry: one instance, one chat window, the desktop services behind IPC, and a
// quit that stops hosting cleanly (goodbye on the LAN, history flushed) however the app
// ends: a quit, the last window closed, Windows ending the session, the system shutting down.
import { app, BrowserWindow, dialog, powerMonitor } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkWindowsFirewall } from './network-check/firewall.ts';
import { QuitSequence } from './services/lifecycle.ts';
import { devServerOrigin, pageUrl, type Page } from './services/pages.ts';
import { appUserModelId, spellcheckIsLocal } from './services/platform.ts';
import { AppServices } from './services/services.ts';
import { registerAppScheme, serveAppProtocol } from './electron/app-protocol.ts';
import { installPinning } from './electron/certificates.ts';
import { broadcast, registerIpc } from './electron/ipc.ts';
import { buildMenu } from './electron/menu.ts';
import { installSecurityGuards } from './electron/security.ts';
import { createChatWindow, createDashboardWindow } from './electron/windows.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererDir = join(here, '../renderer');
const preload = join(here, '../preload/index.cjs');
// The Vite dev server, in a development run only: a packaged app always shows app://hearth/.
const devOrigin = devServerOrigin({ packaged: app.isPackaged, devServerUrl: process.env['ELECTRON_RENDERER_URL'] });
const spellcheck = spellcheckIsLocal(process.platform);
const log = (line: string) => console.log(`hearth: ${line}`);

registerAppScheme();
// Windows shows notifications only for the AppUserModelID of the app's Start-menu shortcut.
const modelId = appUserModelId(process.platform);
if (modelId) app.setAppUserModelId(modelId);
// Before any session can start fetching spell-check dictionaries (main/services/platform.ts).
if (!spellcheck) app.on('session-created', (session) => session.setSpellCheckerEnabled(false));
// Tests (Playwright's electron project) keep their own profile and stay off the LAN.
if (process.env['HEARTH_USER_DATA']) app.setPath('userData', process.env['HEARTH_USER_DATA']);
const mdns = process.env['HEARTH_NO_MDNS'] !== '1';

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const services = new AppServices({
    dataDir: app.getPath('userData'),
    webRoot: rendererDir,
    mdns,
    // In development the renderer comes from the Vite dev server: let it join our own rooms.
    allowedOrigins: devOrigin ? [devOrigin] : [],
    // Windows Defender Firewall may keep everyone out: check once a room is open.
    ...(process.platform === 'win32' && { hostWarnings: (port: number) => checkWindowsFirewall({ exe: app.getPath('exe'), port, log }) }),
    log,
  });
  const quitting = new QuitSequence({ stop: () => services.shutdown(), quit: () => app.quit(), log, hosting: () => services.hosting !== undefined });
  const windows = () => BrowserWindow.getAllWindows();
  const open = (create: typeof createChatWindow, page: Page) => {
    const window = create({ preload, url: pageUrl(page, devOrigin), spellcheck });
    // Windows ends a session without before-quit. query-session-end comes first and may
    // be delayed while a room says goodbye; after session-end Windows may end us at once,
    // so that one is only the last chance.
    window.on('query-session-end', (event) => {
      if (services.hosting !== undefined) event.preventDefault();
      void quitting.sessionEnding('the Windows session is ending');
    });
    window.on('session-end', () => void quitting.sessionEnding('the Windows session is ending'));
    return window;
  };
  let chat: BrowserWindow | undefined;
  const openChat = () => {
    chat = open(createChatWindow, 'index.html');
    chat.on('closed', () => (chat = undefined));
    return chat;
  };
  let dashboard: BrowserWindow | undefined;
  const openDashboard = () => {
    if (dashboard && !dashboard.isDestroyed()) return dashboard.focus();
    dashboard = open(createDashboardWindow, 'dashboard.html');
    dashboard.on('closed', () => (dashboard = undefined));
  };
  const menu = () =>
    buildMenu({
      hostRoom: () => broadcast(windows(), 'ui:command', { command: 'host-room' }),
      openDashboard,
      stopHosting: () => void services.handlers['host:stop'](null).catch((error: unknown) => log(`stop hosting: ${String(error)}`)),
      leaveRoom: () => broadcast(windows(), 'ui:command', { command: 'leave-room' }),
      isHosting: () => services.hosting !== undefined,
    });

  installSecurityGuards();
  // The renderer's wss connections accept exactly the certificates the services pinned.
  installPinning(services.pins);
  registerIpc(services.handlers, windows, devOrigin);
  services.on('rooms:changed', (snapshot) => broadcast(windows(), 'rooms:changed', snapshot));
  services.on('host:changed', (info) => {
    broadcast(windows(), 'host:changed', info);
    menu();
  });
  services.on('dashboard:snapshot', (snapshot) => broadcast(windows(), 'dashboard:snapshot', snapshot));
  services.on('dashboard:activity', (entry) => broadcast(windows(), 'dashboard:activity', entry));
  services.on('open-dashboard', openDashboard);
  // Electron asks where to save (its default when no save path is set) and fetches through the
  // session's pinned certificate check.
  services.on('download-file', (url) => (chat ?? openChat()).webContents.downloadURL(url));

  app.on('second-instance', () => {
    const window = chat ?? openChat();
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', (event) => {
    if (quitting.beforeQuit()) event.preventDefault();
  });

  void app
    .whenReady()
    .then(() => {
      // macOS and Linux: the system is shutting down (before-quit may not come). Delaying
      // it (Linux holds a logind inhibitor until we quit) lets the goodbye leave.
      powerMonitor.on('shutdown', (event?: { preventDefault?: () => void }) => {
        event?.preventDefault?.();
        void quitting.sessionEnding('the system is shutting down');
      });
      // macOS re-opens the window from the Dock; a window cannot exist before ready.
      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0) openChat();
      });
      serveAppProtocol(rendererDir);
      menu();
      openChat();
      // Discovery failing is reported in the lobby (services' own status); this only logs the unexpected.
      services.start().catch((error: unknown) => log(`discovery: ${describe(error)}`));
    })
    .catch((error: unknown) => {
      // No window could be opened: say so and quit rather than run invisibly.
      dialog.showErrorBox('Hearth could not start', describe(error));
      app.quit();
    });
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
