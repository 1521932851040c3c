// Where the desktop windows' pages come from: app://hearth/ always in a packaged app; the
// Vite dev server only in a development run (`npm run dev` sets ELECTRON_RENDERER_URL).
// Pure (no electron import): main/index.ts passes in app.isPackaged and the variable.
import { APP_ORIGIN } from './trust.ts';

export interface PageSourceInput {
  /** app.isPackaged: true in every installed build. */
  packaged: boolean;
  /** process.env.ELECTRON_RENDERER_URL, as electron-vite's dev command sets it. */
  devServerUrl: string | undefined;
}

export type Page = 'index.html' | 'dashboard.html';

/**
 * The dev server's origin when this run may use it, else undefined. A packaged app ignores
 * the variable: anyone able to set an environment variable for it could otherwise point
 * the windows, and the IPC trust that goes with them, at a page of their choosing.
 */
export function devServerOrigin({ packaged, devServerUrl }: PageSourceInput): string | undefined {
  if (packaged || !devServerUrl) return undefined;
  try {
    const url = new URL(devServerUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

/** The URL a window loads for `page`. */
export function pageUrl(page: Page, devOrigin: string | undefined): string {
  return `${devOrigin ?? APP_ORIGIN}/${page}`;
}
