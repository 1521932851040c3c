// RoomClient: one client's view of a room, used by the terminal client, the renderer and
// the tests. It joins, keeps the member list, sends with retries (same id, so the host
// stores each message once), reconnects with backoff and jitter, and resumes from the last
// seq it saw so nothing is lost or doubled. The WebSocket is injected: the browser's, the
// one in Node 24, or ws.
import { randomId } from './ids.ts';
import { derivePasswordKey, passwordProof, type PasswordKey } from './password.ts';
import {
  CloseCode,
  PROTOCOL_VERSION,
  parseServerFrame,
  textProblem,
  type ChatMessage,
  type ClientFrame,
  type ErrorFrame,
  type HistoryFrame,
  type JoinErrorCode,
  type Member,
  type ServerFrame,
  type WelcomeFrame,
} from './protocol.ts';

/** The part of the WHATWG WebSocket a RoomClient needs. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}
export type SocketFactory = (url: string) => SocketLike;

export type ConnectionState =
  | { status: 'idle' }
  | { status: 'connecting'; attempt: number }
  | { status: 'connected' }
  | { status: 'reconnecting'; attempt: number; retryInMs: number; reason: string }
  | { status: 'closed'; reason: string; code?: JoinErrorCode | 'kicked' | 'banned' | 'replaced' | 'left' };

export interface OutgoingMessage {
  id: string;
  text: string;
  kind: 'text' | 'action';
  /** Recipient name for a private message. */
  to?: string | undefined;
}

export interface RoomClientEvents {
  state: ConnectionState;
  welcome: WelcomeFrame;
  /** History pages: `latest` replaces what the client showed, `resume` and `older` add to it. */
  history: HistoryFrame;
  /** A new message (never one already seen). */
  message: ChatMessage;
  ack: { id: string; seq: number };
  /** A message the host will never accept (e.g. too long); not retried. */
  failed: { id: string; reason: string };
  members: Member[];
  member_joined: Member;
  member_left: { member: Member; reason: string };
  renamed: { id: string; from: string; to: string };
  typing: { user: { id: string; name: string }; active: boolean };
  /** An error about one of our frames that was not fatal. */
  error: ErrorFrame;
  kicked: { reason: string; banned: boolean };
  cleared: { lastSeq: number };
  admin_done: { action: string; detail: string };
  topic: string;
  /** Round-trip time of the app-level heartbeat, in ms. */
  rtt: number;
}

export interface RoomClientOptions {
  url: string;
  name: string;
  clientId: string;
  password?: string | undefined;
  createSocket: SocketFactory;
  /** Resume from here on the first connection (a client that kept history across restarts). */
  lastSeq?: number;
  backoff?: { baseMs: number; maxMs: number };
  /** Heartbeat interval; the connection is presumed dead after 2.5 intervals of silence. */
  heartbeatMs?: number;
  /** For retries of messages the host asked us to slow down on. */
  retryDelayMs?: number;
  /** A connection that has not opened by then is given up and retried (a dead link can hang a connect for minutes). */
  connectTimeoutMs?: number;
  random?: () => number;
  now?: () => number;
}

type Listener<T> = (value: T) => void;

const FATAL_CLOSE_CODES = new Set<number>([CloseCode.kicked, CloseCode.banned, CloseCode.replaced, CloseCode.joinRefused]);
const RETRYABLE_JOIN_ERRORS = new Set<JoinErrorCode>(['room_full']);

export class RoomClient {
  readonly clientId: string;
  #options: RoomClientOptions;
  #socket: SocketLike | undefined;
  #state: ConnectionState = { status: 'idle' };
  #listeners = new Map<keyof RoomClientEvents, Set<Listener<never>>>();
  #outbox = new Map<string, OutgoingMessage>();
  #members = new Map<string, Member>();
  #me: Member | undefined;
  #room = '';
  #topic = '';
  #lastSeq: number;
  #attempt = 0;
  #synced = false;
  #stopped = false;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #heartbeatTimer: ReturnType<typeof setTimeout> | undefined;
  #lastHeard = 0;
  #pingId = 0;
  #pingSentAt = new Map<number, number>();
  #passwordKey: { salt: string; password: string; key: PasswordKey } | undefined;
  #fatal: ConnectionState | undefined;

  constructor(options: RoomClientOptions) {
    this.#options = options;
    this.clientId = options.clientId;
    this.#lastSeq = options.lastSeq ?? 0;
  }

