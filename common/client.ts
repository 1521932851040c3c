// RoomClient: one client's view of a room, used by the terminal client, the renderer and
// the tests. It joins, keeps the member list, sends with retries (same id, so the host
// stores each message once), reconnects with backoff and jitter, and resumes from the last
// seq it saw so nothing is lost or doubled. The WebSocket is injected: the browser's, the
// one in Node 24, or ws.
//
// The parts, one job each (common/client/): `outbox.ts` the send window and its retries,
// `link.ts` one socket's life and the heartbeat, `room-state.ts` who is here and where we
// are in the history, `types.ts` the options, states and events. This file joins them:
// connecting, reconnecting, and what each frame from the host means.
import { CloseCode, LIMITS, PROTOCOL_VERSION, textProblem, type AdminAction, type ChatMessage, type ClientFrame, type ErrorCode, type ErrorFrame, type JoinErrorCode, type Member, type ServerFrame } from './protocol.ts';
import { Emitter } from './client/emitter.ts';
import { Link } from './client/link.ts';
import { Outbox } from './client/outbox.ts';
import { RoomState } from './client/room-state.ts';
import type { ConnectionState, LostCause, OutgoingMessage, RoomClientEvents, RoomClientOptions } from './client/types.ts';
import { randomId } from './ids.ts';
import { derivePasswordKey, passwordProof, type PasswordKey } from './password.ts';
import { CLOSED_WORDS, lostWords } from './wording.ts';

export type { ClosedCode, ConnectionState, LostCause, MemberLeftReason, OutgoingMessage, RoomClientEvents, RoomClientOptions, SocketFactory, SocketLike } from './client/types.ts';

const FATAL_CLOSE_CODES = new Set<number>([CloseCode.kicked, CloseCode.banned, CloseCode.replaced, CloseCode.joinRefused]);
const RETRYABLE_JOIN_ERRORS = new Set<JoinErrorCode>(['room_full']);
/** Errors that mean "not now": the message is sent again later, never dropped. */
const LATER_ERRORS = new Set<ErrorCode>(['rate_limited', 'store_unavailable']);

export class RoomClient {
  readonly clientId: string;
  #options: RoomClientOptions;
  #events = new Emitter<RoomClientEvents>();
  #link: Link | undefined;
  #state: ConnectionState = { status: 'idle' };
  #outbox: Outbox;
  #room: RoomState;
  #attempt = 0;
  /** The join's history has arrived: from here on, messages may go. */
  #synced = false;
  #stopped = false;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #passwordKey: { salt: string; password: string; key: PasswordKey } | undefined;
  /** Set when the host has said we are out (refused, removed): the close that follows ends here. */
  #fatal: ConnectionState | undefined;

