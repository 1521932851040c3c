// RoomClient: one client's view of a room, used by the terminal client, the renderer and
// the tests. It joins, keeps the member list, sends with retries (same id, so the host
// stores each message once), reconnects with backoff and jitter, and resumes from the last
// seq it saw so nothing is lost or doubled. The WebSocket is injected: the browser's, the
// one in Node 24, or ws.
//
// Flow control (docs/architecture.md "Flow control"): the outbox is sent in the order it was
// typed through a window of unacked messages, and each ack lets the next one go. Whatever the
// host says it cannot take now (rate_limited, store_unavailable) is "later": the same message
// goes again after a backoff, and nothing new goes meanwhile. Only a message the host refuses
// as such is "failed".
import { randomId } from './ids.ts';
import { derivePasswordKey, passwordProof, type PasswordKey } from './password.ts';
import {
  CloseCode,
  PROTOCOL_VERSION,
  parseServerFrame,
  textProblem,
  type ChatMessage,
  type ClientFrame,
  type ErrorCode,
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
  /** The outbox has just emptied: everything sent was acked (or failed). */
  drained: undefined;
  /**
   * The host's history is not the one this client counted in (a new history id, or a last
   * seq below ours): the client starts again from seq 0, and the `latest` page that follows
   * replaces whatever was shown.
   */
  reset: { reason: 'new_history' | 'behind'; previousLastSeq: number; historyId: string };
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
  /** The history `lastSeq` counts in (`welcome.historyId`, kept with it). */
  historyId?: string;
  backoff?: { baseMs: number; maxMs: number };
  /** Heartbeat interval; the connection is presumed dead after 2.5 intervals of silence. */
  heartbeatMs?: number;
  /** For retries of messages the host asked us to slow down on (doubled while it keeps asking, up to 8x). */
  retryDelayMs?: number;
  /**
   * The send window: at most this many messages, and this many bytes of frames, sent and not
   * yet acked. 16 messages hide a LAN round trip many times over, and stay well under the
   * burst a host takes at once (60), so even an older host that drops frames over its budget
   * drops few. 128 KiB is eight messages of the longest kind: what one client may have waiting
   * in the host's buffers, whatever it is sending.
   */
  window?: { messages: number; bytes: number };
  /**
   * A message sent on a live connection and neither acked nor refused by then is sent again
   * (same id: the host acks a retry instead of storing it twice). A safety net for a frame an
   * older host dropped without saying so; a host that paces by backpressure never needs it.
   */
  ackTimeoutMs?: number;
  /** A connection that has not opened by then is given up and retried (a dead link can hang a connect for minutes). */
  connectTimeoutMs?: number;
  random?: () => number;
  now?: () => number;
}

type Listener<T> = (value: T) => void;

const FATAL_CLOSE_CODES = new Set<number>([CloseCode.kicked, CloseCode.banned, CloseCode.replaced, CloseCode.joinRefused]);
const RETRYABLE_JOIN_ERRORS = new Set<JoinErrorCode>(['room_full']);
/** Errors that mean "not now": the message is sent again later, never dropped. */
const LATER_ERRORS = new Set<ErrorCode>(['rate_limited', 'store_unavailable']);
const DEFAULT_WINDOW = { messages: 16, bytes: 128 * 1024 };

/** A message sent on the current connection and not yet acked. */
interface InFlight {
  /** Frame bytes, counted against the window. */
  bytes: number;
  sentAt: number;
  /**
   * Send order on this connection of the earliest transmission still believed to have
   * reached the host, and of the latest: the host answers a connection's frames in order,
   * so an ack for a message means every message whose last transmission came before that
   * message's first one was answered too (an unanswered one was dropped unseen).
   */
  firstOrder: number | undefined;
  lastOrder: number;
  /** The host said "later" (or dropped it): it goes again when the hold ends. */
  later: boolean;
}

