// What a RoomClient is given and what it tells: the socket it drives, its options, its
// connection state and its events. Causes and codes are typed values; common/wording.ts
// turns them into words for the terminal and the app.
import type { ChatMessage, ErrorFrame, HistoryFrame, JoinErrorCode, Member, ServerFrame, WelcomeFrame } from '../protocol.ts';

/** Why a member left, as the host says: left, timeout, kicked, banned, replaced. */
export type MemberLeftReason = Extract<ServerFrame, { type: 'member_left' }>['reason'];

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

/**
 * Why the client is trying again: the host said it was stopping (close code 1001), a live
 * connection dropped, a connection never opened, the host fell silent (heartbeat), or the
 * socket could not even be made (`detail` says why).
 */
export type LostCause = 'host_stopped' | 'connection_lost' | 'unreachable' | 'no_answer' | 'cannot_connect';

/** Why the client is out of the room: the host's join refusal, a removal, a takeover, or leaving. */
export type ClosedCode = JoinErrorCode | 'kicked' | 'banned' | 'replaced' | 'left';

export type ConnectionState =
  | { status: 'idle' }
  | { status: 'connecting'; attempt: number }
  | { status: 'connected' }
  | {
      status: 'reconnecting';
      attempt: number;
      retryInMs: number;
      /** Match on this. */
      cause: LostCause;
      /** The cause in words (`lostWords`), for logs and the terminal. */
      reason: string;
    }
  | {
      status: 'closed';
      /** A sentence a person can read: the host's (a refusal, a removal) or the client's own. */
      reason: string;
      code?: ClosedCode;
    };

export interface OutgoingMessage {
  id: string;
  text: string;
  kind: 'text' | 'action';
  /** Recipient name for a private message. */
  to?: string | undefined;
  /** A finished upload this message shares (a `share` frame); `text` is then its caption, '' for none. */
  upload?: string | undefined;
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
  member_left: { member: Member; reason: MemberLeftReason };
  renamed: { id: string; from: string; to: string };
  typing: { user: { id: string; name: string }; active: boolean };
  /** An error about one of our frames that was not fatal. */
  error: ErrorFrame;
  kicked: { reason: string; banned: boolean };
  cleared: { lastSeq: number };
  admin_done: { action: string; detail: string };
  topic: string;
  /** The host deleted a file (its id): messages that carry it now show it as deleted. */
  file_deleted: string;
}

export interface RoomClientOptions {
  url: string;
  name: string;
  clientId: string;
  password?: string | undefined;
  /**
   * The fingerprint (lowercase hex) of the certificate this client pinned and its socket
   * checks (`url` is wss): the password proof then signs it too (common/password.ts), so a
   * man in the middle cannot relay it. Unset (browsers, plain ws): the unbound proof.
   */
  channelFingerprint?: string | undefined;
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
