// A room joined securely never reconnects to another host without saying so. The lobby
// checked the host's certificate before the first connection; every later connection
// (a reconnect, a retry) asks the shell again first (AppBridge.checkIdentity: one TLS
// probe, cheap next to a reconnect), with the id of the certificate the room was joined
// with. If the host at that address now presents another one, the socket is never opened:
// the room stops and says the identity changed. In the app the main process's pin would
// refuse the new certificate anyway (the room would only ever say "Reconnecting…"); where
// a browser accepts both, as the e2e harness's Chromium does, this check is what stops it.
import type { SocketFactory, SocketLike } from '../../../common/client.ts';
import { hostIdOf } from '../../../common/identity.ts';
import type { IdentityCheck, IdentityCheckRequest, Result } from '../../../common/ipc.ts';

/** What the room says once it stopped: a title, and what to do. */
export const IDENTITY_CHANGED_IN_ROOM = { title: "This host's identity has changed", advice: 'Leave the room and join again to compare identities.' } as const;

export type IdentityCheckFn = (request: IdentityCheckRequest) => Promise<Result<IdentityCheck>>;

/**
 * Connect (the host presents the certificate the room was joined with); stop for good (it
 * presents `presented` instead); or not now (the check could not tell: the attempt fails
 * as an unreachable host does, and the client tries again later).
 */
export type ReconnectVerdict = { kind: 'connect' } | { kind: 'identity-changed'; presented: string } | { kind: 'unchecked' };

/** The check a secure room asks before connecting again: that host and port, vouched for by the pinned certificate (its id, and the fingerprint itself in case the shell could not remember it). */
export function recheckRequest(host: string, port: number, pinned: string): IdentityCheckRequest {
  return { host, port, expectedId: hostIdOf(pinned), previous: pinned };
}

/**
 * What the shell's answer means for a room pinned to `pinned` (lowercase hex). Only a
 * positive answer connects: a check that failed (the host is down, or answers without TLS)
 * says nothing about another identity, but connecting anyway would let a host that came up
 * in between be joined unchecked.
 */
export function reconnectVerdict(pinned: string, checked: Result<IdentityCheck>): ReconnectVerdict {
  if (!checked.ok) return { kind: 'unchecked' };
  const check = checked.value;
  switch (check.kind) {
    case 'trusted':
    case 'first-use':
      return check.fingerprint === pinned.toLowerCase() ? { kind: 'connect' } : { kind: 'identity-changed', presented: check.fingerprint };
    case 'changed':
    case 'not-this-host':
      return { kind: 'identity-changed', presented: check.presented };
    case 'no-tls':
      return { kind: 'unchecked' };
  }
}

/**
 * A socket factory for a secure room: the first socket opens at once (the lobby has just
 * checked), every later one only after `check` says `connect`. Otherwise it never opens and
 * closes as a connection that never came up; on `identity-changed`, `onChanged` hears it
 * first, and is expected to close the client.
 */
export function checkedSockets(open: SocketFactory, check: () => Promise<ReconnectVerdict>, onChanged: (verdict: Extract<ReconnectVerdict, { kind: 'identity-changed' }>) => void): SocketFactory {
  let made = 0;
  return (url) => {
    made++;
    if (made === 1) return open(url);
    return new CheckedSocket(url, open, check, onChanged);
  };
}

const CONNECTING = 0;
const CLOSED = 3;
/** Closed before it opened, as a browser reports a connection that never came up. */
const ABNORMAL = 1006;

/** Looks like a connecting WebSocket while the check runs; then becomes the real one, or closes. */
class CheckedSocket implements SocketLike {
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  #inner: SocketLike | undefined;
  #closed = false;

  constructor(url: string, open: SocketFactory, check: () => Promise<ReconnectVerdict>, onChanged: (verdict: Extract<ReconnectVerdict, { kind: 'identity-changed' }>) => void) {
    void check().then(
      (verdict) => {
        // Given up while checking (the client's connect timeout, or it left): nothing to open.
        if (this.#closed) return;
        if (verdict.kind === 'identity-changed') {
          onChanged(verdict);
          return this.#fail('identity changed');
        }
        if (verdict.kind === 'unchecked') return this.#fail('identity not checked');
        this.#connect(url, open);
      },
      () => this.#fail('identity not checked'),
    );
  }

  get readyState(): number {
    return this.#inner?.readyState ?? (this.#closed ? CLOSED : CONNECTING);
  }

  send(data: string): void {
    this.#inner?.send(data);
  }

  close(code?: number, reason?: string): void {
    if (this.#inner) return this.#inner.close(code, reason);
    this.#fail(reason ?? 'closed');
  }

  #connect(url: string, open: SocketFactory): void {
    let inner: SocketLike;
    try {
      inner = open(url);
    } catch {
      return this.#fail('cannot connect');
    }
    this.#inner = inner;
    // Read the handlers when each event comes: the client sets and clears them as it likes.
    inner.onopen = (event) => this.onopen?.(event);
    inner.onmessage = (event) => this.onmessage?.(event);
    inner.onerror = (event) => this.onerror?.(event);
    inner.onclose = (event) => this.onclose?.(event);
  }

  /** Never opened: closed, with the close event a browser would give (if anyone still listens). */
  #fail(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    queueMicrotask(() => this.onclose?.({ code: ABNORMAL, reason }));
  }
}
