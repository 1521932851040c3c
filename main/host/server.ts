// One port for everything: HTTP (http.ts: GET /health and the web client) and the WebSocket
// upgrade at /ws. The server owns sockets, limits and heartbeats; the Room owns the rules.
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { DEFAULT_PORT } from '../../common/address.ts';
import { CloseCode, LIMITS, parseClientFrame } from '../../common/protocol.ts';
import { peerAddress, WsPeer } from './connection.ts';
import { createHttpServer } from './http.ts';
import { createOriginCheck } from './origin.ts';
import { rawLength, rawToString } from './raw-data.ts';
import { TokenBucket, type RateLimit } from './rate-limit.ts';
import { Room, type Session } from './room/index.ts';
import type { HistoryStore } from './store/index.ts';

export { DEFAULT_PORT };

export interface HostOptions {
  room: string;
  store: HistoryStore;
  password?: string | undefined;
  /** 0 picks a free port (tests). */
  port?: number;
  /** Interface to listen on; all by default. */
  bind?: string;
  adminToken?: string;
  /** The user id of the hosting app's own member: never removed, never banned (room/moderation.ts). */
  ownerId?: string | undefined;
  maxMembers?: number;
  maxConnectionsPerAddress?: number;
  /** Frames a connection may send: a burst, then so many a second. */
  rateLimit?: RateLimit;
  /** Bytes a connection may send: a burst, then so many a second. */
  byteRateLimit?: RateLimit;
  /** Bytes of history (join, resume, older pages) one address is sent: a burst, then so many a second. */
  historyRateLimit?: RateLimit;
  /** Bad frames tolerated in a row window before the connection is closed. */
  maxBadFrames?: number;
  /** A client whose unsent output passes this is disconnected. */
  maxBufferedBytes?: number;
  heartbeatMs?: number;
  typingTimeoutMs?: number;
  /** A member's typing changes reach the room at most this often. */
  typingIntervalMs?: number;
  /** A request whose headers take longer than this is cut off (slowloris). */
  headersTimeoutMs?: number;
  /** The built web client (out/renderer); a "not built" page when absent. */
  webRoot?: string | undefined;
  /**
   * Page origins allowed to open a WebSocket besides this host's own web client and the
   * desktop app (app://hearth): the e2e harness's renderer server, a dev server.
   */
  allowedOrigins?: string[];
  /** Names this machine answers to besides its addresses, hostname and hostname.local (the mDNS host name). */
  hostNames?: () => readonly string[];
  /** The id LAN discovery announces (TXT id): /health repeats it, so a browser can tell this host from another on the same port. */
  hostId?: string;
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
/** 64 KiB frames: a full-size message (4,000 emoji, 16 KB) 16 times a second, after a 1 MiB burst. */
export const DEFAULT_BYTE_RATE_LIMIT: RateLimit = { burst: 1024 * 1024, perSecond: 256 * 1024 };
/** A 10,000-message resume of full-size messages (160 MB) in about ten seconds; a page costs its bytes. */
export const DEFAULT_HISTORY_RATE_LIMIT: RateLimit = { burst: 16 * 1024 * 1024, perSecond: 16 * 1024 * 1024 };

/** Frames read while the connection was over budget (ws had them buffered already). */
const MAX_HELD_BYTES = 2 * LIMITS.maxFrameBytes + 128 * 1024;

interface Connection {
  ws: WebSocket;
  peer: WsPeer;
  session: Session;
  frameBudget: TokenBucket;
  byteBudget: TokenBucket;
  /** Frames that arrived while reading was paused for the budget, in order. */
  held: Array<{ data: RawData; isBinary: boolean }>;
  heldBytes: number;
  /** Reading is paused until the budget is out of debt. */
  resumeTimer: ReturnType<typeof setTimeout> | undefined;
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
  const byteRateLimit = options.byteRateLimit ?? DEFAULT_BYTE_RATE_LIMIT;
  const historyRateLimit = options.historyRateLimit ?? DEFAULT_HISTORY_RATE_LIMIT;
  const maxBadFrames = options.maxBadFrames ?? 50;
  const maxBuffered = options.maxBufferedBytes ?? 4 * 1024 * 1024;
  const room = new Room({
    name: options.room,
    store: options.store,
    password: options.password,
    ...(options.adminToken !== undefined && { adminToken: options.adminToken }),
    ...(options.ownerId !== undefined && { ownerId: options.ownerId }),
    ...(options.maxMembers !== undefined && { maxMembers: options.maxMembers }),
    ...(options.typingTimeoutMs !== undefined && { typingTimeoutMs: options.typingTimeoutMs }),
    ...(options.typingIntervalMs !== undefined && { typingIntervalMs: options.typingIntervalMs }),
  });
  room.on('store_problem', (reason) => log(reason ? `history unavailable: ${reason}` : 'history works again'));
  const connections = new Set<Connection>();
  const perAddress = new Map<string, number>();
  // History bytes are budgeted per address, not per connection: four connections from one
  // machine share one budget, and one connection after another inherit it.
  const historyBudgets = new Map<string, TokenBucket>();
  // HEARTH_ALLOWED_ORIGINS: development and test pages (comma-separated, "http://127.0.0.1:*").
  const allowedOrigins = [...(options.allowedOrigins ?? []), ...(process.env['HEARTH_ALLOWED_ORIGINS']?.split(',').map((o) => o.trim()).filter(Boolean) ?? [])];
  let listeningPort = 0;
  const origins = createOriginCheck({ port: () => listeningPort, extra: allowedOrigins, hostNames: options.hostNames ?? (() => []) });