  get state(): ConnectionState {
    return this.#state;
  }
  get me(): Member | undefined {
    return this.#me;
  }
  get room(): string {
    return this.#room;
  }
  /** The room's topic ('' for none). */
  get topic(): string {
    return this.#topic;
  }
  get members(): Member[] {
    return [...this.#members.values()];
  }
  /** Highest seq seen: persist it to resume later. */
  get lastSeq(): number {
    return this.#lastSeq;
  }
  /** Messages sent but not yet acknowledged by the host. */
  get pending(): OutgoingMessage[] {
    return [...this.#outbox.values()];
  }

  on<K extends keyof RoomClientEvents>(event: K, listener: Listener<RoomClientEvents[K]>): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  /** Connect (or reconnect after a fatal error, e.g. with another name or the password). */
  connect(update?: { name?: string; password?: string | undefined }): void {
    if (update?.name !== undefined) this.#options = { ...this.#options, name: update.name };
    if (update && 'password' in update) this.#options = { ...this.#options, password: update.password };
    this.#stopped = false;
    this.#fatal = undefined;
    this.#attempt = 0;
    this.#open();
  }

  /** Leave the room for good. */
  close(): void {
    this.#stopped = true;
    clearTimeout(this.#reconnectTimer);
    this.#dropSocket('bye');
    this.#setState({ status: 'closed', reason: 'You left the room.', code: 'left' });
  }

  /** Queue a message; it is sent now if connected and re-sent until the host acks it. */
  send(raw: string, options: { action?: boolean; to?: string } = {}): { ok: true; id: string } | { ok: false; error: string } {
    const text = raw.replace(/\r\n?/g, '\n');
    const problem = textProblem(text);
    if (problem) return { ok: false, error: problem };
    const message: OutgoingMessage = { id: randomId(16), text, kind: options.action ? 'action' : 'text', to: options.to };
    this.#outbox.set(message.id, message);
    if (this.#synced) this.#transmit(message);
    return { ok: true, id: message.id };
  }

  rename(name: string): void {
    this.#frame({ type: 'rename', name });
  }

  typing(active: boolean): void {
    if (this.#synced) this.#frame({ type: 'typing', active });
  }

  fetchOlder(before: number, limit = 200): void {
    this.#frame({ type: 'fetch_history', before, limit });
  }

  /** Moderation, for a client that holds the host's admin token. */
  admin(
    token: string,
    action: { action: 'kick' | 'ban'; target: string; reason?: string } | { action: 'unban'; target: string } | { action: 'clear_history' } | { action: 'topic'; topic: string },
  ): void {
    this.#frame({ type: 'admin', token, ...action } as ClientFrame);
  }

  // -------------------------------------------------------------------------------------

  #open(): void {
    clearTimeout(this.#reconnectTimer);
    this.#synced = false;
    this.#setState({ status: 'connecting', attempt: this.#attempt });
    let socket: SocketLike;
    try {
      socket = this.#options.createSocket(this.#options.url);
    } catch (error) {
      return this.#lost(`cannot connect: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.#socket = socket;
    let opened = false;
    const connectTimer = setTimeout(() => {
      if (opened || this.#socket !== socket) return;
      this.#dropSocket('connect timeout');
      this.#lost('cannot reach the host');
    }, this.#options.connectTimeoutMs ?? 5000);
    socket.onopen = () => {
      opened = true;
      clearTimeout(connectTimer);
      this.#lastHeard = this.#now();
      this.#startHeartbeat();
    };
    socket.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      this.#lastHeard = this.#now();
      const frame = parseServerFrame(event.data);
      if ('error' in frame) return; // A newer host may say things we do not know; ignore them.
      this.#receive(frame);
    };
    socket.onerror = () => {
      // Always followed by onclose, which has the code.
    };
    socket.onclose = (event) => {
      clearTimeout(connectTimer);
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#stopHeartbeat();
      if (this.#fatal) return this.#setState(this.#fatal);
      if (FATAL_CLOSE_CODES.has(event.code)) {
        return this.#setState({
          status: 'closed',
          reason: event.code === CloseCode.replaced ? 'You joined this room from another window.' : 'The host closed the connection.',
          code: event.code === CloseCode.replaced ? 'replaced' : 'left',
        });
      }
      this.#lost(event.code === CloseCode.goingAway ? 'the host stopped' : opened ? 'connection lost' : 'cannot reach the host');
    };
  }

  #lost(reason: string): void {
    this.#synced = false;
    if (this.#stopped) return;
    // On a LAN a host comes back in seconds: never wait more than 5 s between tries.
    const { baseMs, maxMs } = this.#options.backoff ?? { baseMs: 500, maxMs: 5_000 };
    const random = this.#options.random ?? Math.random;
    const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(this.#attempt, 16));
    // Full jitter on half the window: a room full of clients does not come back in lockstep.
    const retryInMs = Math.round(ceiling / 2 + (random() * ceiling) / 2);
    this.#attempt++;
    this.#setState({ status: 'reconnecting', attempt: this.#attempt, retryInMs, reason });
    this.#reconnectTimer = setTimeout(() => this.#open(), retryInMs);
  }

  #receive(frame: ServerFrame): void {
    switch (frame.type) {
      case 'hello':
        return this.#join(frame.nonce, frame.salt, frame.passwordRequired);
      case 'welcome': {
        this.#me = frame.you;
        this.#room = frame.room;
        this.#topic = frame.topic;
        this.#members = new Map(frame.members.map((m) => [m.id, m]));
        this.#attempt = 0;
        this.#emit('welcome', frame);
        this.#emit('members', this.members);
        this.#setState({ status: 'connected' });
        return;
      }
      case 'history': {
        for (const m of frame.messages) {
          if (m.seq > this.#lastSeq) this.#lastSeq = m.seq;
          this.#settleOwn(m);
        }
        this.#emit('history', frame);
        if (frame.complete && frame.mode !== 'older' && !this.#synced) this.#onSynced();
        return;
      }
      case 'join_error': {
        const fatal: ConnectionState = { status: 'closed', reason: frame.reason, code: frame.code };
        if (RETRYABLE_JOIN_ERRORS.has(frame.code) && !this.#stopped) {
          return this.#socket?.close(CloseCode.normal, 'retry later');
        }
        this.#fatal = fatal;
        this.#stopped = true;
        this.#setState(fatal);
        this.#socket?.close(CloseCode.normal, 'join refused');
        return;
      }
      case 'message': {
        const m = frame.message;
        if (m.seq <= this.#lastSeq) return; // Already seen (a resume overlapping the live feed).
        this.#lastSeq = m.seq;
        this.#settleOwn(m);
        this.#emit('message', m);
        return;
      }
      case 'ack':
        this.#outbox.delete(frame.id);
        this.#emit('ack', { id: frame.id, seq: frame.seq });
        return;
      case 'members':
        this.#members = new Map(frame.members.map((m) => [m.id, m]));
        this.#emit('members', this.members);
        return;
      case 'member_joined':
        this.#members.set(frame.member.id, frame.member);
        this.#emit('member_joined', frame.member);
        this.#emit('members', this.members);
        return;
      case 'member_left':
        this.#members.delete(frame.member.id);
        this.#emit('member_left', { member: frame.member, reason: frame.reason });
        this.#emit('members', this.members);
        return;
      case 'renamed': {
        const member = this.#members.get(frame.id);
        if (member) member.name = frame.to;
        if (this.#me?.id === frame.id) this.#me = { ...this.#me, name: frame.to };
        this.#emit('renamed', { id: frame.id, from: frame.from, to: frame.to });
        this.#emit('members', this.members);
        return;
      }
      case 'typing':
        return this.#emit('typing', { user: frame.user, active: frame.active });
      case 'error':
        return this.#onError(frame);
      case 'kicked':
        this.#fatal = {
          status: 'closed',
          reason: frame.reason,
          code: frame.banned ? 'banned' : 'kicked',
        };
        this.#stopped = true;
        this.#emit('kicked', { reason: frame.reason, banned: frame.banned });
        return;
      case 'cleared':
        return this.#emit('cleared', { lastSeq: frame.lastSeq });
      case 'topic':
        this.#topic = frame.topic;
        return this.#emit('topic', frame.topic);
      case 'pong': {
        const sentAt = this.#pingSentAt.get(frame.id);
        this.#pingSentAt.delete(frame.id);
        if (sentAt !== undefined) this.#emit('rtt', this.#now() - sentAt);
        return;
      }
      case 'admin_done':
        return this.#emit('admin_done', { action: frame.action, detail: frame.detail });
    }
  }

  #join(nonce: string, salt: string, passwordRequired: boolean): void {
    const frame: ClientFrame = {
      type: 'join',
      v: PROTOCOL_VERSION,
      name: this.#options.name,
      clientId: this.clientId,
    };
    const password = this.#options.password;
    if (passwordRequired && password) {
      if (this.#passwordKey?.salt !== salt || this.#passwordKey.password !== password) {
        this.#passwordKey = { salt, password, key: derivePasswordKey(password, salt) };
      }
      frame.proof = passwordProof(this.#passwordKey.key, nonce, this.clientId);
    }
    // After a first join, always say what was seen (even nothing): the host then knows
    // which of this client's messages it may retry (those after `since`).
    if (this.#me) frame.since = this.#lastSeq;
    this.#frame(frame);
  }

  /**
   * One of our own messages, seen stored: as good as its ack, which a dropped connection
   * may have lost. So a resume's history settles the outbox before anything is resent.
   */
  #settleOwn(m: ChatMessage): void {
    if (m.from.id !== this.#me?.id || !this.#outbox.delete(m.id)) return;
    this.#emit('ack', { id: m.id, seq: m.seq });
  }

  #onSynced(): void {
    this.#synced = true;
    // Everything not acknowledged goes again, with the same ids: the host stores each once.
    for (const message of this.#outbox.values()) this.#transmit(message);
  }

  #onError(frame: ErrorFrame): void {
    const id = frame.ref.id;
    const pending = id !== undefined ? this.#outbox.get(id) : undefined;
    if (pending && (frame.code === 'rate_limited' || frame.code === 'store_unavailable')) {
      // The host could not take it right now: try the same message again shortly.
      const delay = (this.#options.retryDelayMs ?? 1000) * (frame.code === 'store_unavailable' ? 3 : 1);
      setTimeout(() => {
        if (this.#synced && this.#outbox.has(pending.id)) this.#transmit(pending);
      }, delay);
    } else if (pending) {
      this.#outbox.delete(pending.id);
      this.#emit('failed', { id: pending.id, reason: frame.message });
    }
    this.#emit('error', frame);
  }

  #transmit(message: OutgoingMessage): void {
    if (message.to !== undefined) {
      this.#frame({ type: 'private', id: message.id, to: message.to, text: message.text });
    } else {
      const frame: ClientFrame = { type: 'chat', id: message.id, text: message.text };
      if (message.kind === 'action') frame.action = true;
      this.#frame(frame);
    }
  }

  /** Forget the current socket without waiting for it to say goodbye. */
  #dropSocket(reason: string): void {
    this.#stopHeartbeat();
    const socket = this.#socket;
    this.#socket = undefined;
    if (!socket) return;
    detach(socket);
    try {
      socket.close(CloseCode.normal, reason);
    } catch {
      // Closing a socket that never opened throws in some implementations; nothing to do.
    }
  }

  #frame(frame: ClientFrame): void {
    const socket = this.#socket;
    if (!socket || socket.readyState !== 1) return;
    socket.send(JSON.stringify(frame));
  }

  #startHeartbeat(): void {
    const interval = this.#options.heartbeatMs ?? 10_000;
    const tick = () => {
      if (this.#now() - this.#lastHeard > interval * 2.5) {
        // Silence: the host or the network is gone even if the socket has not noticed.
        this.#dropSocket('heartbeat timeout');
        return this.#lost('no answer from the host');
      }
      const id = ++this.#pingId;
      this.#pingSentAt.set(id, this.#now());
      if (this.#pingSentAt.size > 8) this.#pingSentAt.delete(this.#pingSentAt.keys().next().value as number);
      this.#frame({ type: 'ping', id });
      this.#heartbeatTimer = setTimeout(tick, interval);
    };
    this.#heartbeatTimer = setTimeout(tick, interval);
  }

  #stopHeartbeat(): void {
    clearTimeout(this.#heartbeatTimer);
    this.#heartbeatTimer = undefined;
  }

  #setState(state: ConnectionState): void {
    this.#state = state;
    this.#emit('state', state);
  }

  #emit<K extends keyof RoomClientEvents>(event: K, value: RoomClientEvents[K]): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const listener of set) (listener as Listener<RoomClientEvents[K]>)(value);
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }
}

function detach(socket: SocketLike): void {
  socket.onopen = null;
  socket.onmessage = null;
  socket.onclose = null;
  // Not null: Node's ws reports closing a still-connecting socket as an 'error' event, and
  // an error event nobody listens to would take the whole process down.
  socket.onerror = () => {};
}
