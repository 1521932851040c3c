// Reading and checking the certificate a room's host presents, for the clients that pin it
// (`hearth join`, the desktop app's services, the bench). The certificate is self-signed,
// so chain verification would always fail: it is switched off and the fingerprint checked
// instead, which is the whole of the trust (common/pinning.ts decides which one is right).
// Not ws's `checkServerIdentity`: Node calls it only after chain verification succeeded,
// which never happens for a self-signed certificate.
import { isIP } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { fingerprintOf } from '../../common/identity.ts';

export type PresentedResult = { ok: true; fingerprint: string } | { ok: false; reason: 'no-tls' | 'unreachable' };

/** The SHA-256 fingerprint of the certificate the host at host:port presents; nothing is sent after the handshake. */
export function presentedFingerprint(host: string, port: number, timeoutMs = 5_000): Promise<PresentedResult> {
  return new Promise((resolve) => {
    let connected = false;
    let settled = false;
    const socket = tlsConnect({ host, port, rejectUnauthorized: false, ...sniFor(host) });
    const finish = (result: PresentedResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ ok: false, reason: connected ? 'no-tls' : 'unreachable' }), timeoutMs);
    socket.once('connect', () => (connected = true));
    socket.once('secureConnect', () => {
      const fingerprint = certificateFingerprint(socket);
      finish(fingerprint ? { ok: true, fingerprint } : { ok: false, reason: 'no-tls' });
    });
    // A host from before TLS answers a ClientHello with an HTTP 400: "wrong version number".
    socket.once('error', () => finish({ ok: false, reason: connected ? 'no-tls' : 'unreachable' }));
    socket.once('close', () => finish({ ok: false, reason: connected ? 'no-tls' : 'unreachable' }));
  });
}

/** Raised (as the socket's error) when a host presents another certificate than the pinned one. */
export class PinMismatchError extends Error {
  readonly expected: string;
  readonly presented: string;
  constructor(expected: string, presented: string) {
    super(`the host presented certificate ${presented}, not the pinned ${expected}`);
    this.name = 'PinMismatchError';
    this.expected = expected;
    this.presented = presented;
  }
}

/**
 * A `createConnection` for ws (and https) that accepts exactly the certificate `expected`
 * names (lowercase hex) and destroys any other connection at the handshake, before the
 * upgrade answer is read; `onMismatch` hears what was presented instead.
 */
export function pinnedTlsConnect(expected: string, onMismatch?: (presented: string) => void): (options: ConnectionOptions) => TLSSocket {
  const pinned = expected.toLowerCase();
  return (options) => {
    const host = options.host ?? 'localhost';
    const socket = tlsConnect({ ...options, ...sniFor(host), rejectUnauthorized: false });
    socket.once('secureConnect', () => {
      const presented = certificateFingerprint(socket) ?? '';
      if (presented === pinned) return;
      onMismatch?.(presented);
      socket.destroy(new PinMismatchError(pinned, presented));
    });
    return socket;
  };
}

function certificateFingerprint(socket: TLSSocket): string | undefined {
  const raw = socket.getPeerX509Certificate()?.raw;
  return raw ? fingerprintOf(raw) : undefined;
}

/** SNI carries a name, never an address (RFC 6066): none for an IP. */
function sniFor(host: string): { servername?: string } {
  return isIP(host.replace(/^\[|\]$/g, '')) === 0 ? { servername: host } : { servername: '' };
}
