// One port for everything: HTTP (GET /health, later the web client) and the WebSocket
// upgrade at /ws. The server owns sockets, limits and heartbeats; the Room owns the rules.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { CloseCode, LIMITS, PROTOCOL_VERSION, parseClientFrame } from '../../common/protocol.ts';
import { WsPeer } from './connection.ts';
import { serveStatic } from './static.ts';
import { TokenBucket, type RateLimit } from './rate-limit.ts';
import { Room, type Session } from './room.ts';
import type { HistoryStore } from './store.ts';

export const DEFAULT_PORT = 47800;

export interface HostOptions {
  room: string;
  store: HistoryStore;
  password?: string | undefined;
  /** 0 picks a free port (tests). */
  port?: number;
  /** Interface to listen on; all by default. */
  bind?: string;
  adminToken?: string;
  maxMembers?: number;
  maxConnectionsPerAddress?: number;
  rateLimit?: RateLimit;
  /** Bad frames tolerated in a row window before the connection is closed. */
  maxBadFrames?: number;
  /** A client whose unsent output passes this is disconnected. */
  maxBufferedBytes?: number;
  heartbeatMs?: number;
  typingTimeoutMs?: number;
  /** A request whose headers take longer than this is cut off (slowloris). */
  headersTimeoutMs?: number;
  /** The built web client (out/renderer); a "not built" page when absent. */
  webRoot?: string | undefined;
  /**
   * Page origins allowed to open a WebSocket besides this host's own web client and the
   * desktop app (app://hearth): the e2e harness's renderer server, a dev server.
   */
  allowedOrigins?: string[];
  log?: (line: string) => void;
}

