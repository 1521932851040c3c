// The room: members, names, messages, presence and moderation. It knows nothing about
// sockets (it talks to Peers) and nothing about files (it talks to a HistoryStore), so
// its rules are the same under the desktop app, `hearth host` and the tests.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { isIP } from 'node:net';
import { friendlyName, checkName, nameKey } from '../../common/names.ts';
import { derivePasswordKey, passwordProof, proofsMatch, type PasswordKey } from '../../common/password.ts';
import {
  CloseCode,
  LIMITS,
  PROTOCOL_VERSION,
  type AdminFrame,
  type Author,
  type ChatMessage,
  type ClientFrame,
  type ErrorCode,
  type JoinErrorCode,
  type JoinFrame,
  type Member,
  type ServerFrame,
} from '../../common/protocol.ts';
import type { DashboardBan, DashboardPerson } from '../../common/ipc.ts';
import { peerAddress, type Peer } from './connection.ts';
import { encodeFrame, textFrame } from './frame.ts';
import { HistoryFeed } from './history-feed.ts';
import type { TokenBucket } from './rate-limit.ts';
import { RoomStats } from './stats.ts';
import { describeStoreError, toStoreError, type HistoryStore, type NewMessage } from './store.ts';

export interface RoomOptions {
  name: string;
  store: HistoryStore;
  /** Room password; undefined for an open room. */
  password?: string | undefined;
  /** Held by the hosting process only; frames carrying it may moderate. */
  adminToken?: string;
  /**
   * The user id of the hosting app's own member (its chat window): moderation never removes
   * it, and no ban keeps it out.
   */
  ownerId?: string | undefined;
  maxMembers?: number;
  /** Typing indicators switch themselves off after this long without a refresh. */
  typingTimeoutMs?: number;
  /** A member's typing changes reach the room at most this often (the last one always does). */
  typingIntervalMs?: number;
  now?: () => number;
}

/** One connection's state: a visitor until it joins, then a member. */
export class Session {
  readonly peer: Peer;
  readonly nonce = randomBytes(18).toString('base64url');
  readonly connectedAt: number;
  member: (Member & { clientId: string }) | undefined;
  /** Bytes of history this connection's address may be sent (shared by its connections). */
  readonly historyBudget: TokenBucket | undefined;
  /** Its pages of history; set on join. */
  feed: HistoryFeed | undefined;
  /** Gets messages as they are stored; false while it catches up through its feed. */
  live = false;
  /** Typing as the member says it is (refreshed by each `typing` frame). */
  typingTimer: ReturnType<typeof setTimeout> | undefined;
  /** Typing as the room was last told, and when. */
  typingShown = false;
  typingShownAt = 0;
  /** A change waiting for the throttle interval to pass. */
  typingAnnounceTimer: ReturnType<typeof setTimeout> | undefined;
  /**
   * Set when the member was removed (kicked, banned) or another connection of the same
   * client took over: from then on nothing this connection sends changes anything.
   */
  retired = false;
  /** For the dashboard's people table. */
  messagesSent = 0;
  lastActive: number;
  rttMs: number | undefined;
  leaveReason: 'left' | 'timeout' | 'kicked' | 'banned' | 'replaced' = 'left';
  /**
   * Stored messages this client may send again (message id → seq), so that a retry is
   * acked, not stored twice: its latest ones, and on a resume all it sent after `since`
   * (those it may never have seen acked). RoomClient retries only after a resume.
   */
  sent = new Map<string, number>();

  constructor(peer: Peer, now: number, historyBudget?: TokenBucket) {
    this.peer = peer;
    this.connectedAt = now;
    this.lastActive = now;
    this.historyBudget = historyBudget;
  }

  rememberSent(id: string, seq: number): void {
    this.sent.set(id, seq);
    if (this.sent.size > REMEMBERED_SENT_IDS) this.sent.delete(this.sent.keys().next().value!);
  }
}

/** Per client: enough for any outbox RoomClient keeps, small enough not to matter (~100 KB). */
const REMEMBERED_SENT_IDS = 1000;
/** How far back (in seqs) a resuming client's own messages are looked up as possible retries. */
const RETRY_LOOKBACK = 50_000;

/** What a moderation action did, or why not: a missing person, or an action refused as asked. */
type ModerationResult = { ok: true; detail: string } | { ok: false; code: 'no_such_member' | 'admin_refused'; error: string };

