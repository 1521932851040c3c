// What a host can be told (server.ts's startHost), and its default budgets.
import type { UploadLimits } from './files/uploads.ts';
import type { RateLimit } from './rate-limit.ts';
import type { HistoryStore } from './store/index.ts';

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
  /**
   * The host's key and certificate (PEM): the port then answers TLS (https, wss) besides
   * plain HTTP (both-ways.ts). Absent: plain only, as before.
   */
  tls?: { key: string; cert: string } | undefined;
  /**
   * Refuse joins that did not come over TLS (`encryption_required`), and say so in /health
   * so a browser on plain http is told before anyone types. Needs `tls`.
   */
  encryptedOnly?: boolean | undefined;
  /** A connection that sends nothing for this long is cut (with tls; headersTimeoutMs by default). */
  sniffTimeoutMs?: number;
  /** A TLS handshake not finished after this long is cut (headersTimeoutMs by default). */
  handshakeTimeoutMs?: number;
  /** Connections one address may have silent or in their TLS handshake at once (with tls): more are cut at once. */
  maxPendingPerAddress?: number;
  /**
   * Files shared in the room (main/host/files/): stored in `dir` (content-addressed, with
   * uploads in progress beside them). Absent: this host takes no files.
   */
  files?: HostFilesOptions | undefined;
  log?: (line: string) => void;
}

export interface HostFilesOptions {
  dir: string;
  /** The largest file taken, in bytes (2 GiB by default). */
  maxFileBytes?: number | undefined;
  /** All files together, and uploads in progress (10 GiB by default, less on a small disk). */
  quotaBytes?: number | undefined;
  /** Per-member and per-address upload limits, request caps and expiry times (tests shorten them). */
  limits?: Partial<UploadLimits> | undefined;
  /** An upload body or a download reader silent this long is cut (default: 3 × headersTimeoutMs, at least 30 s). */
  idleTimeoutMs?: number | undefined;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { burst: 60, perSecond: 20 };
/** 64 KiB frames: a full-size message (4,000 emoji, 16 KB) 16 times a second, after a 1 MiB burst. */
export const DEFAULT_BYTE_RATE_LIMIT: RateLimit = { burst: 1024 * 1024, perSecond: 256 * 1024 };
/** A 10,000-message resume of full-size messages (160 MB) in about ten seconds; a page costs its bytes. */
export const DEFAULT_HISTORY_RATE_LIMIT: RateLimit = { burst: 16 * 1024 * 1024, perSecond: 16 * 1024 * 1024 };
/**
 * Pending TLS connections (silent, or mid-handshake) one address may hold: a browser opens
 * about six at once, a reconnecting app a couple; each handshake costs the host a key
 * exchange and a signature, so one machine must not queue them without end.
 */
export const DEFAULT_MAX_PENDING_PER_ADDRESS = 16;
