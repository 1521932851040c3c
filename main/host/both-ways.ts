// One port, both ways: the room's port answers TLS (https, wss) and plain HTTP (http, ws),
// told apart by the first byte of each connection (a TLS handshake record starts with 0x16,
// an HTTP request with a letter). Existing http:// links keep working for browsers while the
// app and the terminal speak TLS on the same port.
//
// The HTTP server keeps listening itself, so its slow-headers protection (headersTimeout,
// which Node enforces only on connections of a listening server), closeAllConnections(),
// address() and Host.http all work as before. Only its 'connection' listener is taken over,
// with public EventEmitter calls (the httpolyglot technique without its private
// `_connectionListener`): each new socket is held until its first byte arrives, then handed
// to that listener as it is (plain) or to a TLS server, whose decrypted socket is handed to
// the very same listener. TLSSocket replays the bytes still buffered on the socket it wraps
// (its initRead), so the first byte, read and pushed back, is not lost.
//
// Until then a connection is pending: silent ones are cut at the sniff timeout, stalled
// handshakes at the handshake timeout, and one remote address may hold only so many pending
// at once (each handshake costs the host a key exchange and a signature); more are cut
// before their first byte is read. Others' handshakes are not held up by one machine's flood.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Server as HttpServer } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer, type Server as TlsServer, type TLSSocket } from 'node:tls';
import { DEFAULT_MAX_PENDING_PER_ADDRESS } from './host-options.ts';

/** The first byte of a TLS record carrying a handshake (RFC 8446 §5.1: ContentType handshake = 22). */
const TLS_HANDSHAKE = 0x16;

export interface BothWaysTimeouts {
  /** A connection that sends nothing for this long is cut (a plain one would meet headersTimeout, but only once routed). */
  sniffTimeoutMs: number;
  /** A TLS handshake that has not finished after this long is cut. */
  handshakeTimeoutMs: number;
  /**
   * Connections one remote address may have pending (silent, or in their handshake, each a
   * key exchange and a signature for the host); more are cut at once. DEFAULT_MAX_PENDING_PER_ADDRESS by default.
   */
  maxPendingPerAddress?: number | undefined;
}

export interface BothWays {
  readonly tls: TlsServer;
  /** Connections not yet handed to HTTP (still silent, or in their handshake): http.close() does not know them. */
  pendingCount(): number;
  /** Cuts them: call before waiting for http.close(), which would otherwise wait for each. */
  destroyPending(): void;
}

type ConnectionListener = (socket: Duplex) => void;


export function acceptBothWays(http: HttpServer, secure: { key: string; cert: string }, o: BothWaysTimeouts): BothWays {
  const listeners = http.listeners('connection') as ConnectionListener[];
  if (listeners.length !== 1) throw new Error(`acceptBothWays: expected the HTTP server's own connection listener, found ${listeners.length}`);
  const plain = listeners[0]!;
  http.removeAllListeners('connection');
  const toHttp = (socket: Duplex): void => plain.call(http, socket);

  // Neither set is known to http until the connection is handed over: first the silent
  // ones, then those in their TLS handshake.
  const sniffing = new Set<Socket>();
  // Each with what takes it off its address's pending count.
  const handshaking = new Map<Socket, () => void>();
  // 'secureConnection' hands over the TLSSocket, not the raw socket it wraps, and Node has no
  // public link between the two. The TLS server makes the TLSSocket (and its handshake's
  // native handle) while we emit 'connection' inside run(raw): every callback of that
  // handshake, 'secureConnection' included, sees the raw socket as its store.
  const handshakeOf = new AsyncLocalStorage<Socket>();
  // Pending connections per remote address: one machine cannot make the host do handshakes without end.
  const maxPending = o.maxPendingPerAddress ?? DEFAULT_MAX_PENDING_PER_ADDRESS;
  const pendingPerAddress = new Map<string, number>();
  const release = (address: string): void => {
    const left = (pendingPerAddress.get(address) ?? 1) - 1;
    if (left > 0) pendingPerAddress.set(address, left);
    else pendingPerAddress.delete(address);
  };

  const tls = createTlsServer({
    key: secure.key,
    cert: secure.cert,
    minVersion: 'TLSv1.2',
    ALPNProtocols: ['http/1.1'],
    handshakeTimeout: o.handshakeTimeoutMs,
  });
  tls.on('secureConnection', (socket: TLSSocket) => {
    const raw = handshakeOf.getStore();
    if (raw) {
      handshaking.get(raw)?.();
      handshaking.delete(raw);
    }
    socket.allowHalfOpen = true; // http's choice again, as on a plain connection (see the route below)
    toHttp(socket); // http parses the TLSSocket as any Duplex, and tracks it (headersTimeout, closeAllConnections)
  });
  // A failed or stalled handshake (an old version, garbage after 0x16, the timeout)
  // concerns that connection only: it is cut, and nobody else hears of it.
  tls.on('tlsClientError', (_error, socket) => socket.destroy());

  http.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const pending = pendingPerAddress.get(address) ?? 0;
    if (pending >= maxPending) {
      socket.destroy(); // before its first byte: nothing read, nothing computed for it
      return;
    }
    pendingPerAddress.set(address, pending + 1);
    // Counted once whichever way it leaves: routed plain, handshake done, or closed before.
    let counted = true;
    const uncount = (): void => {
      if (counted) release(address);
      counted = false;
    };
    sniffing.add(socket);
    const timer = setTimeout(() => socket.destroy(), o.sniffTimeoutMs);
    // Until it is routed, an error (a reset) ends this connection and concerns nobody else.
    const onError = (): void => {
      socket.destroy();
    };
    const onClose = (): void => {
      clearTimeout(timer);
      sniffing.delete(socket);
      uncount();
    };
    const stopSniffing = (): void => {
      clearTimeout(timer);
      sniffing.delete(socket);
    };
    // allowHalfOpen (http's choice) keeps a socket that ended in silence open: cut it.
    const onEnd = (): void => {
      socket.destroy();
    };
    socket.on('error', onError);
    socket.once('close', onClose);
    socket.once('end', onEnd);
    const route = (): void => {
      const first = socket.read(1) as Buffer | null;
      if (first === null) {
        if (!socket.destroyed) socket.once('readable', route);
        return;
      }
      stopSniffing();
      socket.off('close', onClose);
      socket.off('end', onEnd);
      socket.unshift(first);
      if (first[0] !== TLS_HANDSHAKE) {
        uncount();
        socket.off('error', onError); // http's own handling from here, exactly as without TLS
        return toHttp(socket);
      }
      handshaking.set(socket, uncount);
      // The TLSSocket wrapping it reports its errors; the raw socket keeps onError so that
      // nothing it emits is unhandled. It closes with the TLSSocket (whatever ends it); a
      // finished handshake was already taken out of the set and stops counting here.
      socket.once('close', () => {
        handshaking.delete(socket);
        uncount();
      });
      // http made the socket half-open (it answers after a client's FIN), and the TLSSocket
      // copies that: a client gone mid-handshake would then hold its place (and its
      // address's pending count) until the handshake timeout. Whole until secure.
      socket.allowHalfOpen = false;
      handshakeOf.run(socket, () => tls.emit('connection', socket));
    };
    socket.once('readable', route);
  });

  return {
    tls,
    pendingCount: () => sniffing.size + handshaking.size,
    destroyPending() {
      for (const socket of [...sniffing, ...handshaking.keys()]) socket.destroy();
      sniffing.clear();
      handshaking.clear();
    },
  };
}