interface PendingMessage {
  message: NewMessage;
  /** The sender's user id: the ack goes to whichever connection it has when the batch commits. */
  senderId: string;
}

export interface RoomEvents {
  member_joined: [Member];
  member_left: [Member, string];
  message: [ChatMessage];
  members_changed: [number];
  /** The password was set or cleared (discovery's `lock` follows it). */
  lock_changed: [boolean];
  /** History cannot be read or written (said once per outage, with the reason); '' when it works again. */
  store_problem: [string];
}

/** One row of the dashboard's people table (the contract's shape). */
export type PersonRow = DashboardPerson;

/** One ban (the contract's shape): kept in memory for the room's life, not across restarts. */
export type BanEntry = DashboardBan;

export type Moderation =
  | { action: 'kick' | 'ban'; target: string; reason?: string | undefined }
  | { action: 'unban'; target: string }
  | { action: 'clear_history' }
  | { action: 'topic'; topic: string }
  | { action: 'lock'; password: string }
  | { action: 'unlock' };

/** Public id of a member: stable per client, and reveals nothing about the client id. */
export function userIdFor(clientId: string): string {
  return createHash('sha256').update(`hearth-user:${clientId}`).digest('base64url').slice(0, 12);
}


const FAILED_PASSWORD_LOCKOUT = { freeAttempts: 5, baseMs: 2000, maxMs: 5 * 60_000 };

export class Room extends EventEmitter<RoomEvents> {
  readonly name: string;
  readonly adminToken: string;
  readonly salt = randomBytes(12).toString('base64url');
  readonly startedAt: number;
  readonly stats: RoomStats;
  readonly #store: HistoryStore;
  #passwordKey: PasswordKey | undefined;
  #topic = '';
  readonly #maxMembers: number;
  readonly #typingTimeoutMs: number;
  readonly #typingIntervalMs: number;
  /** Why history is failing right now, once said; undefined while it works. */
  #storeProblem: string | undefined;
  readonly #now: () => number;
  readonly #members = new Map<string, Session>(); // by user id
  readonly #names = new Map<string, Session>(); // by name key
  /** Oldest first. A handful at most on a LAN, so lookups walk the list. */
  #bans: BanEntry[] = [];
  readonly #ownerId: string | undefined;
  /**
   * Members who moderate (the host's own, and whoever has shown the admin token): a ban on
   * an address they share (a terminal admin on the host's machine) never keeps them out.
   */
  readonly #moderators = new Set<string>();
  readonly #failedPasswords = new Map<string, { count: number; until: number }>();
  #pending: PendingMessage[] = [];
  #memberJson = new Map<string, { name: string; since: number; json: string }>();
  #pendingIds = new Map<string, PendingMessage>();
  #flushScheduled = false;
  #closed = false;

