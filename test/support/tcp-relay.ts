// A TCP relay on 127.0.0.1 in front of a port: the one skeleton behind the tests' capture
// (recording-proxy.ts), a link that is cut mid-transfer and a slow link. It never looks
// inside what it passes (TLS stays TLS), keeps backpressure both ways, and keeps relaying to
// the same port when what listens there is restarted.
import { connect, createServer, type Socket } from 'node:net';

export interface RelayedConnection {
  /** Ends both sides at once, as a pulled cable would. */
  cut(): void;
}

export interface RelayOptions {
  /** Sees each chunk the client sends, before it goes on. */
  onUp?(chunk: Buffer, connection: RelayedConnection): void;
  /** Sees each chunk the target answers, before it goes on; false drops it (after a cut). */
  onDown?(chunk: Buffer, connection: RelayedConnection): boolean | void;
  /**
   * What a client sends is passed at most this fast, per connection, as over a real link (the
   * answers go at full speed, and another connection, e.g. the room's WebSocket, has its own budget).
   */
  upBytesPerSecond?: number;
}

export interface TcpRelay {
  /** Where clients connect (127.0.0.1). */
  readonly port: number;
  close(): Promise<void>;
}

export async function startTcpRelay(target: { host?: string; port: number }, options: RelayOptions = {}): Promise<TcpRelay> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host ?? '127.0.0.1');
    const connection: RelayedConnection = {
      cut: () => {
        client.destroy();
        upstream.destroy();
      },
    };
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', connection.cut);
      socket.once('close', () => sockets.delete(socket));
    }
    relayUp(client, upstream, connection, options);
    upstream.on('data', (chunk: Buffer) => {
      if (options.onDown?.(chunk, connection) === false || client.destroyed) return;
      if (!client.write(chunk)) {
        upstream.pause();
        client.once('drain', () => upstream.resume());
      }
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Client → target, paused while the target is behind or the pace is ahead of time: the
 * client's count of bytes sent then stays close to what the target really has, as on a real link.
 */
function relayUp(client: Socket, upstream: Socket, connection: RelayedConnection, options: RelayOptions): void {
  const pace = options.upBytesPerSecond ?? Infinity;
  const started = Date.now();
  let relayed = 0;
  let holds = 0;
  const hold = () => {
    if (holds++ === 0) client.pause();
  };
  const release = () => {
    if (--holds === 0) client.resume();
  };
  client.on('data', (chunk: Buffer) => {
    options.onUp?.(chunk, connection);
    if (upstream.destroyed) return;
    if (!upstream.write(chunk)) {
      hold();
      upstream.once('drain', release);
    }
    relayed += chunk.length;
    const ahead = Number.isFinite(pace) ? (relayed / pace) * 1000 - (Date.now() - started) : 0;
    if (ahead > 20) {
      hold();
      setTimeout(release, ahead);
    }
  });
}