  constructor(options: RoomClientOptions) {
    this.#options = options;
    this.clientId = options.clientId;
    this.#room = new RoomState(options.lastSeq ?? 0, options.historyId);
    this.#outbox = new Outbox({
      window: options.window,
      retryDelayMs: options.retryDelayMs,
      ackTimeoutMs: options.ackTimeoutMs,
      random: () => this.#random(),
      now: () => this.#now(),
      channel: () => (this.#synced && this.#link?.isOpen ? this.#link : undefined),
      acked: (id, seq) => this.#events.emit('ack', { id, seq }),
      failed: (id, reason) => this.#events.emit('failed', { id, reason }),
      drained: () => this.#events.emit('drained', undefined),
    });
  }

  get state(): ConnectionState {
    return this.#state;
  }
  get me(): Member | undefined {
    return this.#room.me;
  }
  get room(): string {
    return this.#room.room;
  }
  /** The room's topic ('' for none). */
  get topic(): string {
    return this.#room.topic;
  }
  get members(): Member[] {
    return this.#room.members;
  }
  /** Highest seq seen: persist it (with `historyId`) to resume later. */
  get lastSeq(): number {
    return this.#room.lastSeq;
  }
  /** The history `lastSeq` counts in, once a host has said (undefined before). */
  get historyId(): string | undefined {
    return this.#room.historyId;
  }
  /** Messages sent but not yet acknowledged by the host, in the order they were typed. */
  get pending(): OutgoingMessage[] {
    return this.#outbox.pending;
  }
  /** How many of them are on the wire right now (never more than the window). */
  get inFlight(): number {
    return this.#outbox.inFlight;
  }

  on<K extends keyof RoomClientEvents>(event: K, listener: (value: RoomClientEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
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
    this.#link?.drop('bye');
    this.#link = undefined;
    this.#outbox.forgetInFlight();
    this.#setState({ status: 'closed', reason: CLOSED_WORDS.left, code: 'left' });
  }

  /** Queue a message; it is sent as soon as the window allows, and re-sent until the host acks it. */
  send(raw: string, options: { action?: boolean; to?: string } = {}): { ok: true; id: string } | { ok: false; error: string } {
    const text = raw.replace(/\r\n?/g, '\n');
    const problem = textProblem(text);
    if (problem) return { ok: false, error: problem };
    const message: OutgoingMessage = { id: randomId(16), text, kind: options.action ? 'action' : 'text', to: options.to };
    this.#outbox.add(message);
    return { ok: true, id: message.id };
  }

  /**
   * Share a file this client finished uploading (its tus upload id), with an optional caption:
   * queued, sent, acked and retried exactly like a message.
   */
  share(upload: string, options: { caption?: string; to?: string } = {}): { ok: true; id: string } | { ok: false; error: string } {
    const text = (options.caption ?? '').replace(/\r\n?/g, '\n');
    if (text.trim() !== '') {
      const problem = textProblem(text);
      if (problem) return { ok: false, error: problem };
    }
    const message: OutgoingMessage = { id: randomId(16), text: text.trim() === '' ? '' : text, kind: 'text', to: options.to, upload };
    this.#outbox.add(message);
    return { ok: true, id: message.id };
  }

  rename(name: string): void {
    this.#link?.sendFrame({ type: 'rename', name });
  }

  typing(active: boolean): void {
    if (this.#synced) this.#link?.sendFrame({ type: 'typing', active });
  }

  fetchOlder(before: number, limit: number = LIMITS.historyOnJoin): void {
    this.#link?.sendFrame({ type: 'fetch_history', before, limit });
  }

  /** Moderation, for a client that holds the host's admin token. */
  admin(token: string, action: AdminAction): void {
    this.#link?.sendFrame({ type: 'admin', token, ...action });
  }

  // -------------------------------------------------------------------------------------

  #open(): void {
    clearTimeout(this.#reconnectTimer);
    this.#synced = false;
    this.#outbox.forgetInFlight();
    this.#setState({ status: 'connecting', attempt: this.#attempt });
    let socket;
    try {
      socket = this.#options.createSocket(this.#options.url);
    } catch (error) {
      return this.#lost('cannot_connect', error instanceof Error ? error.message : String(error));
    }
    const link: Link = new Link(
      socket,
      { connectTimeoutMs: this.#options.connectTimeoutMs ?? 5000, heartbeatMs: this.#options.heartbeatMs ?? 10_000, now: () => this.#now() },
      {
        frame: (frame) => this.#receive(frame),
        gaveUp: (cause) => {
          if (this.#link !== link) return;
          this.#link = undefined;
          this.#lost(cause);
        },
        closed: (code, opened) => {
          if (this.#link !== link) return;
          this.#link = undefined;
          this.#closed(code, opened);
        },
      },
    );
    this.#link = link;
  }

  /** The socket closed: out of the room for good, or lost and tried again. */
  #closed(code: number, opened: boolean): void {
    this.#outbox.forgetInFlight();
    if (this.#fatal) return this.#setState(this.#fatal);
    if (FATAL_CLOSE_CODES.has(code)) {
      const replaced = code === CloseCode.replaced;
      return this.#setState({ status: 'closed', reason: replaced ? CLOSED_WORDS.replaced : CLOSED_WORDS.hostClosed, code: replaced ? 'replaced' : 'left' });
    }
    this.#lost(code === CloseCode.goingAway ? 'host_stopped' : opened ? 'connection_lost' : 'unreachable');
  }

  #lost(cause: LostCause, detail?: string): void {
    this.#synced = false;
    this.#outbox.forgetInFlight();
    if (this.#stopped) return;
    const retryInMs = reconnectDelay(this.#attempt, this.#random(), this.#options.backoff);
    this.#attempt++;
    this.#setState({ status: 'reconnecting', attempt: this.#attempt, retryInMs, cause, reason: lostWords(cause, detail) });
    this.#reconnectTimer = setTimeout(() => this.#open(), retryInMs);
  }

  #receive(frame: ServerFrame): void {
    const room = this.#room;
    switch (frame.type) {
      case 'hello':
        return this.#join(frame.nonce, frame.salt, frame.passwordRequired);
      case 'welcome': {
        const reset = room.welcome(frame);
        if (reset) this.#events.emit('reset', reset);
        this.#attempt = 0;
        this.#events.emit('welcome', frame);
        this.#events.emit('members', room.members);
        this.#setState({ status: 'connected' });
        return;
      }
      case 'history': {
        for (const m of frame.messages) {
          room.saw(m.seq);
          this.#settleOwn(m);
        }
        this.#events.emit('history', frame);
        if (frame.complete && frame.mode !== 'older' && !this.#synced) this.#onSynced();
        return;
      }
      case 'join_error': {
        if (RETRYABLE_JOIN_ERRORS.has(frame.code) && !this.#stopped) return this.#link?.close(CloseCode.normal, 'retry later');
        const fatal: ConnectionState = { status: 'closed', reason: frame.reason, code: frame.code };
        this.#fatal = fatal;
        this.#stopped = true;
        this.#setState(fatal);
        this.#link?.close(CloseCode.normal, 'join refused');
        return;
      }
      case 'message': {
        if (!room.saw(frame.message.seq)) return; // Already seen (a resume overlapping the live feed).
        this.#settleOwn(frame.message);
        this.#events.emit('message', frame.message);
        return;
      }
      case 'ack':
        return this.#outbox.acked(frame.id, frame.seq);
      case 'members':
        room.setMembers(frame.members);
        return this.#events.emit('members', room.members);
      case 'member_joined':
        room.joined(frame.member);
        this.#events.emit('member_joined', frame.member);
        return this.#events.emit('members', room.members);
      case 'member_left':
        room.left(frame.member);
        this.#events.emit('member_left', { member: frame.member, reason: frame.reason });
        return this.#events.emit('members', room.members);
      case 'renamed':
        room.renamed(frame.id, frame.to);
        this.#events.emit('renamed', { id: frame.id, from: frame.from, to: frame.to });
        return this.#events.emit('members', room.members);
      case 'typing':
        return this.#events.emit('typing', { user: frame.user, active: frame.active });
      case 'error':
        return this.#onError(frame);
      case 'kicked':
        this.#fatal = { status: 'closed', reason: frame.reason, code: frame.banned ? 'banned' : 'kicked' };
        this.#stopped = true;
        return this.#events.emit('kicked', { reason: frame.reason, banned: frame.banned });
      case 'cleared':
        return this.#events.emit('cleared', { lastSeq: frame.lastSeq });
      case 'topic':
        room.topic = frame.topic;
        return this.#events.emit('topic', frame.topic);
      case 'pong':
        return; // Hearing anything is what the heartbeat waits for (link.ts).
      case 'admin_done':
        return this.#events.emit('admin_done', { action: frame.action, detail: frame.detail });
      case 'file_deleted':
        return this.#events.emit('file_deleted', frame.file);
    }
  }

  #join(nonce: string, salt: string, passwordRequired: boolean): void {
    const frame: ClientFrame = { type: 'join', v: PROTOCOL_VERSION, name: this.#options.name, clientId: this.clientId };
    const password = this.#options.password;
    if (passwordRequired && password) {
      if (this.#passwordKey?.salt !== salt || this.#passwordKey.password !== password) {
        this.#passwordKey = { salt, password, key: derivePasswordKey(password, salt) };
      }
      const bound = this.#options.channelFingerprint;
      frame.proof = passwordProof(this.#passwordKey.key, nonce, this.clientId, bound);
      if (bound !== undefined) frame.proofBound = true;
    }
    // After a first join, always say what was seen (even nothing): the host then knows
    // which of this client's messages it may retry (those after `since`). And in which
    // history: a host whose history started again answers with its latest page instead.
    if (this.#room.me || this.#options.lastSeq !== undefined) {
      frame.since = this.#room.lastSeq;
      const historyId = this.#room.historyId;
      if (historyId !== undefined) frame.historyId = historyId;
    }
    this.#link?.sendFrame(frame);
  }

  /**
   * One of our own messages, seen stored: as good as its ack, which a dropped connection
   * may have lost. So a resume's history settles the outbox before anything is resent.
   */
  #settleOwn(m: ChatMessage): void {
    if (m.from.id !== this.#room.me?.id) return;
    this.#outbox.acked(m.id, m.seq);
  }

  #onSynced(): void {
    this.#synced = true;
    // Everything not acknowledged goes again, from the start of the outbox, with the same
    // ids: the host stores each once.
    this.#outbox.pump();
  }

  #onError(frame: ErrorFrame): void {
    const id = frame.ref.id;
    if (frame.ref.type === 'join' && frame.code === 'store_unavailable') {
      // The host cannot read its history: no page comes, but the person can still talk.
      this.#events.emit('error', frame);
      if (!this.#synced) this.#onSynced();
      return;
    }
    // About a message, or about no frame in particular (an older host's rate notice). An
    // answer about a history request or anything else leaves the outbox alone.
    const aboutMessages = frame.ref.type === undefined || frame.ref.type === 'chat' || frame.ref.type === 'private' || frame.ref.type === 'share';
    if (LATER_ERRORS.has(frame.code) && aboutMessages) this.#outbox.later(id, frame.code === 'store_unavailable' ? 3 : 1);
    else if (id !== undefined && this.#outbox.has(id)) this.#outbox.refused(id, frame.message);
    this.#events.emit('error', frame);
  }

  #setState(state: ConnectionState): void {
    this.#state = state;
    this.#events.emit('state', state);
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  #random(): number {
    return (this.#options.random ?? Math.random)();
  }
}

/**
 * How long to wait before the next try. On a LAN a host comes back in seconds: never more
 * than 5 s by default. Full jitter on half the window, so a room full of clients does not
 * come back in lockstep.
 */
export function reconnectDelay(attempt: number, random: number, backoff: { baseMs: number; maxMs: number } = { baseMs: 500, maxMs: 5_000 }): number {
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + (random * ceiling) / 2);
}