  const http = createHttpServer({ room, origins, hostId: options.hostId, webRoot: options.webRoot, headersTimeoutMs: options.headersTimeoutMs ?? 10_000 });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: LIMITS.maxFrameBytes,
    perMessageDeflate: false,
    clientTracking: false,
  });

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const address = peerAddress(req.socket.remoteAddress);
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/ws') return reject(socket, 404, 'Not Found');
    if (!origins.allows(req.headers.origin)) {
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
    const peer = new WsPeer(ws, address, maxBuffered, room.outbound, () => {
      log(`disconnected ${address}: not reading (slow consumer)`);
      room.log('slow_consumer', `Disconnected ${address}: it stopped reading (more than ${Math.round(maxBuffered / 1024)} KiB waiting)`);
    });
    let historyBudget = historyBudgets.get(address);
    if (!historyBudget) historyBudgets.set(address, (historyBudget = new TokenBucket(historyRateLimit)));
    const conn: Connection = {
      ws,
      peer,
      session: room.open(peer, historyBudget),
      frameBudget: new TokenBucket(rateLimit),
      byteBudget: new TokenBucket(byteRateLimit),
      held: [],
      heldBytes: 0,
      resumeTimer: undefined,
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
      if (conn.pingSentAt) conn.session.recordRtt(Date.now() - conn.pingSentAt);
    });
    ws.on('error', (error) => log(`connection ${address}: ${error.message}`));
    ws.once('close', () => {
      connections.delete(conn);
      clearTimeout(conn.resumeTimer);
      conn.held = [];
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left <= 0) perAddress.delete(address);
      else perAddress.set(address, left);
      room.close(conn.session, conn.timedOut ? 'timeout' : 'left');
    });
  }

  function onMessage(conn: Connection, data: RawData, isBinary: boolean): void {
    conn.alive = true;
    const length = rawLength(data);
    room.countInbound(length);
    if (conn.resumeTimer !== undefined) {
      // Over budget: ws is still emitting what it had read before the pause. Keep it, in
      // order, for when the budget allows; a peer cannot make this grow, since the socket
      // is not read meanwhile.
      conn.held.push({ data, isBinary });
      conn.heldBytes += length;
      if (conn.heldBytes > MAX_HELD_BYTES) conn.peer.close(CloseCode.policy, 'too much data while over budget');
      return;
    }
    processFrame(conn, data, isBinary, length);
  }

  /** Handle one frame, charge it to the connection's budgets, and stop reading while they are in debt. */
  function processFrame(conn: Connection, data: RawData, isBinary: boolean, length: number): void {
    room.touch(conn.session);
    handleFrame(conn, data, isBinary);
    const wait = Math.max(conn.frameBudget.spend(1), conn.byteBudget.spend(length));
    if (wait > 0 && conn.ws.readyState === conn.ws.OPEN) pauseReading(conn, wait);
  }

  function pauseReading(conn: Connection, ms: number): void {
    room.noteSlowedDown();
    const now = Date.now();
    if (now - conn.lastRateLimitNotice > 1000) {
      conn.lastRateLimitNotice = now;
      room.log('rate_limit', `Slowed ${who(conn)} down: over its budget of ${rateLimit.perSecond} frames and ${Math.round(byteRateLimit.perSecond / 1024)} KiB a second`);
    }
    conn.ws.pause();
    conn.resumeTimer = setTimeout(() => resumeReading(conn), ms);
  }

  function resumeReading(conn: Connection): void {
    conn.resumeTimer = undefined;
    while (conn.held.length > 0 && conn.resumeTimer === undefined && conn.ws.readyState === conn.ws.OPEN) {
      const { data, isBinary } = conn.held.shift()!;
      const length = rawLength(data);
      conn.heldBytes -= length;
      processFrame(conn, data, isBinary, length);
    }
    if (conn.resumeTimer === undefined) conn.ws.resume();
  }

  function handleFrame(conn: Connection, data: RawData, isBinary: boolean): void {
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
    room.noteBadInput();
    const now = Date.now();
    if (now - conn.lastBadLog > 1000) {
      conn.lastBadLog = now;
      room.log('bad_frame', `Bad frame from ${who(conn)}: ${reason}`);
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
    // An address's history budget outlives its connections until it has refilled, so
    // reconnecting never buys a fresh burst.
    for (const [address, budget] of historyBudgets) if (!perAddress.has(address) && budget.full) historyBudgets.delete(address);
    for (const conn of connections) {
      // A connection we stopped reading cannot answer: its silence is ours.
      if (conn.resumeTimer !== undefined) continue;
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
  listeningPort = port;
  log(`room "${room.name}" listening on port ${port}`);
  room.stats.start();
  room.log('host', `Room "${room.name}" opened on port ${port}`);

  let closing: Promise<void> | undefined;
  return {
    room,
    port,
    http,
    connectionCount: () => connections.size,
    close: () =>
      (closing ??= (async () => {
        clearInterval(heartbeat);
        for (const conn of connections) clearTimeout(conn.resumeTimer);
        room.log('host', 'Room closed');
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

function reject(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