export class RoomClient {
  readonly clientId: string;
  #options: RoomClientOptions;
  #socket: SocketLike | undefined;
  #state: ConnectionState = { status: 'idle' };
  #listeners = new Map<keyof RoomClientEvents, Set<Listener<never>>>();
  /** Everything not yet acked, in the order it was typed. */
  #outbox = new Map<string, OutgoingMessage>();
  /** The part of the outbox sent on this connection and not acked: the window. */
  #inFlight = new Map<string, InFlight>();
  #inFlightBytes = 0;
  #sendOrder = 0;
  /** Set while the host has asked us to wait: nothing is sent until it fires. */
  #holdTimer: ReturnType<typeof setTimeout> | undefined;
  /** "Later" answers since the last ack: the backoff doubles with each. */
  #laterStreak = 0;
  #ackTimer: ReturnType<typeof setTimeout> | undefined;
  #historyId: string | undefined;
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
    this.#historyId = options.historyId;
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
  /** Highest seq seen: persist it (with `historyId`) to resume later. */
  get lastSeq(): number {
    return this.#lastSeq;
  }
  /** The history `lastSeq` counts in, once a host has said (undefined before). */
  get historyId(): string | undefined {
    return this.#historyId;
  }
  /** Messages sent but not yet acknowledged by the host, in the order they were typed. */
  get pending(): OutgoingMessage[] {
    return [...this.#outbox.values()];
  }
  /** How many of them are on the wire right now (never more than the window). */
  get inFlight(): number {
    return this.#inFlight.size;
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
    this.#forgetInFlight();
    this.#setState({ status: 'closed', reason: 'You left the room.', code: 'left' });
  }

  /** Queue a message; it is sent as soon as the window allows, and re-sent until the host acks it. */
  send(raw: string, options: { action?: boolean; to?: string } = {}): { ok: true; id: string } | { ok: false; error: string } {
    const text = raw.replace(/\r\n?/g, '\n');
    const problem = textProblem(text);
    if (problem) return { ok: false, error: problem };
    const message: OutgoingMessage = { id: randomId(16), text, kind: options.action ? 'action' : 'text', to: options.to };
    this.#outbox.set(message.id, message);
    this.#pump();
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
    this.#forgetInFlight();
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
      this.#forgetInFlight();
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
    this.#forgetInFlight();
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
        this.#checkHistory(frame);
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
        return this.#acked(frame.id, frame.seq);
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
    // which of this client's messages it may retry (those after `since`). And in which
    // history: a host whose history started again answers with its latest page instead.
    if (this.#me || this.#options.lastSeq !== undefined) {
      frame.since = this.#lastSeq;
      if (this.#historyId !== undefined) frame.historyId = this.#historyId;
    }
    this.#frame(frame);
  }

  /**
   * A host whose history was lost and started again counts seqs from 1 again: keeping our
   * lastSeq would hide every new message as "already seen". Start over from 0.
   */
  #checkHistory(welcome: WelcomeFrame): void {
    const known = this.#historyId;
    this.#historyId = welcome.historyId;
    const reason = known !== undefined && known !== welcome.historyId ? 'new_history' : welcome.lastSeq < this.#lastSeq ? 'behind' : undefined;
    if (!reason) return;
    const previousLastSeq = this.#lastSeq;
    this.#lastSeq = 0;
    this.#emit('reset', { reason, previousLastSeq, historyId: welcome.historyId });
  }

  /**
   * One of our own messages, seen stored: as good as its ack, which a dropped connection
   * may have lost. So a resume's history settles the outbox before anything is resent.
   */
  #settleOwn(m: ChatMessage): void {
    if (m.from.id !== this.#me?.id) return;
    this.#acked(m.id, m.seq);
  }

  #acked(id: string, seq: number): void {
    if (!this.#outbox.delete(id)) return; // a second ack for a retry, or not ours
    const flight = this.#inFlight.get(id);
    if (flight) {
      this.#inFlight.delete(id);
      this.#inFlightBytes -= flight.bytes;
      this.#laterStreak = 0;
      if (flight.firstOrder !== undefined) this.#findDropped(flight.firstOrder);
    }
    this.#emit('ack', { id, seq });
    if (this.#outbox.size === 0) this.#emit('drained', undefined);
    this.#pump();
  }

  /**
   * Messages sent before one the host has just answered, and not answered themselves: an
   * older host dropped them over its rate budget without a word (it explains once a second).
   * They go again after the backoff, like any other "later".
   */
  #findDropped(answeredFrom: number): void {
    let dropped = false;
    for (const flight of this.#inFlight.values()) {
      if (flight.later || flight.lastOrder >= answeredFrom) continue;
      flight.later = true;
      flight.firstOrder = undefined;
      dropped = true;
    }
    if (dropped) this.#hold(1);
  }

  #onSynced(): void {
    this.#synced = true;
    // Everything not acknowledged goes again, from the start of the outbox, with the same
    // ids: the host stores each once.
    this.#pump();
  }

