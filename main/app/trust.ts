// The security decisions of the desktop shell, as pure functions (no electron import), so
// they are unit-tested here while main/desktop/ only wires them to Electron's events.

export const APP_ORIGIN = 'app://hearth';

/** Only plain http(s) links leave the app, and only to the system browser. */
export function isExternalWebLink(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.username === '' && parsed.password === '' && parsed.hostname !== '';
  } catch {
    return false;
  }
}

/** An IPC call is answered only for the main frame of one of our windows showing an app:// page. */
export function isTrustedSender(frame: { url: string; isMainFrame: boolean } | null, fromOurWindow: boolean): boolean {
  if (!frame || !frame.isMainFrame || !fromOurWindow) return false;
  return isAppUrl(frame.url);
}

/**
 * app://hearth/… — compared by protocol and host: Node's URL (which Electron's main
 * process uses) reports origin "null" for schemes it does not know, so an origin
 * comparison would refuse everything.
 */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'app:' && parsed.host === 'hearth';
  } catch {
    return false;
  }
}

/** The only permission a page may have is to show notifications. */
export function isAllowedPermission(permission: string): boolean {
  return permission === 'notifications';
}
