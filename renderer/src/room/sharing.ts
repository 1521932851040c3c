// How the host is told to share the room. A room that takes only encrypted connections
// refuses every browser on the plain http link (the app and `hearth join` always encrypt),
// so it is not offered to browsers: no "any browser" sentence, and no QR code, whose only
// use is to open that link in a phone's browser.
import type { HostingInfo } from '../../../common/ipc.ts';

export const BROWSERS_REFUSED = 'Browsers cannot join this room (encrypted connections only): share it with people who have the Hearth app.';
export const ENCRYPTED_ONLY_LABEL = 'Encrypted connections only';

export interface Sharing {
  /** The line above the link. */
  invitation: string;
  /** The invitation says who cannot join (shown as a warning, not as a muted hint). */
  restricted: boolean;
  /** Show the QR code (it opens the link in a phone's browser). */
  qrCode: boolean;
}

export function sharing(info: Pick<HostingInfo, 'encryptedOnly'>): Sharing {
  if (info.encryptedOnly) return { invitation: BROWSERS_REFUSED, restricted: true, qrCode: false };
  return { invitation: 'Others join from the Hearth app, or from any browser with this link:', restricted: false, qrCode: true };
}