  constructor(options: RoomOptions) {
    super();
    this.name = options.name;
    this.#store = options.store;
    this.#passwordKey = options.password ? derivePasswordKey(options.password, this.salt) : undefined;
    this.adminToken = options.adminToken ?? randomBytes(24).toString('base64url');
    this.#ownerId = options.ownerId;
    if (options.ownerId) this.#moderators.add(options.ownerId);
    this.#maxMembers = options.maxMembers ?? 2000;
    this.#typingTimeoutMs = options.typingTimeoutMs ?? 5000;
    this.#typingIntervalMs = options.typingIntervalMs ?? Math.min(1000, this.#typingTimeoutMs / 2);
    this.#now = options.now ?? Date.now;
    this.startedAt = this.#now();
    this.stats = new RoomStats(this.#now);
  }

  get topic(): string {
    return this.#topic;
  }

  get history(): HistoryStore {
    return this.#store;
  }

  /** Everyone here, for the dashboard. */
  people(): PersonRow[] {
    return [...this.#members.values()].map((s) => ({
      id: s.member!.id,
      name: s.member!.name,
      address: s.peer.address,
      since: s.member!.since,
      messages: s.messagesSent,
      lastActive: s.lastActive,
      rttMs: s.rttMs ?? null,
      typing: s.typingTimer !== undefined,
    }));
  }

  /** Who is banned, oldest first: for the dashboard. */
  bans(): BanEntry[] {
    return this.#bans.map((ban) => ({ ...ban }));
  }

  get passwordRequired(): boolean {
    return this.#passwordKey !== undefined;
  }

  get memberCount(): number {
    return this.#members.size;
  }

  /**
   * The welcome carries the whole member list, so a storm of N joins writes N²/2 members.
   * Each member's JSON is kept (by id and name) and the list spliced together, instead of
   * serializing every member again for every join. Same bytes as JSON.stringify(welcome).
   */
  #welcomeFrame(you: Member): Buffer {
    const members: string[] = [];
    for (const s of this.#members.values()) {
      const m = s.member!;
      let cached = this.#memberJson.get(m.id);
      if (!cached || cached.name !== m.name || cached.since !== m.since) {
        cached = { name: m.name, since: m.since, json: JSON.stringify(publicMember(m)) };
        this.#memberJson.set(m.id, cached);
      }
      members.push(cached.json);
    }
    const head = JSON.stringify({ type: 'welcome', you: publicMember(you), room: this.name });
    const tail = `,"members":[${members.join(',')}],"lastSeq":${this.#store.lastSeq},"historyId":${JSON.stringify(this.#store.historyId)},"topic":${JSON.stringify(this.#topic)}}`;
    return textFrame(head.slice(0, -1) + tail);
  }

  /** A new connection: greet it. `historyBudget` is its address's budget for history bytes. */
  open(peer: Peer, historyBudget?: TokenBucket): Session {
    const session = new Session(peer, this.#now(), historyBudget);
    this.#send(session, {
      type: 'hello',
      v: PROTOCOL_VERSION,
      room: this.name,
      passwordRequired: this.passwordRequired,
      nonce: session.nonce,
      salt: this.salt,
    });
    return session;
  }

  /** The connection is gone (closed, timed out, kicked or replaced). */
  close(session: Session, reason: 'left' | 'timeout' = 'left'): void {
    session.feed?.close();
    const member = session.member;
    if (!member || !this.#isCurrent(session)) return;
    this.#stopTyping(session, false);
    this.#members.delete(member.id);
    this.#memberJson.delete(member.id);
    this.#names.delete(nameKey(member.name));
    const why = session.leaveReason === 'left' ? reason : session.leaveReason;
    this.#broadcast({ type: 'member_left', member: publicMember(member), reason: why });
    this.stats.setPeople(this.#members.size);
    if (why !== 'kicked' && why !== 'banned') {
      this.stats.log('leave', `${member.name} ${why === 'timeout' ? 'lost connection (no heartbeat)' : 'left'}`);
    }
    this.emit('member_left', publicMember(member), why);
    this.emit('members_changed', this.#members.size);
  }

  handle(session: Session, frame: ClientFrame): void {
    if (this.#closed) return;
    // A removed or replaced connection is on its way out; until it is gone, whatever it
    // sends is ignored (it must not chat, rename, type or free a name it no longer holds).
    if (session.retired) return;
    switch (frame.type) {
      case 'join':
        return this.#join(session, frame);
      case 'admin':
        return this.#admin(session, frame);
      case 'ping':
        return this.#send(session, { type: 'pong', id: frame.id });
    }
    if (!session.member) {
      return this.#error(session, 'not_joined', 'join the room first', { type: frame.type });
    }
    switch (frame.type) {
      case 'chat':
        return this.#submit(session, frame.id, frame.text, frame.action ? 'action' : 'text', undefined);
      case 'private': {
        const target = this.#findMember(frame.to);
        if (!target) {
          return this.#error(session, 'no_such_member', `nobody called "${frame.to.slice(0, 40)}" is here`, {
            type: 'private',
            id: frame.id,
          });
        }
        if (target === session) {
          return this.#error(session, 'no_such_member', 'you cannot send a private message to yourself', {
            type: 'private',
            id: frame.id,
          });
        }
        return this.#submit(session, frame.id, frame.text, 'text', author(target.member!));
      }
      case 'rename':
        return this.#rename(session, frame.name);
      case 'typing':
        return this.#typing(session, frame.active);
      case 'fetch_history':
        return session.feed!.older(frame.before, frame.limit);
    }
  }

  /** Send an error frame that names the frame it is about. */
  error(session: Session, code: ErrorCode, message: string, ref: { type?: string; id?: string }): void {
    this.#error(session, code, message, ref);
  }

  // -------------------------------------------------------------------------------------
  // Joining

  #join(session: Session, frame: JoinFrame): void {
    if (session.member) return this.#error(session, 'already_joined', 'already joined', { type: 'join' });
    const address = session.peer.address;
    if (frame.v !== PROTOCOL_VERSION) {
      const newer = frame.v > PROTOCOL_VERSION;
      return this.#refuse(session, 'version_mismatch', newer
        ? 'This room runs an older Hearth. Ask the host to update.'
        : 'This room needs a newer Hearth. Please update.', true);
    }
    if (this.#passwordKey) {
      const lockout = this.#failedPasswords.get(address);
      if (lockout && lockout.until > this.#now()) {
        const seconds = Math.ceil((lockout.until - this.#now()) / 1000);
        return this.#refuse(session, 'too_many_attempts', `Too many wrong passwords. Try again in ${seconds} s.`, true);
      }
      if (!frame.proof) {
        return this.#refuse(session, 'password_required', 'This room needs a password.', false);
      }
      const expected = passwordProof(this.#passwordKey, session.nonce, frame.clientId);
      if (!proofsMatch(expected, frame.proof)) {
        this.#recordFailedPassword(address);
        return this.#refuse(session, 'bad_password', 'Wrong password.', true);
      }
      this.#failedPasswords.delete(address);
    }
    const userId = userIdFor(frame.clientId);
    const ban = this.#banOf(userId, address);
    if (ban) return this.#refuse(session, 'banned', `You are banned from this room.${ban.reason ? ` Reason: ${ban.reason}` : ''}`, true);
    const previous = this.#members.get(userId);
    if (!previous && this.#members.size >= this.#maxMembers) {
      return this.#refuse(session, 'room_full', `The room is full (${this.#maxMembers} people).`, true);
    }

    let name: string;
    if (frame.name.trim() === '') {
      name = previous?.member?.name ?? friendlyName(new Set(this.#names.keys()));
    } else {
      const check = checkName(frame.name);
      if (!check.ok) return this.#refuse(session, 'name_invalid', check.reason, false);
      name = check.name;
      const holder = this.#names.get(nameKey(name));
      if (holder && holder !== previous) {
        return this.#refuse(session, 'name_taken', `${takenBecause(name, holder)} Pick another name.`, false);
      }
    }

    // The same client again (a reconnect racing its own dead socket): the new connection
    // takes over quietly, so nobody sees a leave and a join.
    if (previous) {
      this.#retire(previous);
      this.#names.delete(nameKey(previous.member!.name));
      previous.peer.close(CloseCode.replaced, 'replaced by a newer connection');
    }
    const member = { id: userId, name, since: previous?.member?.since ?? this.#now(), clientId: frame.clientId };
    session.member = member;
    if (previous) session.sent = previous.sent;
    // `since` counts in the history the client names; in another one (a history that was
    // lost and started again) it means nothing here.
    const since = frame.historyId === undefined || frame.historyId === this.#store.historyId ? frame.since : undefined;
    this.#members.set(userId, session);
    this.#names.set(nameKey(name), session);

    session.peer.send(this.#welcomeFrame(member));
    this.#startHistory(session, frame.clientId, since);
    this.stats.setPeople(this.#members.size);
    const reconnect = previous !== undefined || frame.since !== undefined;
    if (reconnect) this.stats.reconnects++;
    if (!previous) this.stats.log('join', `${name} joined from ${address}${reconnect ? ' (reconnected)' : ''}`);

    if (!previous) {
      this.#broadcast({ type: 'member_joined', member: publicMember(member) }, session);
      this.emit('member_joined', publicMember(member));
      this.emit('members_changed', this.#members.size);
    } else if (previous.member!.name !== name) {
      this.#broadcast({ type: 'renamed', id: userId, from: previous.member!.name, to: name }, session);
    }
  }

  #refuse(session: Session, code: JoinErrorCode, reason: string, closeAfter: boolean): void {
    this.#send(session, { type: 'join_error', code, reason });
    if (closeAfter) session.peer.close(CloseCode.joinRefused, code);
  }

  #recordFailedPassword(address: string): void {
    const entry = this.#failedPasswords.get(address) ?? { count: 0, until: 0 };
    entry.count++;
    const over = entry.count - FAILED_PASSWORD_LOCKOUT.freeAttempts;
    if (over >= 0) {
      entry.until = this.#now() + Math.min(FAILED_PASSWORD_LOCKOUT.maxMs, FAILED_PASSWORD_LOCKOUT.baseMs * 2 ** over);
    }
    this.#failedPasswords.set(address, entry);
  }

  /**
   * The member's way into the conversation: what it missed since `since` (a resume), or the
   * latest page; page by page as it reads (history-feed.ts), then live.
   */
  #startHistory(session: Session, clientId: string, since: number | undefined): void {
    const viewer = session.member!.id;
    const store = this.#store;
    const feed = new HistoryFeed({
      peer: session.peer,
      store,
      viewer,
      budget: session.historyBudget,
      onCaughtUp: () => {
        if (this.#isCurrent(session)) session.live = true;
      },
      onStoreError: (error, ref, message) => this.#storeFailed(session, error, ref, message),
      sendError: (code, message, ref) => this.#error(session, code, message, ref),
    });
    session.feed = feed;
    // Where to start is worked out with the store's help; if it cannot help (a damaged
    // file), a sensible guess, and the feed says what it could not read.
    const ask = <T>(question: () => T, guess: T): T => {
      try {
        return question();
      } catch (error) {
        this.#reportStoreProblem(error);
        return guess;
      }
    };
    if (since !== undefined && since <= store.lastSeq) {
      // Whatever the page it gets, a returning client resends what it never saw acked:
      // know those as stored. Its outbox cannot hold messages from before its latest
      // RETRY_LOOKBACK, so an old `since` never costs a long scan.
      const from = Math.max(since, store.lastSeq - RETRY_LOOKBACK);
      for (const [id, seq] of ask(() => store.sentAfter(clientId, from), new Map<string, number>())) session.sent.set(id, seq);
    }
    // Seqs count every message, private ones too, so this bounds what was missed from
    // above: one subtraction instead of counting rows.
    if (since !== undefined && since <= store.lastSeq && since >= store.clearedThrough && store.lastSeq - since <= LIMITS.maxResumeMessages) {
      return feed.catchUp('resume', since);
    }
    // First visit, too far behind, or a history the client never saw: the latest page.
    const start = ask(() => store.latestStart(LIMITS.historyOnJoin, viewer), Math.max(1, store.lastSeq - LIMITS.historyOnJoin + 1));
    const exhausted = ask(() => store.pageBefore(start, viewer, 1, 1).messages.length === 0, start <= 1);
    feed.catchUp('latest', start - 1, exhausted);
  }

  // -------------------------------------------------------------------------------------
  // Messages: group commit. Everything that arrives in one event-loop turn is stored in one
  // transaction, then acknowledged and broadcast. Nothing is acked before it is on disk.

  #submit(
    session: Session,
    id: string,
    text: string,
    kind: 'text' | 'action',
    to: Author | undefined,
  ): void {
    const member = session.member!;
    const retryKey = `${member.clientId}\n${id}`;
    const stored = session.sent.get(id);
    if (stored !== undefined) return this.#send(session, { type: 'ack', id, seq: stored });
    if (this.#pendingIds.has(retryKey)) return; // acked with the original when it commits
    const pending: PendingMessage = {
      senderId: member.id,
      message: { id, clientId: member.clientId, from: author(member), to, text, ts: this.#now(), kind },
    };
    this.#pending.push(pending);
    this.#pendingIds.set(retryKey, pending);
    this.#stopTyping(session, true);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Commit what is pending, then ack and broadcast it. */
  flush(): void {
    this.#flushScheduled = false;
    const batch = this.#pending;
    if (batch.length === 0) return;
    this.#pending = [];
    this.#pendingIds = new Map();
    let stored: ChatMessage[];
    try {
      stored = this.#store.append(batch.map((p) => p.message));
    } catch (error) {
      const reason = this.#reportStoreProblem(error);
      for (const p of batch) {
        const sender = this.#members.get(p.senderId);
        if (sender) {
          this.#error(sender, 'store_unavailable', `not sent: the host cannot save messages (${reason})`, {
            type: p.message.to ? 'private' : 'chat',
            id: p.message.id,
          });
        }
      }
      return;
    }
    this.#storeWorks();
    this.stats.messagesTotal += stored.length;
    for (let i = 0; i < stored.length; i++) {
      const message = stored[i]!;
      const sender = this.#members.get(batch[i]!.senderId);
      if (sender) {
        sender.messagesSent++;
        sender.rememberSent(message.id, message.seq);
      }
      const frame = encodeFrame({ type: 'message', message });
      if (sender) sender.peer.send(encodeFrame({ type: 'ack', id: message.id, seq: message.seq }));
      // Members still catching up get it from their feed, in order, after what they missed.
      if (message.to) {
        if (sender?.live) sender.peer.send(frame);
        const recipient = this.#members.get(message.to.id);
        if (recipient?.live) recipient.peer.send(frame);
      } else {
        for (const s of this.#members.values()) if (s.live) s.peer.send(frame);
      }
      this.emit('message', message);
    }
  }

  // -------------------------------------------------------------------------------------
  // Presence

  #rename(session: Session, raw: string): void {
    const member = session.member!;
    const check = checkName(raw);
    if (!check.ok) return this.#error(session, 'name_invalid', check.reason, { type: 'rename' });
    const holder = this.#names.get(nameKey(check.name));
    if (holder && holder !== session) {
      return this.#error(session, 'name_taken', takenBecause(check.name, holder).slice(0, -1), { type: 'rename' });
    }
    if (check.name === member.name) return;
    const from = member.name;
    this.#names.delete(nameKey(from));
    member.name = check.name;
    this.#names.set(nameKey(check.name), session);
    this.#broadcast({ type: 'renamed', id: member.id, from, to: check.name });
    this.stats.log('rename', `${from} is now ${check.name}`);
  }

  /**
   * Typing is a state, not an event: the member says it is typing (again and again, while
   * it is) or that it stopped. The room hears each change at most once per
   * typingIntervalMs, and always the last one, so flipping true/false as fast as one can
   * costs the room one frame a second; a steady "typing" is repeated every half timeout.
   * An `active` nobody refreshes ends by itself.
   */
  #typing(session: Session, active: boolean): void {
    if (!active) return this.#stopTyping(session, true);
    clearTimeout(session.typingTimer);
    session.typingTimer = setTimeout(() => this.#stopTyping(session, true), this.#typingTimeoutMs);
    session.typingTimer.unref?.();
    this.#announceTyping(session);
  }

  /** Stop typing (sending a message, going quiet, leaving); `announce` tells the room. */
  #stopTyping(session: Session, announce: boolean): void {
    clearTimeout(session.typingTimer);
    session.typingTimer = undefined;
    if (announce) this.#announceTyping(session);
    else {
      clearTimeout(session.typingAnnounceTimer);
      session.typingAnnounceTimer = undefined;
    }
  }

  #announceTyping(session: Session): void {
    const typing = session.typingTimer !== undefined;
    // Still typing: said again every half timeout, so clients (whose indicators expire on
    // their own) and people who joined since keep seeing it.
    const refresh = typing && session.typingShown && this.#now() - session.typingShownAt >= this.#typingTimeoutMs / 2;
    if ((typing === session.typingShown && !refresh) || session.typingAnnounceTimer !== undefined || !session.member) return;
    const wait = session.typingShownAt + this.#typingIntervalMs - this.#now();
    if (wait > 0) {
      // Too soon after the last change: say the state as it will be then.
      session.typingAnnounceTimer = setTimeout(() => {
        session.typingAnnounceTimer = undefined;
        if (this.#isCurrent(session)) this.#announceTyping(session);
      }, wait);
      session.typingAnnounceTimer.unref?.();
      return;
    }
    session.typingShown = typing;
    session.typingShownAt = this.#now();
    this.#broadcast({ type: 'typing', user: author(session.member), active: typing }, session);
  }

  // -------------------------------------------------------------------------------------
  // Moderation (admin token only)

  #admin(session: Session, frame: AdminFrame): void {
    if (!this.#isAdminToken(frame.token)) {
      return this.#error(session, 'forbidden', 'only the host can do that', { type: 'admin' });
    }
    if (session.member) this.#moderators.add(session.member.id);
    const result = this.moderate(frame, session.member?.id);
    if (!result.ok) return this.#error(session, result.code, result.error, { type: 'admin' });
    this.#send(session, { type: 'admin_done', action: frame.action, detail: result.detail });
  }

  /**
   * Moderation entry point for the hosting process itself (it holds the token already); `by`
   * is the user id of the member asking, if any (the hosting app's own by default). Every
   * action is logged.
   */
  moderate(action: Moderation, by: string | undefined = this.#ownerId): ModerationResult {
    const result = this.#moderate(action, by);
    if (result.ok) {
      const kind = action.action === 'clear_history' ? 'clear' : action.action === 'unlock' ? 'lock' : action.action;
      this.stats.log(kind, result.detail.charAt(0).toUpperCase() + result.detail.slice(1));
    }
    return result;
  }

  #moderate(action: Moderation, by: string | undefined): ModerationResult {
    switch (action.action) {
      case 'kick':
      case 'ban': {
        const ban = action.action === 'ban';
        const given = action.reason?.trim() ?? '';
        const reason = given || (ban ? 'You were banned by the host.' : 'You were removed by the host.');
        const target = action.target.trim();
        const banner = (by !== undefined && this.#members.get(by)?.member?.name) || 'the host';
        if (ban && isIP(target)) {
          const address = peerAddress(target);
          // Those who moderate stay (the host's own window shares 127.0.0.1 with others on its machine).
          const removed = [...this.#members.values()].filter((s) => s.peer.address === address && !this.#moderators.has(s.member!.id));
          this.#addBan({ name: removed.map((s) => s.member!.name).join(', '), userId: null, address, reason: given, at: this.#now(), by: banner });
          for (const s of removed) this.#remove(s, reason, true);
          return { ok: true, detail: `banned address ${address} (${removed.length} removed)` };
        }
        const session = this.#findMember(target);
        if (!session) return { ok: false, code: 'no_such_member', error: `nobody called "${target.slice(0, 40)}" is here` };
        const member = session.member!;
        if (member.id === by || member.id === this.#ownerId) return { ok: false, code: 'admin_refused', error: 'you cannot remove yourself' };
        if (ban) {
          // The address too: a new browser profile on the same machine is the same person. Not
          // loopback, though: that is the host's own machine, where its windows and terminals are.
          const address = isLoopback(session.peer.address) || session.peer.address === 'unknown' ? null : session.peer.address;
          this.#addBan({ name: member.name, userId: member.id, address, reason: given, at: this.#now(), by: banner });
        }
        this.#remove(session, reason, ban);
        return { ok: true, detail: `${ban ? 'banned' : 'kicked'} ${member.name}${given ? `: ${given}` : ''}` };
      }
      case 'unban': {
        const target = action.target.trim();
        const lifted = this.#bans.filter((b) => banMatches(b, target));
        if (lifted.length === 0) {
          const listed = this.#bans.slice(0, 10).map(describeBan).join(', ') + (this.#bans.length > 10 ? ', …' : '');
          return { ok: false, code: 'no_such_member', error: `${target.slice(0, 40)} is not banned${listed ? ` (banned: ${listed})` : ''}` };
        }
        this.#bans = this.#bans.filter((b) => !lifted.includes(b));
        return { ok: true, detail: `unbanned ${lifted.map(describeBan).join(', ')}` };
      }
      case 'clear_history': {
        this.flush();
        try {
          this.#store.clear();
        } catch (error) {
          return { ok: false, code: 'admin_refused', error: `the history cannot be cleared: ${this.#reportStoreProblem(error)}` };
        }
        this.#broadcast({ type: 'cleared', lastSeq: this.#store.lastSeq });
        return { ok: true, detail: 'history cleared' };
      }
      case 'topic': {
        const topic = action.topic.replace(/\s+/g, ' ').trim();
        if ([...topic].length > LIMITS.maxTopicChars) return { ok: false, code: 'admin_refused', error: `a topic is at most ${LIMITS.maxTopicChars} characters` };
        // eslint-disable-next-line no-control-regex
        if (/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/.test(topic)) return { ok: false, code: 'admin_refused', error: 'a topic cannot contain control characters' };
        this.#topic = topic;
        this.#broadcast({ type: 'topic', topic });
        return { ok: true, detail: topic ? `topic set: ${topic}` : 'topic cleared' };
      }
      case 'lock': {
        if (!action.password) return { ok: false, code: 'admin_refused', error: 'give a password to lock the room' };
        this.#passwordKey = derivePasswordKey(action.password, this.salt);
        this.emit('lock_changed', true);
        return { ok: true, detail: 'room locked: new people need the password' };
      }
      case 'unlock': {
        this.#passwordKey = undefined;
        this.emit('lock_changed', false);
        return { ok: true, detail: 'room unlocked' };
      }
    }
  }

  /** A frame arrived from this connection (for "last active"). */
  touch(session: Session): void {
    session.lastActive = this.#now();
  }

  /** A new ban replaces any earlier one on the same person or address. */
  #addBan(ban: BanEntry): void {
    this.#bans = this.#bans.filter((b) => (ban.userId === null || b.userId !== ban.userId) && (ban.userId !== null || b.userId !== null || b.address !== ban.address));
    this.#bans.push(ban);
  }

  /** The ban that keeps this person out, if any; never one on those who moderate. */
  #banOf(userId: string, address: string): BanEntry | undefined {
    if (this.#moderators.has(userId)) return undefined;
    return this.#bans.find((b) => b.userId === userId || (b.address !== null && b.address === address));
  }

  #remove(session: Session, reason: string, banned: boolean): void {
    this.#send(session, { type: 'kicked', reason, banned });
    session.leaveReason = banned ? 'banned' : 'kicked';
    this.close(session);
    this.#retire(session);
    session.peer.close(banned ? CloseCode.banned : CloseCode.kicked, banned ? 'banned' : 'kicked');
  }

  /** This connection no longer speaks for its member: it changes nothing from now on. */
  #retire(session: Session): void {
    session.retired = true;
    session.live = false;
    session.feed?.close();
    this.#stopTyping(session, false);
  }

  /** The connection that speaks for its member right now (not one removed or replaced). */
  #isCurrent(session: Session): boolean {
    return !session.retired && session.member !== undefined && this.#members.get(session.member.id) === session;
  }

  /** A store call failed while serving `session`: tell it (naming what failed), and the host once. */
  #storeFailed(session: Session, error: unknown, ref: { type: string }, message = 'the host cannot read its history right now'): void {
    const reason = this.#reportStoreProblem(error);
    this.#error(session, 'store_unavailable', `${message} (${reason})`, ref);
  }

  /** Log a store failure once per outage (dashboard and host log); the reason in words. */
  #reportStoreProblem(error: unknown): string {
    const reason = describeStoreError(toStoreError(error).kind);
    if (this.#storeProblem !== reason) {
      this.#storeProblem = reason;
      this.stats.log('store', `History unavailable: ${reason}. The room stays open; messages that cannot be saved are not acknowledged.`);
      this.emit('store_problem', reason);
    }
    return reason;
  }

  #storeWorks(): void {
    if (this.#storeProblem === undefined) return;
    this.#storeProblem = undefined;
    this.stats.log('store', 'History works again.');
    this.emit('store_problem', '');
  }

  #isAdminToken(token: string): boolean {
    const given = Buffer.from(token);
    const expected = Buffer.from(this.adminToken);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  // -------------------------------------------------------------------------------------

  #findMember(nameOrId: string): Session | undefined {
    return this.#names.get(nameKey(nameOrId.trim())) ?? this.#members.get(nameOrId);
  }

  #send(session: Session, frame: ServerFrame): void {
    session.peer.send(encodeFrame(frame));
  }

  #error(session: Session, code: ErrorCode, message: string, ref: { type?: string; id?: string }): void {
    this.#send(session, { type: 'error', code, message, ref });
  }

  /** Serialize once, send to every member (but `except`). */
  #broadcast(frame: ServerFrame, except?: Session): void {
    const data = encodeFrame(frame);
    for (const s of this.#members.values()) if (s !== except) s.peer.send(data);
  }

  /** Stop: store what is pending, then say goodbye to everyone. */
  shutdown(): void {
    if (this.#closed) return;
    this.flush();
    this.#closed = true;
    for (const s of this.#members.values()) {
      this.#retire(s);
      s.peer.close(CloseCode.goingAway, 'host stopped');
    }
  }
}

/** Why a name is taken: the same name, or one that looks the same (common/names.ts: nameKey). */
function takenBecause(name: string, holder: Session): string {
  const theirs = holder.member!.name;
  if (theirs.toLowerCase() === name.toLowerCase()) return `"${name}" is already taken here.`;
  return `"${name}" looks too much like "${theirs}", who is already here.`;
}

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.');
}

/** `/unban` takes a name (any case, lookalikes too), an address or a user id. */
function banMatches(ban: BanEntry, target: string): boolean {
  if (ban.userId === target) return true;
  if (ban.address !== null && isIP(target) && ban.address === peerAddress(target)) return true;
  return ban.userId !== null && ban.name !== '' && nameKey(ban.name) === nameKey(target);
}

function describeBan(ban: BanEntry): string {
  if (ban.userId === null) return ban.address!;
  return ban.address ? `${ban.name} (${ban.address})` : ban.name;
}

function publicMember(m: Member): Member {
  return { id: m.id, name: m.name, since: m.since };
}

function author(m: Member): Author {
  return { id: m.id, name: m.name };
}
