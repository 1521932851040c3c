// Whether a room's connection is encrypted, read from the URL its socket actually opens:
// wss:// is TLS, anything else travels in the clear on the network. The app joins wss with
// the host's certificate pinned (lobby/join-attempt.ts: `secure`), a browser joins the way
// its page was served. The notice that says so can be hidden for the rest of the tab's
// session, room by room.
import { secureAddress, type RoomAddress } from '../../../common/address.ts';

export const NOT_ENCRYPTED_WORDS = 'Not encrypted: people on this network could read this room.';

/** True only for a wss:// URL: TLS between this window and the host. */
export function isEncryptedUrl(wsUrl: string): boolean {
  return /^wss:\/\//i.test(wsUrl.trim());
}

/** The URL a room's WebSocket opens: wss when the join is secure, the address as it is otherwise (ws, or wss for a page served over https). */
export function roomSocketUrl(address: RoomAddress, secure: boolean): string {
  return secure ? secureAddress(address).wsUrl : address.wsUrl;
}

/** Where "hide this notice" is remembered: sessionStorage, or nothing where storage is blocked. */
export interface NoticeStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const KEY_PREFIX = 'hearth.plain-notice-hidden:';

/** Hidden for this room (its URL) earlier in this tab's session. */
export function plainNoticeHidden(storage: NoticeStorage | undefined, wsUrl: string): boolean {
  try {
    return storage?.getItem(KEY_PREFIX + wsUrl) === '1';
  } catch {
    return false;
  }
}

/** Remembers the choice; where storage fails, the notice is hidden until the room is left. */
export function hidePlainNotice(storage: NoticeStorage | undefined, wsUrl: string): void {
  try {
    storage?.setItem(KEY_PREFIX + wsUrl, '1');
  } catch {
    // Blocked storage: the component's own state still hides it for now.
  }
}

/** The tab's sessionStorage, or undefined where reading it throws (storage blocked). */
export function noticeStorage(): NoticeStorage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}
