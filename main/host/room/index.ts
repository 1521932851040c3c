// The room: members, names, messages, presence and moderation. It knows nothing about
// sockets (it talks to Peers), disks (a HistoryStore) or file bytes (RoomFiles), so
// its rules are the same under the desktop app, `hearth host` and the tests. This file
// holds the room's state and routes frames; each job lives in its own module beside it.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { ActivityKind, DashboardFiles } from '../../../common/dashboard.ts';
import { derivePasswordKey, type PasswordKey } from '../../../common/password.ts';
import { CloseCode, PROTOCOL_VERSION, type AdminFrame, type ChatMessage, type ClientFrame, type ErrorCode, type FileRef, type Member, type ModerationAction } from '../../../common/protocol.ts';
import type { FileAccess, RoomFiles } from '../files/contract.ts';
import type { Peer } from '../peer.ts';
import type { TokenBucket } from '../rate-limit.ts';
import { RoomStats } from '../stats.ts';
import type { HistoryStore } from '../store/index.ts';
import { PasswordLockout } from './admission.ts';
import { Bans, type BanEntry } from './bans.ts';
import { FilesOverview, personRow, type PersonRow } from './dashboard.ts';
import { Delivery } from './delivery.ts';
import { deleteFile, fileIn, RecentLeavers, share, tokenHolderPresent, type DeleteFileResult } from './files.ts';
import { Members } from './members.ts';
import { join, leave, turnAwayPlain, type MembershipContext } from './membership.ts';
import { isAdminToken, moderate, type ModerationContext, type ModerationResult } from './moderation.ts';
import type { RoomParts } from './parts.ts';
import { author, send, sendError, Session } from './session.ts';
import { StoreHealth } from './store-health.ts';
import { Typing } from './typing.ts';

export { Session, userIdFor } from './session.ts';

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
  /** The host's files service (main/host/files/); without it the room takes no files. */
  files?: RoomFiles | undefined;
  /** Refuse joins that did not come over TLS (`hearth host --encrypted-only`). */
  encryptedOnly?: boolean;
  /** SHA-256 of the certificate the host presents (lowercase hex): password proofs bound to it are taken over TLS. */
  fingerprint?: string | undefined;
  /** Typing indicators switch themselves off after this long without a refresh. */
  typingTimeoutMs?: number;
  /** A member's typing changes reach the room at most this often (the last one always does). */
  typingIntervalMs?: number;
  now?: () => number;
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

export class Room extends EventEmitter<RoomEvents> implements FileAccess {
  readonly name: string;
  readonly adminToken: string;
  readonly salt = randomBytes(12).toString('base64url');
  readonly startedAt: number;
  readonly stats: RoomStats;
  #encryptedOnly: boolean;
  readonly #tls: boolean;
  #passwordKey: PasswordKey | undefined;
  #topic = '';
  readonly #parts: RoomParts;
  readonly #members = new Members();
  readonly #bans = new Bans();
  readonly #typing: Typing;
  readonly #delivery: Delivery;
  readonly #membership: MembershipContext;
  readonly #moderation: ModerationContext;
  readonly #filesOverview: FilesOverview | undefined;
  #closed = false;

