// The app menu: Hearth's own items, then the standard Edit / View / Window menus.
import { Menu, type MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  hostRoom(): void;
  openDashboard(): void;
  stopHosting(): void;
  leaveRoom(): void;
  isHosting(): boolean;
}

export function buildMenu(actions: MenuActions): void {
  const mac = process.platform === 'darwin';
  const room: MenuItemConstructorOptions = {
    label: 'Room',
    submenu: [
      { label: 'Host a room…', accelerator: 'CmdOrCtrl+Shift+H', click: () => actions.hostRoom() },
      { label: 'Open dashboard', accelerator: 'CmdOrCtrl+Shift+D', enabled: actions.isHosting(), click: () => actions.openDashboard() },
      { label: 'Stop hosting', enabled: actions.isHosting(), click: () => actions.stopHosting() },
      { type: 'separator' },
      { label: 'Leave room', accelerator: 'CmdOrCtrl+Shift+L', click: () => actions.leaveRoom() },
      ...(mac ? [] : [{ type: 'separator' } as const, { role: 'quit' } as const]),
    ],
  };
  const template: MenuItemConstructorOptions[] = [
    ...(mac ? [{ role: 'appMenu' } as const] : []),
    room,
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
