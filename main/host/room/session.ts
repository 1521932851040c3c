// One connection as the room knows it, and the public shapes of the people in it.
import { createHash, randomBytes } from 'node:crypto';
import type { Author, ErrorCode, Member, ServerFrame } from '../../../common/protocol.ts';
import type { Peer } from '../peer.ts';
import { encodeFrame } from '../frame.ts';
import type { HistoryFeed } from '../history-feed.ts';
import type { TokenBucket } from '../rate-limit.ts';

export type LeaveReason = 'left' | 'timeout' | 'kicked' | 'banned' | 'replaced';

/** Per client: enough for any outbox RoomClient keeps, small enough not to matter (~100 KB). */
const REMEMBERED_SENT_IDS = 1000;

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
  leaveReason: LeaveReason = 'left';
  /**
   * Stored messages this client may send again (message id → seq), so that a retry is
   * acked, not stored twice: its latest ones, and on a resume all it sent after `since`
   * (those it may never have seen acked). RoomClient retries only after a resume.
   */
  sent = new Map<string, number>();
  /** The connection came over TLS (wss): for the dashboard, and for rooms that accept only that. */
  readonly encrypted: boolean;

  constructor(peer: Peer, now: number, historyBudget?: TokenBucket, encrypted = false) {
    this.peer = peer;
    this.encrypted = encrypted;
    this.connectedAt = now;
    this.lastActive = now;
    this.historyBudget = historyBudget;
  }

  rememberSent(id: string, seq: number): void {
    this.sent.set(id, seq);
    if (this.sent.size > REMEMBERED_SENT_IDS) this.sent.delete(this.sent.keys().next().value!);
  }

  /** A heartbeat came back after `ms` (the dashboard's round-trip time). */
  recordRtt(ms: number): void {
    this.rttMs = ms;
  }
}

/** Public id of a member: stable per client, and reveals nothing about the client id. */
export function userIdFor(clientId: string): string {
  return createHash('sha256').update(`hearth-user:${clientId}`).digest('base64url').slice(0, 12);
}

export function publicMember(m: Member): Member {
  return { id: m.id, name: m.name, since: m.since };
}

export function author(m: Member): Author {
  return { id: m.id, name: m.name };
}

export function send(session: Session, frame: ServerFrame): void {
  session.peer.send(encodeFrame(frame));
}

/** An error frame that names the frame it is about. */
export function sendError(session: Session, code: ErrorCode, message: string, ref: { type?: string; id?: string }): void {
  send(session, { type: 'error', code, message, ref });
}