  constructor(options: RoomOptions) {
    super();
    this.name = options.name;
    this.#encryptedOnly = options.encryptedOnly ?? false;
    this.#tls = options.fingerprint !== undefined;
    this.#passwordKey = options.password ? derivePasswordKey(options.password, this.salt) : undefined;
    // Hex, not base64url: people paste it after --admin-token, and one starting with '-'
    // (1 in 64 base64url tokens) reads as another option.
    this.adminToken = options.adminToken ?? randomBytes(24).toString('hex');
    if (options.ownerId) this.#bans.addModerator(options.ownerId);
    const now = options.now ?? Date.now;
    this.startedAt = now();
    this.stats = new RoomStats(now);
    const health = new StoreHealth(this.stats, (reason) => this.emit('store_problem', reason));
    const { store, files } = options;
    const parts: RoomParts = { name: this.name, store, members: this.#members, bans: this.#bans, stats: this.stats, health, now, files, leavers: new RecentLeavers() };
    this.#parts = parts;
    this.#filesOverview = files && new FilesOverview(files, store);
    const typingTimeoutMs = options.typingTimeoutMs ?? 5000;
    const typingIntervalMs = options.typingIntervalMs ?? Math.min(1000, typingTimeoutMs / 2);
    this.#typing = new Typing({ members: this.#members, now, timeoutMs: typingTimeoutMs, intervalMs: typingIntervalMs });
    this.#delivery = new Delivery({
      ...parts,
      sent: (session) => this.#typing.stop(session, true),
      stored: (message) => {
        if (message.file) this.#filesOverview?.stale();
        this.emit('message', message);
      },
    });
    this.#membership = {
      ...parts,
      typing: this.#typing,
      lockout: new PasswordLockout(),
      maxMembers: options.maxMembers ?? 2000,
      passwordKey: () => this.#passwordKey,
      encryptedOnly: () => this.#encryptedOnly,
      fingerprint: options.fingerprint,
      topic: () => this.#topic,
      retire: (session) => this.#retire(session),
      joined: (member) => {
        this.emit('member_joined', member);
        this.emit('members_changed', this.#members.size);
      },
      left: (member, why) => {
        this.emit('member_left', member, why);
        this.emit('members_changed', this.#members.size);
      },
    };
    this.#moderation = {
      ...parts,
      ownerId: options.ownerId,
      flush: () => this.flush(),
      remove: (session, reason, banned) => this.#remove(session, reason, banned),
      setTopic: (topic) => {
        this.#topic = topic;
        this.#members.broadcast({ type: 'topic', topic });
      },
      setPassword: (password) => {
        this.#passwordKey = password === undefined ? undefined : derivePasswordKey(password, this.salt);
        this.emit('lock_changed', password !== undefined);
      },
    };
  }

  get topic(): string {
    return this.#topic;
  }

  get history(): HistoryStore {
    return this.#parts.store;
  }

  get passwordRequired(): boolean {
    return this.#passwordKey !== undefined;
  }

  /** Only TLS connections may join (/health says so, so a browser on plain http is told before trying). */
  get encryptedOnly(): boolean {
    return this.#encryptedOnly;
  }

  /**
   * The hosting panel's switch. Turned on, nobody stays in without encryption: whoever joined
   * plain is told the same sentence a plain join gets, and disconnected for good (the client
   * does not retry a refusal). Returns their names; turned off, plain joins come in again.
   */
  setEncryptedOnly(on: boolean): string[] {
    if (on && !this.#tls) throw new Error('encrypted connections only needs TLS: this room has no certificate');
    if (on === this.#encryptedOnly) return [];
    this.#encryptedOnly = on;
    if (!on) {
      this.stats.log('lock', 'Encrypted connections only: off. Browsers on the link can join again');
      return [];
    }
    return turnAwayPlain(this.#membership);
  }

  get memberCount(): number {
    return this.#members.size;
  }

  /** Everyone here, for the dashboard. */
  people(): PersonRow[] {
    return [...this.#members.values()].map(personRow);
  }

  /** Who is banned, oldest first: for the dashboard. */
  bans(): BanEntry[] {
    return this.#bans.list();
  }

  /** The files kept on the host, for the dashboard; null when the room takes no files. */
  files(): DashboardFiles | null {
    return this.#filesOverview?.snapshot() ?? null;
  }

  /** A new connection: greet it. `historyBudget` is its address's budget for history bytes; `encrypted`: it came over TLS. */
  open(peer: Peer, historyBudget?: TokenBucket, connection: { encrypted: boolean } = { encrypted: false }): Session {
    const session = new Session(peer, this.#parts.now(), historyBudget, connection.encrypted);
    send(session, { type: 'hello', v: PROTOCOL_VERSION, room: this.name, passwordRequired: this.passwordRequired, nonce: session.nonce, salt: this.salt });
    return session;
  }

  /** The connection is gone (closed, timed out, kicked or replaced). */
  close(session: Session, reason: 'left' | 'timeout' = 'left'): void {
    leave(session, reason, this.#membership);
  }

  handle(session: Session, frame: ClientFrame): void {
    if (this.#closed) return;
    // A removed or replaced connection is on its way out; until it is gone, whatever it
    // sends is ignored (it must not chat, rename, type or free a name it no longer holds).
    if (session.retired) return;
    switch (frame.type) {
      case 'join':
        return join(session, frame, this.#membership);
      case 'admin':
        return this.#admin(session, frame);
      case 'ping':
        return send(session, { type: 'pong', id: frame.id });
    }
    if (!session.member) return sendError(session, 'not_joined', 'join the room first', { type: frame.type });
    switch (frame.type) {
      case 'chat':
        return this.#delivery.submit(session, frame.id, frame.text, frame.action ? 'action' : 'text', undefined);
      case 'private': {
        const target = this.#members.find(frame.to);
        const ref = { type: 'private', id: frame.id };
        if (!target) return sendError(session, 'no_such_member', `nobody called "${frame.to.slice(0, 40)}" is here`, ref);
        if (target === session) return sendError(session, 'no_such_member', 'you cannot send a private message to yourself', ref);
        return this.#delivery.submit(session, frame.id, frame.text, 'text', author(target.member!));
      }
      case 'share':
        return share(session, frame, this.#delivery, this.#parts);
      case 'rename': {
        const renamed = this.#members.rename(session, frame.name);
        if (!renamed) return;
        if (!renamed.ok) return sendError(session, renamed.code, renamed.message, { type: 'rename' });
        const { id, name } = session.member;
        this.#members.broadcast({ type: 'renamed', id, from: renamed.from, to: name });
        return void this.stats.log('rename', `${renamed.from} is now ${name}`);
      }
      case 'typing':
        return this.#typing.set(session, frame.active);
      case 'fetch_history':
        return session.feed!.older(frame.before, frame.limit);
    }
  }

  tokenHolderPresent(userId: string): boolean {
    return tokenHolderPresent(userId, this.#parts);
  }

  fileIn(seq: number, viewer: string): FileRef | undefined {
    return fileIn(seq, viewer, this.#parts);
  }

  /** The dashboard's Delete: the file leaves the host; its messages stay, marked deleted. */
  deleteFile(fileId: string): DeleteFileResult {
    this.#filesOverview?.stale();
    return deleteFile(fileId, { ...this.#parts, flush: () => this.flush() });
  }

  /** Send an error frame that names the frame it is about. */
  error(session: Session, code: ErrorCode, message: string, ref: { type?: string; id?: string }): void {
    sendError(session, code, message, ref);
  }

  /** Commit the messages waiting for this turn's group commit (room/delivery.ts). */
  flush(): void {
    this.#delivery.flush();
  }

  /** A frame arrived from this connection (for "last active"). */
  touch(session: Session): void {
    session.lastActive = this.#parts.now();
  }

  #admin(session: Session, frame: AdminFrame): void {
    if (!isAdminToken(frame.token, this.adminToken)) return sendError(session, 'forbidden', 'only the host can do that', { type: 'admin' });
    if (session.member) this.#bans.addModerator(session.member.id);
    const result = this.moderate(frame, session.member?.id);
    if (!result.ok) return sendError(session, result.code, result.error, { type: 'admin' });
    send(session, { type: 'admin_done', action: frame.action, detail: result.detail });
  }

  /**
   * Moderation entry point for the hosting process itself (it holds the token already); `by`
   * is the user id of the member asking, if any (the hosting app's own by default).
   */
  moderate(action: ModerationAction, by: string | undefined = this.#moderation.ownerId): ModerationResult {
    if (action.action === 'clear_history') this.#filesOverview?.stale();
    return moderate(action, by, this.#moderation);
  }

  #remove(session: Session, reason: string, banned: boolean): void {
    send(session, { type: 'kicked', reason, banned });
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
    this.#typing.stop(session, false);
  }

  // What the server counts and logs about its connections, for the dashboard (server.ts).
  log(kind: ActivityKind, text: string): void {
    this.stats.log(kind, text);
  }

  countInbound(bytes: number): void {
    this.stats.traffic.in += bytes;
  }

  /** The tally every peer adds the bytes it sends to (hot path: a plain number, no call). */
  get outbound(): { out: number } {
    return this.stats.traffic;
  }

  noteSlowedDown(): void {
    this.stats.slowedDown++;
  }

  noteBadInput(): void {
    this.stats.rejectedBadInput++;
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
