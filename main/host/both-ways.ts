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
import type { Server as HttpServer } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer, type Server as TlsServer, type TLSSocket } from 'node:tls';

/** The first byte of a TLS record carrying a handshake (RFC 8446 §5.1: ContentType handshake = 22). */
const TLS_HANDSHAKE = 0x16;

export interface BothWaysTimeouts {
  /** A connection that sends nothing for this long is cut (a plain one would meet headersTimeout, but only once routed). */
  sniffTimeoutMs: number;
  /** A TLS handshake that has not finished after this long is cut. */
  handshakeTimeoutMs: number;
}

export interface BothWays {
  readonly tls: TlsServer;
  /** Connections not yet handed to HTTP (still silent, or in their handshake): http.close() does not know them. */
  pendingCount(): number;
  /** Cuts them: call before waiting for http.close(), which would otherwise wait for each. */
  destroyPending(): void;
}

type ConnectionListener = (socket: Duplex) => void;

/** A live TCP connection's remote end is unique among live connections: it names the raw socket a TLSSocket wraps. */
const endpointOf = (socket: { remoteAddress?: string | undefined; remotePort?: number | undefined }): string => `${socket.remoteAddress}|${socket.remotePort}`;

export function acceptBothWays(http: HttpServer, secure: { key: string; cert: string }, o: BothWaysTimeouts): BothWays {
  const listeners = http.listeners('connection') as ConnectionListener[];
  if (listeners.length !== 1) throw new Error(`acceptBothWays: expected the HTTP server's own connection listener, found ${listeners.length}`);
  const plain = listeners[0]!;
  http.removeAllListeners('connection');
  const toHttp = (socket: Duplex): void => plain.call(http, socket);

  // Neither set is known to http until the connection is handed over: first the silent
  // ones, then those in their TLS handshake (by remote end, since 'secureConnection' hands
  // over the TLSSocket, not the socket it wraps).
  const sniffing = new Set<Socket>();
  const handshaking = new Map<string, Socket>();

  const tls = createTlsServer({
    key: secure.key,
    cert: secure.cert,
    minVersion: 'TLSv1.2',
    ALPNProtocols: ['http/1.1'],
    handshakeTimeout: o.handshakeTimeoutMs,
  });
  tls.on('secureConnection', (socket: TLSSocket) => {
    handshaking.delete(endpointOf(socket));
    toHttp(socket); // http parses the TLSSocket as any Duplex, and tracks it (headersTimeout, closeAllConnections)
  });
  // A failed or stalled handshake (an old version, garbage after 0x16, the timeout)
  // concerns that connection only: it is cut, and nobody else hears of it.
  tls.on('tlsClientError', (_error, socket) => socket.destroy());

  http.on('connection', (socket: Socket) => {
    sniffing.add(socket);
    const timer = setTimeout(() => socket.destroy(), o.sniffTimeoutMs);
    // Until it is routed, an error (a reset) ends this connection and concerns nobody else.
    const onError = (): void => {
      socket.destroy();
    };
    const onClose = (): void => {
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
      onClose();
      socket.off('close', onClose);
      socket.off('end', onEnd);
      socket.unshift(first);
      if (first[0] !== TLS_HANDSHAKE) {
        socket.off('error', onError); // http's own handling from here, exactly as without TLS
        return toHttp(socket);
      }
      const endpoint = endpointOf(socket);
      handshaking.set(endpoint, socket);
      // The TLSSocket wrapping it reports its errors; the raw socket keeps onError so that
      // nothing it emits is unhandled. It closes with the TLSSocket (whatever ends it).
      socket.once('close', () => {
        if (handshaking.get(endpoint) === socket) handshaking.delete(endpoint);
      });
      tls.emit('connection', socket);
    };
    socket.once('readable', route);
  });

  return {
    tls,
    pendingCount: () => sniffing.size + handshaking.size,
    destroyPending() {
      for (const socket of [...sniffing, ...handshaking.values()]) socket.destroy();
      sniffing.clear();
      handshaking.clear();
    },
  };
}
