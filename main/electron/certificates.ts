// The renderer's TLS connections (wss to a room) are checked by the main process against
// the certificates it pinned (main/services/pins.ts), through Chromium's certificate
// verify proc. Not the `certificate-error` event: it is not offered for WebSockets
// (electron/electron#19748, "WebSocket opening handshake was canceled"). The decision is
// main/services/trust.ts certificateVerdict (unit-tested); this only wires it to every session.
//
// Chromium caches each verdict per (certificate, hostname) for a while, and re-setting the
// proc does not clear that cache in this Electron: so the renderer joins only after the
// identity check pinned the host (a verdict asked for before would stick), and pins only add.
import { app, session, type Session } from 'electron';
import type { PinStore } from '../services/pins.ts';
import { certificateVerdict } from '../services/trust.ts';

/** Call before app ready: the default session gets the check as it is created, and any later session too. */
export function installPinning(pins: PinStore): void {
  const verify: Parameters<Session['setCertificateVerifyProc']>[0] = (request, callback) => {
    callback(certificateVerdict(request.hostname, request.certificate?.data ?? '', pins));
  };
  const install = (target: Session) => target.setCertificateVerifyProc(verify); // eng-disable CERTIFICATE_VERIFY_PROC_JS_CHECK: accepts only certificates the main process pinned (docs/security.md)
  app.on('session-created', install);
  // Should the default session's creation have gone unannounced, it gets the check at ready all the same.
  void app.whenReady().then(() => install(session.defaultSession));
}
