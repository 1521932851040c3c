import type { Bridge } from '../../../common/ipc.ts';
import { createDesktopBridge } from './desktop.ts';
import type { AppBridge } from './types.ts';
import { createWebBridge } from './web.ts';

declare global {
  interface Window {
    hearth?: Bridge;
  }
}

/** window.hearth exists in the desktop app (preload) and the e2e harness; not in a browser. */
export function pickBridge(): AppBridge {
  return window.hearth ? createDesktopBridge(window.hearth) : createWebBridge();
}

export type { AppBridge, Capabilities, DashboardData } from './types.ts';