export interface Host {
  readonly room: Room;
  readonly port: number;
  readonly http: Server;
  /** Connections right now (joined or not). */
  connectionCount(): number;
  close(): Promise<void>;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { burst: 60, perSecond: 20 };

interface Connection {
  ws: WebSocket;
  peer: WsPeer;
  session: Session;
  bucket: TokenBucket;
  badFrames: number;
  lastRateLimitNotice: number;
  alive: boolean;
  timedOut: boolean;
  pingSentAt: number;
  lastBadLog: number;
}

export async function startHost(options: HostOptions): Promise<Host> {
  const log = options.log ?? (() => {});
  const maxPerAddress = options.maxConnectionsPerAddress ?? 32;
  const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  const maxBadFrames = options.maxBadFrames ?? 50;
  const maxBuffered = options.maxBufferedBytes ?? 4 * 1024 * 1024;
  const room = new Room({
    name: options.room,
    store: options.store,
    password: options.password,
    ...(options.adminToken !== undefined && { adminToken: options.adminToken }),
    ...(options.maxMembers !== undefined && { maxMembers: options.maxMembers }),
    ...(options.typingTimeoutMs !== undefined && { typingTimeoutMs: options.typingTimeoutMs }),
  });
  const connections = new Set<Connection>();
  const perAddress = new Map<string, number>();
  const webClient = serveStatic(options.webRoot);
  // HEARTH_ALLOWED_ORIGINS: development and test pages (comma-separated, "http://127.0.0.1:*").
  const allowedOrigins = [...(options.allowedOrigins ?? []), ...(process.env['HEARTH_ALLOWED_ORIGINS']?.split(',').map((o) => o.trim()).filter(Boolean) ?? [])];

  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const http = createServer(
    {
      maxHeaderSize: 16 * 1024,
      headersTimeout,
      requestTimeout: Math.max(15_000, headersTimeout + 1000),
      // Node enforces those timeouts on this interval (30 s by default): check often enough
      // that a slow-headers client is cut off close to the timeout.
      connectionsCheckingInterval: Math.min(1000, headersTimeout),
    },
    (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/health') {
      const body = JSON.stringify({
        ok: true,
        app: 'hearth',
        room: room.name,
        version: PROTOCOL_VERSION,
        members: room.memberCount,
        passwordRequired: room.passwordRequired,
        uptime: Math.round((Date.now() - room.startedAt) / 1000),
      });
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        'access-control-allow-origin': '*',
      });
      return res.end(body);
    }
    void webClient(req, res).then((served) => {
      if (served) return;
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Not found\n');
    });
    },
  );
  http.keepAliveTimeout = 5_000;
  http.maxHeadersCount = 64;

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: LIMITS.maxFrameBytes,
    perMessageDeflate: false,
    clientTracking: false,
  });

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const address = normalizeAddress(req.socket.remoteAddress);
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/ws') return reject(socket, 404, 'Not Found');
    if (!originAllowed(req.headers.origin, req.headers.host, allowedOrigins)) {
      // A page elsewhere on the web, opened in a browser on this LAN, must not be able to
      // join (or flood, or guess passwords in) a room on its visitor's behalf.
      log(`refused a WebSocket from ${address}: page origin ${String(req.headers.origin).slice(0, 100)}`);
      return reject(socket, 403, 'Forbidden');
    }
    const count = perAddress.get(address) ?? 0;
    if (count >= maxPerAddress) {
      log(`refused connection from ${address}: ${count} already open`);
      return reject(socket, 429, 'Too Many Requests');
    }
    perAddress.set(address, count + 1);
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, address));
  });

  function accept(ws: WebSocket, address: string): void {
    const peer = new WsPeer(ws, address, maxBuffered, room.stats.traffic, () => {
      log(`disconnected ${address}: not reading (slow consumer)`);
      room.stats.log('slow_consumer', `Disconnected ${address}: it stopped reading (more than ${Math.round(maxBuffered / 1024)} KiB waiting)`);
    });
    const conn: Connection = {
      ws,
      peer,
      session: room.open(peer),
      bucket: new TokenBucket(rateLimit),
      badFrames: 0,
      lastRateLimitNotice: 0,
      alive: true,
      timedOut: false,
      pingSentAt: 0,
      lastBadLog: 0,
    };
    connections.add(conn);
    // One ping right away, so the dashboard has a round-trip time before the first heartbeat.
    conn.pingSentAt = Date.now();
    ws.ping();
    ws.on('message', (data: RawData, isBinary: boolean) => onMessage(conn, data, isBinary));
    ws.on('pong', () => {
      conn.alive = true;
      if (conn.pingSentAt) conn.session.rttMs = Date.now() - conn.pingSentAt;
    });
    ws.on('error', (error) => log(`connection ${address}: ${error.message}`));
    ws.once('close', () => {
      connections.delete(conn);
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left <= 0) perAddress.delete(address);
      else perAddress.set(address, left);
      room.close(conn.session, conn.timedOut ? 'timeout' : 'left');
    });
  }

  function onMessage(conn: Connection, data: RawData, isBinary: boolean): void {
    conn.alive = true;
    room.stats.traffic.in += rawLength(data);
    room.touch(conn.session);
    if (!conn.bucket.take()) {
      const now = Date.now();
      // One notice a second is enough to explain; answering every frame of a flood would
      // make the host do the flooding.
      if (now - conn.lastRateLimitNotice > 1000) {
        conn.lastRateLimitNotice = now;
        const id = peekId(data, isBinary);
        room.error(conn.session, 'rate_limited', 'slow down: too many frames, this one was dropped', id ? { id } : {});
        room.stats.log('rate_limit', `Rate-limited ${who(conn)}: too many frames`);
      }
      room.stats.rejectedRateLimited++;
      return strike(conn, 'flooding');
    }
    if (isBinary) {
      room.error(conn.session, 'binary_unsupported', 'binary frames are not supported; send JSON text', {});
      return rejectBad(conn, 'binary frame');
    }
    const parsed = parseClientFrame(rawToString(data));
    if (!parsed.ok) {
      room.error(conn.session, parsed.code, parsed.message, parsed.ref);
      return rejectBad(conn, parsed.message);
    }
    conn.badFrames = Math.max(0, conn.badFrames - 1);
    room.handle(conn.session, parsed.frame);
  }

  function who(conn: Connection): string {
    const name = conn.session.member?.name;
    return name ? `${name} (${conn.peer.address})` : conn.peer.address;
  }

  /** Count a bad frame and log it (at most once a second per connection: a flood must not flood the log). */
  function rejectBad(conn: Connection, reason: string): void {
    room.stats.rejectedBadInput++;
    const now = Date.now();
    if (now - conn.lastBadLog > 1000) {
      conn.lastBadLog = now;
      room.stats.log('bad_frame', `Bad frame from ${who(conn)}: ${reason}`);
    }
    strike(conn, reason);
  }

  /** A connection that keeps misbehaving is closed; one mistake is not punished. */
  function strike(conn: Connection, why: string): void {
    conn.badFrames++;
    if (conn.badFrames > maxBadFrames) {
      log(`closed ${conn.peer.address}: kept sending bad frames (${why})`);
      conn.peer.close(CloseCode.policy, 'too many bad frames');
    }
  }

  const heartbeat = setInterval(() => {
    for (const conn of connections) {
      if (!conn.alive) {
        conn.timedOut = true;
        conn.peer.terminate();
        continue;
      }
      conn.alive = false;
      conn.pingSentAt = Date.now();
      try {
        conn.ws.ping();
      } catch {
        conn.peer.terminate();
      }
    }
  }, options.heartbeatMs ?? 15_000);
  heartbeat.unref();

  await new Promise<void>((resolve, rejectListen) => {
    http.once('error', rejectListen);
    http.listen(options.port ?? DEFAULT_PORT, options.bind, () => {
      http.off('error', rejectListen);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  log(`room "${room.name}" listening on port ${port}`);
  room.stats.start();
  room.stats.log('host', `Room "${room.name}" opened on port ${port}`);

  let closing: Promise<void> | undefined;
  return {
    room,
    port,
    http,
    connectionCount: () => connections.size,
    close: () =>
      (closing ??= (async () => {
        clearInterval(heartbeat);
        room.stats.log('host', 'Room closed');
        room.stats.stop();
        room.shutdown();
        const closed = new Promise<void>((resolve) => http.close(() => resolve()));
        // Give close frames a moment to leave, then cut whoever is left.
        const deadline = Date.now() + 1000;
        while (connections.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        for (const conn of connections) conn.peer.terminate();
        http.closeAllConnections();
        await closed;
        options.store.close();
      })()),
  };
}

/**
 * Browsers always send Origin; other clients (the CLI, native apps) do not. Allowed: no
 * Origin, the page this host served (same host:port), the desktop app, and what the
 * options add.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, extra: string[] = []): boolean {
  if (origin === undefined) return true;
  if (origin === 'app://hearth') return true;
  // "http://127.0.0.1:*" allows any port of that host.
  if (extra.some((allowed) => allowed === origin || (allowed.endsWith(':*') && origin.startsWith(allowed.slice(0, -1)) && /^\d+$/.test(origin.slice(allowed.length - 1))))) return true;
  if (!host) return false;
  return origin === `http://${host}` || origin === `https://${host}`;
}

function reject(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function normalizeAddress(address: string | undefined): string {
  if (!address) return 'unknown';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function rawLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data.byteLength;
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** The id of a dropped frame, if it is cheap to see, so the client knows which one to retry. */
function peekId(data: RawData, isBinary: boolean): string | undefined {
  if (isBinary) return undefined;
  const match = /"id"\s*:\s*"([A-Za-z0-9_-]{1,64})"/.exec(rawToString(data).slice(0, 200));
  return match?.[1];
}
