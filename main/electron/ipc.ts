// Every channel of common/ipc.ts gets a handler (the InvokeHandlers type makes a missing
// one a compile error), and every call is checked: it must come from the main frame of one
// of our own windows showing an app:// page. Anything else gets an error, not an answer.
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent, type WebFrameMain } from 'electron';
import { INVOKE_CHANNELS, type EventChannel, type EventMap, type InvokeHandlers } from '../../common/ipc.ts';
import { isTrustedSender } from '../services/trust.ts';

function trusted(event: IpcMainInvokeEvent, windows: () => BrowserWindow[], devOrigin: string | undefined): boolean {
  const frame: WebFrameMain | null = event.senderFrame;
  const window = BrowserWindow.fromWebContents(event.sender);
  return isTrustedSender(frame ? { url: frame.url, isMainFrame: frame.parent === null } : null, window !== null && windows().includes(window), devOrigin);
}

/** `devOrigin`: the Vite dev server's origin, given only when the app is not packaged (main/services/pages.ts). */
export function registerIpc(handlers: InvokeHandlers, windows: () => BrowserWindow[], devOrigin?: string): void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, async (event, args: unknown) => {
      if (!trusted(event, windows, devOrigin)) return { ok: false, error: 'refused: not a Hearth window' };
      try {
        return await (handlers[channel] as (a: unknown) => Promise<unknown>)(args ?? null);
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    });
  }
}

export function broadcast<K extends EventChannel>(windows: BrowserWindow[], channel: K, payload: EventMap[K]): void {
  for (const window of windows) if (!window.isDestroyed()) window.webContents.send(channel, payload);
}