  #onError(frame: ErrorFrame): void {
    const id = frame.ref.id;
    if (frame.ref.type === 'join' && frame.code === 'store_unavailable') {
      // The host cannot read its history: no page comes, but the person can still talk.
      this.#emit('error', frame);
      if (!this.#synced) this.#onSynced();
      return;
    }
    // About a message, or about no frame in particular (an older host's rate notice). An
    // answer about a history request or anything else leaves the outbox alone.
    const aboutMessages = frame.ref.type === undefined || frame.ref.type === 'chat' || frame.ref.type === 'private';
    if (LATER_ERRORS.has(frame.code) && aboutMessages) {
      // The host could not take it now: the same message (or, when it does not say which,
      // everything on the wire) goes again after a backoff, and nothing new goes meanwhile.
      const flights = id !== undefined ? [this.#inFlight.get(id)] : [...this.#inFlight.values()];
      for (const flight of flights) {
        if (!flight) continue;
        flight.later = true;
        flight.firstOrder = undefined; // that transmission was not taken
      }
      this.#hold(frame.code === 'store_unavailable' ? 3 : 1);
    } else if (id !== undefined && this.#outbox.has(id)) {
      this.#outbox.delete(id);
      this.#dropFlight(id);
      this.#emit('failed', { id, reason: frame.message });
      if (this.#outbox.size === 0) this.#emit('drained', undefined);
      this.#pump();
    }
    this.#emit('error', frame);
  }

  /** Send nothing for a while (the backoff), then resend what was put off, in order. */
  #hold(factor: number): void {
    if (this.#holdTimer !== undefined) return;
    const random = this.#options.random ?? Math.random;
    const base = (this.#options.retryDelayMs ?? 1000) * factor * 2 ** Math.min(this.#laterStreak, 3);
    this.#laterStreak++;
    // A little jitter, upwards only: an older host explains at most once a second.
    const delay = Math.round(base * (1 + random() / 4));
    this.#holdTimer = setTimeout(() => {
      this.#holdTimer = undefined;
      this.#resendLater();
      this.#pump();
    }, delay);
  }

  #resendLater(): void {
    if (!this.#synced) return;
    for (const message of this.#outbox.values()) {
      const flight = this.#inFlight.get(message.id);
      if (flight?.later) this.#transmit(message, flight);
    }
  }

  /** Send from the start of the outbox whatever is not on the wire, as far as the window allows. */
  #pump(): void {
    if (!this.#synced || this.#holdTimer !== undefined) return;
    const socket = this.#socket;
    if (!socket || socket.readyState !== 1) return;
    const window = this.#options.window ?? DEFAULT_WINDOW;
    for (const message of this.#outbox.values()) {
      if (this.#inFlight.size >= window.messages) return;
      if (this.#inFlight.has(message.id)) continue;
      const data = encodeMessage(message);
      const bytes = utf8Length(data);
      // One message always fits, however long: the window bounds, it never blocks.
      if (this.#inFlight.size > 0 && this.#inFlightBytes + bytes > window.bytes) return;
      const flight: InFlight = { bytes, sentAt: 0, firstOrder: undefined, lastOrder: 0, later: false };
      this.#inFlight.set(message.id, flight);
      this.#inFlightBytes += bytes;
      this.#transmit(message, flight, data);
    }
  }

  #transmit(message: OutgoingMessage, flight: InFlight, data = encodeMessage(message)): void {
    const socket = this.#socket;
    if (!socket || socket.readyState !== 1) return;
    flight.lastOrder = ++this.#sendOrder;
    flight.firstOrder ??= flight.lastOrder;
    flight.sentAt = this.#now();
    flight.later = false;
    socket.send(data);
    if (this.#ackTimer === undefined) this.#armAckTimer(flight.sentAt);
  }

  /** The safety net: resend what has waited longer than ackTimeoutMs on a live connection. */
  #armAckTimer(oldestSentAt: number): void {
    const timeout = this.#options.ackTimeoutMs ?? 15_000;
    this.#ackTimer = setTimeout(
      () => {
        this.#ackTimer = undefined;
        const now = this.#now();
        // While the host has asked us to wait, the wait comes first; look again after it.
        const held = this.#holdTimer !== undefined;
        let oldest: number | undefined;
        for (const message of this.#outbox.values()) {
          const flight = this.#inFlight.get(message.id);
          if (!flight || flight.later) continue;
          if (!held && now - flight.sentAt >= timeout) this.#transmit(message, flight);
          oldest = Math.min(oldest ?? flight.sentAt, flight.sentAt);
        }
        if (oldest !== undefined) this.#armAckTimer(held ? now : oldest);
      },
      Math.max(0, oldestSentAt + timeout - this.#now()),
    );
  }

  #dropFlight(id: string): void {
    const flight = this.#inFlight.get(id);
    if (!flight) return;
    this.#inFlight.delete(id);
    this.#inFlightBytes -= flight.bytes;
  }

  /** A new connection starts with nothing on the wire: the outbox goes again once synced. */
  #forgetInFlight(): void {
    this.#inFlight.clear();
    this.#inFlightBytes = 0;
    clearTimeout(this.#holdTimer);
    this.#holdTimer = undefined;
    clearTimeout(this.#ackTimer);
    this.#ackTimer = undefined;
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

function encodeMessage(message: OutgoingMessage): string {
  if (message.to !== undefined) return JSON.stringify({ type: 'private', id: message.id, to: message.to, text: message.text } satisfies ClientFrame);
  const frame: ClientFrame = { type: 'chat', id: message.id, text: message.text };
  if (message.kind === 'action') frame.action = true;
  return JSON.stringify(frame);
}

/** Bytes of `text` in UTF-8 (common/ runs where TextEncoder may not be typed). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit < 0xdc00 && i + 1 < text.length) {
      bytes += 4; // a surrogate pair: one code point of four bytes
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function detach(socket: SocketLike): void {
  socket.onopen = null;
  socket.onmessage = null;
  socket.onclose = null;
  // Not null: Node's ws reports closing a still-connecting socket as an 'error' event, and
  // an error event nobody listens to would take the whole process down.
  socket.onerror = () => {};
}
