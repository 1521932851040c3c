// The security decisions of the desktop shell, as pure functions (no electron import), so
// they are unit-tested here while main/electron/ only wires them to Electron's events.
import { X509Certificate } from 'node:crypto';
import { fingerprintOf } from '../../common/identity.ts';

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

/**
 * An IPC call is answered only for the main frame of one of our windows showing one of
 * our pages: app://hearth/…, or in a development run the Vite dev server's pages
 * (`devOrigin`, which main/services/pages.ts gives only when the app is not packaged).
 */
export function isTrustedSender(frame: { url: string; isMainFrame: boolean } | null, fromOurWindow: boolean, devOrigin?: string): boolean {
  if (!frame || !frame.isMainFrame || !fromOurWindow) return false;
  return isOurPage(frame.url, devOrigin);
}

/** app://hearth/…, or a page of the dev server when one is trusted. */
export function isOurPage(url: string, devOrigin?: string): boolean {
  if (isAppUrl(url)) return true;
  if (devOrigin === undefined) return false;
  try {
    return new URL(url).origin === devOrigin;
  } catch {
    return false;
  }
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

/**
 * What the renderer really uses, and nothing else: notifications (mentions while the
 * window is in the background) and writing text to the clipboard ("Copy link":
 * Chromium asks for navigator.clipboard.writeText as 'clipboard-sanitized-write').
 * Reading the clipboard stays refused.
 */
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications', 'clipboard-sanitized-write']);

export function isAllowedPermission(permission: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission);
}

/**
 * What Chromium's certificate verify proc answers (Electron's setCertificateVerifyProc):
 * 0 accepts, -2 (net::ERR_FAILED) refuses, -3 (net::ERR_ABORTED) means "use Chromium's
 * own verification result".
 */
export type CertificateVerdict = 0 | -2 | -3;

/**
 * The renderer's TLS connections: a host the main process pinned (identity check, trusted
 * identity, our own room) must present one of its pinned certificates, and nothing else
 * gets in, whatever a CA says; a host never pinned is left to Chromium (a web page with a
 * real certificate still works, a self-signed stranger is refused as usual).
 * `certificatePem` is the leaf certificate as Electron hands it over.
 */
export function certificateVerdict(hostname: string, certificatePem: string, pins: { fingerprints(hostname: string): ReadonlySet<string> }): CertificateVerdict {
  const pinned = pins.fingerprints(hostname);
  if (pinned.size === 0) return -3;
  const presented = pemFingerprint(certificatePem);
  return presented !== undefined && pinned.has(presented) ? 0 : -2;
}

/** The SHA-256 of a PEM certificate's DER (lowercase hex); undefined when it is no certificate. */
function pemFingerprint(pem: string): string | undefined {
  try {
    return fingerprintOf(new X509Certificate(pem).raw);
  } catch {
    return undefined;
  }
}
