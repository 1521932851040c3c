// One port for everything: HTTP (http.ts: GET /health and the web client) and the WebSocket
// upgrade at /ws, over plain TCP and, given a key and certificate, over TLS too (both-ways.ts
// tells them apart by each connection's first byte). The server owns sockets, limits and
// heartbeats; the Room owns the rules.
import type { IncomingMessage, Server } from 'node:http';
import { X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { DEFAULT_PORT } from '../../common/address.ts';
import { fingerprintOf } from '../../common/identity.ts';
import { CloseCode, LIMITS, parseClientFrame } from '../../common/protocol.ts';
import { peerAddress } from './peer.ts';
import { createRoomFiles, type HostFiles } from './files/index.ts';
import { createHttpServer } from './http.ts';
import { createOriginCheck } from './origin.ts';
import { rawLength, rawToString } from './raw-data.ts';
import { acceptBothWays, type BothWays } from './both-ways.ts';
import { DEFAULT_BYTE_RATE_LIMIT, DEFAULT_HISTORY_RATE_LIMIT, DEFAULT_RATE_LIMIT, type HostOptions } from './host-options.ts';
import { TokenBucket } from './rate-limit.ts';
import { Room, type Session } from './room/index.ts';
import { WsPeer, type RawSocket } from './ws-peer.ts';

export { DEFAULT_PORT, DEFAULT_BYTE_RATE_LIMIT, DEFAULT_HISTORY_RATE_LIMIT, DEFAULT_RATE_LIMIT };
export type { HostOptions };

export interface Host {
  readonly room: Room;
  readonly port: number;
  readonly http: Server;
  /** SHA-256 of the certificate the port presents (lowercase hex; common/identity.ts); undefined without TLS. */
  readonly fingerprint: string | undefined;
  /** The files service; undefined when this host takes no files (HostOptions.files). */
  readonly files: HostFiles | undefined;
  /** Connections right now (joined or not). */
  connectionCount(): number;
  close(): Promise<void>;
}

/** Frames read while the connection was over budget (ws had them buffered already). */
const MAX_HELD_BYTES = 2 * LIMITS.maxFrameBytes + 128 * 1024;

/** What the server keeps for one peer besides the room's Session: budgets, held frames, heartbeat. */
interface PeerState {
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
  // A room that refuses every plain join and speaks no TLS would refuse everyone.
  if (options.encryptedOnly && !options.tls) throw new Error('startHost: encryptedOnly needs tls (a key and certificate)');
  const fingerprint = options.tls && fingerprintOf(new X509Certificate(options.tls.cert).raw);
  // HEARTH_ALLOWED_ORIGINS: development and test pages (comma-separated, "http://127.0.0.1:*").
  const allowedOrigins = [...(options.allowedOrigins ?? []), ...(process.env['HEARTH_ALLOWED_ORIGINS']?.split(',').map((o) => o.trim()).filter(Boolean) ?? [])];
  let listeningPort = 0;
  const origins = createOriginCheck({ port: () => listeningPort, extra: allowedOrigins, hostNames: options.hostNames ?? (() => []) });
  const headersTimeoutMs = options.headersTimeoutMs ?? 10_000;
  // Made before the room, which it asks (through these closures) who is here and who sees what.
  const files =
    options.files &&
    createRoomFiles({
      idleTimeoutMs: Math.max(30_000, 3 * headersTimeoutMs),
      ...options.files,
      access: { tokenHolderPresent: (userId) => room.tokenHolderPresent(userId), fileIn: (seq, viewer) => room.fileIn(seq, viewer) },
      origins,
      log,
      encryptedOnly: () => room.encryptedOnly,
    });
  const room: Room = new Room({
    files,
    name: options.room,
    store: options.store,
    password: options.password,
    encryptedOnly: options.encryptedOnly ?? false,
    fingerprint,
    ...(options.adminToken !== undefined && { adminToken: options.adminToken }),
    ...(options.ownerId !== undefined && { ownerId: options.ownerId }),
    ...(options.maxMembers !== undefined && { maxMembers: options.maxMembers }),
    ...(options.typingTimeoutMs !== undefined && { typingTimeoutMs: options.typingTimeoutMs }),
    ...(options.typingIntervalMs !== undefined && { typingIntervalMs: options.typingIntervalMs }),
  });
  room.on('store_problem', (reason) => log(reason ? `history unavailable: ${reason}` : 'history works again'));
  const peers = new Set<PeerState>();
  const perAddress = new Map<string, number>();
  // History bytes are budgeted per address, not per connection: four connections from one
  // machine share one budget, and one connection after another inherit it.
  const historyBudgets = new Map<string, TokenBucket>();
  const http = createHttpServer({ room, origins, hostId: options.hostId, webRoot: options.webRoot, headersTimeoutMs, tls: options.tls !== undefined, files });
  const bothWays: BothWays | undefined =
    options.tls &&
    acceptBothWays(http, options.tls, { sniffTimeoutMs: options.sniffTimeoutMs ?? headersTimeoutMs, handshakeTimeoutMs: options.handshakeTimeoutMs ?? headersTimeoutMs, maxPendingPerAddress: options.maxPendingPerAddress });

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
    const encrypted = (req.socket as Partial<TLSSocket>).encrypted === true;
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, socket, address, encrypted)); // ws reads and writes `socket` from now on; so does the peer
  });

  function accept(ws: WebSocket, socket: RawSocket, address: string, encrypted: boolean): void {
    const peer = new WsPeer(ws, socket, address, maxBuffered, room.outbound, () => {
      log(`disconnected ${address}: not reading (slow consumer)`);
      room.log('slow_consumer', `Disconnected ${address}: it stopped reading (more than ${Math.round(maxBuffered / 1024)} KiB waiting)`);
    });
    let historyBudget = historyBudgets.get(address);
    if (!historyBudget) historyBudgets.set(address, (historyBudget = new TokenBucket(historyRateLimit)));
    const state: PeerState = {
      ws,
      peer,
      session: room.open(peer, historyBudget, { encrypted }),
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
    peers.add(state);
    // One ping right away, so the dashboard has a round-trip time before the first heartbeat.
    state.pingSentAt = Date.now();
    ws.ping();
    ws.on('message', (data: RawData, isBinary: boolean) => onMessage(state, data, isBinary));
    ws.on('pong', () => {
      state.alive = true;
      if (state.pingSentAt) state.session.recordRtt(Date.now() - state.pingSentAt);
    });
    ws.on('error', (error) => log(`connection ${address}: ${error.message}`));
    ws.once('close', () => {
      peers.delete(state);
      clearTimeout(state.resumeTimer);
      state.held = [];
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left <= 0) perAddress.delete(address);
      else perAddress.set(address, left);
      room.close(state.session, state.timedOut ? 'timeout' : 'left');
    });
  }

  function onMessage(state: PeerState, data: RawData, isBinary: boolean): void {
    state.alive = true;
    const length = rawLength(data);
    room.countInbound(length);
    if (state.resumeTimer !== undefined) {
      // Over budget: ws is still emitting what it had read before the pause. Keep it, in
      // order, for when the budget allows; a peer cannot make this grow, since the socket
      // is not read meanwhile.
      state.held.push({ data, isBinary });
      state.heldBytes += length;
      if (state.heldBytes > MAX_HELD_BYTES) state.peer.close(CloseCode.policy, 'too much data while over budget');
      return;
    }
    processFrame(state, data, isBinary, length);
  }

  /** Handle one frame, charge it to the connection's budgets, and stop reading while they are in debt. */
  function processFrame(state: PeerState, data: RawData, isBinary: boolean, length: number): void {
    room.touch(state.session);
    handleFrame(state, data, isBinary);
    const wait = Math.max(state.frameBudget.spend(1), state.byteBudget.spend(length));
    if (wait > 0 && state.ws.readyState === state.ws.OPEN) pauseReading(state, wait);
  }

  function pauseReading(state: PeerState, ms: number): void {
    room.noteSlowedDown();
    const now = Date.now();
    if (now - state.lastRateLimitNotice > 1000) {
      state.lastRateLimitNotice = now;
      room.log('rate_limit', `Slowed ${who(state)} down: over its budget of ${rateLimit.perSecond} frames and ${Math.round(byteRateLimit.perSecond / 1024)} KiB a second`);
    }
    state.ws.pause();
    state.resumeTimer = setTimeout(() => resumeReading(state), ms);
  }

  function resumeReading(state: PeerState): void {
    state.resumeTimer = undefined;
    while (state.held.length > 0 && state.resumeTimer === undefined && state.ws.readyState === state.ws.OPEN) {
      const { data, isBinary } = state.held.shift()!;
      const length = rawLength(data);
      state.heldBytes -= length;
      processFrame(state, data, isBinary, length);
    }
    if (state.resumeTimer === undefined) state.ws.resume();
  }

  function handleFrame(state: PeerState, data: RawData, isBinary: boolean): void {
    if (isBinary) {
      room.error(state.session, 'binary_unsupported', 'binary frames are not supported; send JSON text', {});
      return rejectBad(state, 'binary frame');
    }
    const parsed = parseClientFrame(rawToString(data));
    if (!parsed.ok) {
      room.error(state.session, parsed.code, parsed.message, parsed.ref);
      return rejectBad(state, parsed.message);
    }
    state.badFrames = Math.max(0, state.badFrames - 1);
    try {
      room.handle(state.session, parsed.frame);
    } catch (error) {
      // A frame the room failed on fails alone, not the host; a join that failed before it
      // seated anyone is closed (no welcome would come; after one, closing would loop).
      log(`could not handle a ${parsed.frame.type} frame from ${who(state)}: ${(error as Error).message}`);
      const id = 'id' in parsed.frame && typeof parsed.frame.id === 'string' ? parsed.frame.id : undefined;
      room.error(state.session, 'internal', 'Something went wrong on the host, and it could not do that. Try again.', { type: parsed.frame.type, ...(id !== undefined && { id }) });
      if (parsed.frame.type === 'join' && !state.session.member) state.peer.close(CloseCode.internalError, 'the host failed on this join');
    }
  }

  function who(state: PeerState): string {
    return state.session.member ? `${state.session.member.name} (${state.peer.address})` : state.peer.address;
  }

  /** Count a bad frame and log it (at most once a second per connection: a flood must not flood the log). */
  function rejectBad(state: PeerState, reason: string): void {
    room.noteBadInput();
    const now = Date.now();
    if (now - state.lastBadLog > 1000) {
      state.lastBadLog = now;
      room.log('bad_frame', `Bad frame from ${who(state)}: ${reason}`);
    }
    strike(state, reason);
  }

  /** A connection that keeps misbehaving is closed; one mistake is not punished. */
  function strike(state: PeerState, why: string): void {
    state.badFrames++;
    if (state.badFrames > maxBadFrames) {
      log(`closed ${state.peer.address}: kept sending bad frames (${why})`);
      state.peer.close(CloseCode.policy, 'too many bad frames');
    }
  }

  const heartbeat = setInterval(() => {
    // An address's history budget outlives its connections until it has refilled, so
    // reconnecting never buys a fresh burst.
    for (const [address, budget] of historyBudgets) if (!perAddress.has(address) && budget.full) historyBudgets.delete(address);
    for (const state of peers) {
      // A connection we stopped reading cannot answer: its silence is ours.
      if (state.resumeTimer !== undefined) continue;
      if (!state.alive) {
        state.timedOut = true;
        state.peer.terminate();
        continue;
      }
      state.alive = false;
      state.pingSentAt = Date.now();
      try {
        state.ws.ping();
      } catch {
        state.peer.terminate();
      }
    }
  }, options.heartbeatMs ?? 15_000);
  heartbeat.unref();

  await new Promise<void>((resolve, rejectListen) => {
    const failed = (error: Error) => {
      files?.close(); // the caller may try another port with the same folder
      rejectListen(error);
    };
    http.once('error', failed);
    http.listen(options.port ?? DEFAULT_PORT, options.bind, () => {
      http.off('error', failed);
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
    fingerprint,
    files,
    connectionCount: () => peers.size,
    close: () =>
      (closing ??= (async () => {
        clearInterval(heartbeat);
        for (const state of peers) clearTimeout(state.resumeTimer);
        room.log('host', 'Room closed');
        room.stats.stop();
        room.shutdown();
        files?.close();
        const closed = new Promise<void>((resolve) => http.close(() => resolve()));
        // Give close frames a moment to leave, then cut whoever is left.
        const deadline = Date.now() + 1000;
        while (peers.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        for (const state of peers) state.peer.terminate();
        bothWays?.destroyPending(); // silent or mid-handshake: http.close() would wait for each
        http.closeAllConnections();
        await closed;
        options.store.close();
      })()),
  };
}

function reject(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
