// Every frame that crosses a Hearth WebSocket, as one runtime schema per frame (valibot:
// the same guarantees as zod at a fraction of the memory, which a host with a thousand
// connections on a laptop cares about). Server and clients both parse with these schemas:
// nothing is sent or accepted that this module does not describe. Types are inferred from
// the schemas, never written twice.
import * as v from 'valibot';
import { CONTROL_BUT_TAB_AND_NEWLINE } from './characters.ts';
import { LIMITS } from './limits.ts';

// The bounds and close codes are part of the protocol: imported from here like the frames.
export { CloseCode, LIMITS } from './limits.ts';

/**
 * Bumped whenever a frame changes shape. Sent in `hello` and `join`.
 * 2: `welcome.historyId` and `join.historyId` (a client can tell a restarted history).
 * 3: files: `ChatMessage.file`, the `share` frame, `welcome.files`, `file_deleted`.
 */
export const PROTOCOL_VERSION = 3;

// ---------------------------------------------------------------------------------------
// Building blocks

const TOKEN = /^[A-Za-z0-9_-]+$/;
const token = (max: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(max), v.regex(TOKEN, 'only letters, digits, "-" and "_"'));

/** A message id made by the client; retrying with the same id is safe. */
export const MessageId = token(64);
/** A client's persistent identity: random, kept by the client, never shown to others. */
export const ClientId = v.pipe(v.string(), v.minLength(16), v.maxLength(64), v.regex(TOKEN, 'only letters, digits, "-" and "_"'));
/** The public id of a member, derived from its client id by the host. */
export const UserId = token(32);

const Int = v.pipe(v.number(), v.integer());
const Seq = v.pipe(v.number(), v.integer(), v.minValue(0));
const Timestamp = Seq;

/**
 * Message text: well-formed Unicode, 1 to LIMITS.maxTextChars characters, not only
 * whitespace, and no control characters other than newline and tab. The cheap length check
 * comes first so the common short message never pays for counting code points.
 */
export const MessageText = v.pipe(
  v.string(),
  v.check(
    (text) => textProblem(text) === undefined,
    (issue) => textProblem(issue.input as string) ?? 'invalid text',
  ),
);

export function textProblem(text: string): string | undefined {
  if (text.trim().length === 0) return 'message is empty';
  if (text.length > LIMITS.maxTextChars && countChars(text) > LIMITS.maxTextChars) {
    return `message is longer than ${LIMITS.maxTextChars} characters`;
  }
  if (!text.isWellFormed()) return 'message is not valid Unicode';
  if (CONTROL_BUT_TAB_AND_NEWLINE.test(text)) return 'message contains control characters';
  return undefined;
}

export function countChars(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Raw display name as typed; the room applies the naming rules (common/names.ts). */
const RawName = v.pipe(v.string(), v.maxLength(256));

export const Member = v.strictObject({
  id: UserId,
  name: v.string(),
  /** When this member joined, ms since epoch. */
  since: Timestamp,
});
export type Member = v.InferOutput<typeof Member>;

export const Author = v.strictObject({ id: UserId, name: v.string() });
export type Author = v.InferOutput<typeof Author>;

/** A file's id: the SHA-256 of its content, lowercase hex. The host keeps one copy per id. */
export const FileId = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lowercase hex'));
/** A resumable upload's id, as the host named it (the last segment of its tus URL). */
export const UploadId = token(64);

/**
 * A file in a message: what every client needs to show it without asking the host. The
 * bytes travel over HTTP on the room's port (README › Files), never in frames.
 */
export const FileRef = v.strictObject({
  id: FileId,
  /** The name the sender gave, made safe to show (main/host/files/file-name.ts). Text only: never a path. */
  name: v.string(),
  /** Bytes. */
  size: Seq,
  /** The media type the host serves it with (application/octet-stream when unknown). */
  type: v.string(),
  /**
   * Set only for a PNG, JPEG, GIF or WebP the host recognised from its bytes: such a file
   * may be shown inline, at this size. Anything else (SVG and HTML included) is a download.
   */
  image: v.optional(v.strictObject({ width: Seq, height: Seq })),
  /** The host deleted the file; the message stays. */
  deleted: v.optional(v.literal(true)),
});
export type FileRef = v.InferOutput<typeof FileRef>;

export const ChatMessage = v.strictObject({
  seq: Seq,
  id: MessageId,
  from: Author,
  text: v.string(),
  ts: Timestamp,
  /** `action` is a `/me` line: "* alice waves". */
  kind: v.picklist(['text', 'action']),
  /** Present on private messages: the one other person who can see it. */
  to: v.optional(Author),
  /** A shared file; `text` is then its caption ('' for none). */
  file: v.optional(FileRef),
});
export type ChatMessage = v.InferOutput<typeof ChatMessage>;

// ---------------------------------------------------------------------------------------
// Client → host

export const JoinFrame = v.strictObject({
  type: v.literal('join'),
  v: Int,
  /** Empty: the host picks a friendly name. */
  name: RawName,
  clientId: ClientId,
  /** Password proof: hex HMAC of the hello nonce, see common/password.ts. */
  proof: v.optional(v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'a 64-digit hex proof'))),
  /**
   * The proof also signs the fingerprint of the TLS certificate the client was shown (the app
   * and `hearth join`; browsers cannot read it), so a proof relayed by a man in the middle
   * fails at the real host. Sent only over TLS, which no host from before it spoke: no
   * version bump.
   */
  proofBound: v.optional(v.literal(true)),
  /** Last seq this client saw: resume from here instead of the latest page. */
  since: v.optional(Seq),
  /** The history `since` counts in (welcome.historyId); another one means start over. */
  historyId: v.optional(token(64)),
});

export const ChatFrame = v.strictObject({
  type: v.literal('chat'),
  id: MessageId,
  text: MessageText,
  action: v.optional(v.boolean()),
});

export const PrivateFrame = v.strictObject({
  type: v.literal('private'),
  id: MessageId,
  /** The recipient's display name (case-insensitive) or user id. */
  to: v.pipe(v.string(), v.minLength(1), v.maxLength(256)),
  text: MessageText,
});

/**
 * Shares a file this member finished uploading (README › Files): the host turns the upload
 * into a message, acked and retried like `chat` (same id, stored once). With `to`, a private
 * message: the file is then visible to its two people only.
 */
export const ShareFrame = v.strictObject({
  type: v.literal('share'),
  id: MessageId,
  upload: UploadId,
  /** Caption. */
  text: v.optional(MessageText),
  /** The recipient's display name (case-insensitive) or user id, as in `private`. */
  to: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(256))),
});

export const RenameFrame = v.strictObject({ type: v.literal('rename'), name: RawName });

export const TypingFrame = v.strictObject({ type: v.literal('typing'), active: v.boolean() });

export const FetchHistoryFrame = v.strictObject({
  type: v.literal('fetch_history'),
  /** Messages with seq strictly below this one, newest last. */
  before: Seq,
  limit: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(LIMITS.maxFetchHistory)),
});

/** Application-level heartbeat: a browser cannot see WebSocket pings, so clients ask. */
export const PingFrame = v.strictObject({ type: v.literal('ping'), id: Seq });

const AdminBase = { type: v.literal('admin'), token: v.pipe(v.string(), v.minLength(1), v.maxLength(128)) };
export const AdminFrame = v.variant('action', [
  v.strictObject({
    ...AdminBase,
    action: v.literal('kick'),
    target: v.pipe(v.string(), v.minLength(1), v.maxLength(256)),
    reason: v.optional(v.pipe(v.string(), v.maxLength(200))),
  }),
  v.strictObject({
    ...AdminBase,
    action: v.literal('ban'),
    target: v.pipe(v.string(), v.minLength(1), v.maxLength(256)),
    reason: v.optional(v.pipe(v.string(), v.maxLength(200))),
  }),
  v.strictObject({ ...AdminBase, action: v.literal('unban'), target: v.pipe(v.string(), v.minLength(1), v.maxLength(256)) }),
  /** `deleteFiles`: the files the cleared messages carried leave the host too (else they stay, listed on the dashboard). */
  v.strictObject({ ...AdminBase, action: v.literal('clear_history'), deleteFiles: v.optional(v.boolean()) }),
  // In UTF-16 units here, a cheap bound on the frame; the room counts characters (moderation.ts).
  v.strictObject({ ...AdminBase, action: v.literal('topic'), topic: v.pipe(v.string(), v.maxLength(LIMITS.maxTopicChars)) }),
]);

export const ClientFrame = v.union([
  JoinFrame,
  ChatFrame,
  PrivateFrame,
  ShareFrame,
  RenameFrame,
  TypingFrame,
  FetchHistoryFrame,
  PingFrame,
  AdminFrame,
]);
export type ClientFrame = v.InferOutput<typeof ClientFrame>;
export type JoinFrame = v.InferOutput<typeof JoinFrame>;
export type ChatFrame = v.InferOutput<typeof ChatFrame>;
export type PrivateFrame = v.InferOutput<typeof PrivateFrame>;
export type ShareFrame = v.InferOutput<typeof ShareFrame>;
export type AdminFrame = v.InferOutput<typeof AdminFrame>;
/** What an `admin` frame asks for, without its envelope (`type`, `token`): one per action. */
export type AdminAction = AdminFrame extends infer F ? (F extends AdminFrame ? Omit<F, 'type' | 'token'> : never) : never;
/**
 * Locking is for the hosting process alone (its own dashboard): no frame asks for it, and
 * no token holder can lock others out, but `admin_done` may report it.
 */
export type LockAction = { action: 'lock'; password: string } | { action: 'unlock' };
/** Every moderation action a room carries out: an admin frame's, or the host's own lock. */
export type ModerationAction = AdminAction | LockAction;
export type ClientFrameType = ClientFrame['type'];

const clientSchemas: Record<ClientFrameType, v.GenericSchema> = {
  join: JoinFrame,
  chat: ChatFrame,
  private: PrivateFrame,
  share: ShareFrame,
  rename: RenameFrame,
  typing: TypingFrame,
  fetch_history: FetchHistoryFrame,
  ping: PingFrame,
  admin: AdminFrame,
};

/** The fields each client frame may have (for an error that names every unknown one). */
const knownKeys = Object.fromEntries(
  Object.entries(clientSchemas).map(([type, schema]) => {
    const options = 'options' in schema ? (schema.options as Array<{ entries: object }>) : [schema as unknown as { entries: object }];
    return [type, new Set(options.flatMap((o) => Object.keys(o.entries)))];
  }),
) as Record<ClientFrameType, Set<string>>;

// ---------------------------------------------------------------------------------------
// Host → client

export const HelloFrame = v.strictObject({
  type: v.literal('hello'),
  v: Int,
  room: v.string(),
  passwordRequired: v.boolean(),
  /** Fresh per connection; the password proof signs it so a captured proof cannot be replayed. */
  nonce: v.string(),
  /** Per-room salt for the password key derivation. */
  salt: v.string(),
});

const FileToken = v.pipe(v.string(), v.minLength(1), v.maxLength(128));

export const WelcomeFrame = v.strictObject({
  type: v.literal('welcome'),
  you: Member,
  room: v.string(),
  members: v.array(Member),
  /** Highest seq the room has assigned so far. */
  lastSeq: Seq,
  /**
   * Names this room's history: a host whose history was lost and started again gets a new
   * one, so a client knows its old seqs mean nothing here.
   */
  historyId: token(64),
  /** What the host says the room is about right now ('' for none). */
  topic: v.string(),
  /** How this member shares files (README › Files); absent: this host takes no files. */
  files: v.optional(
    v.strictObject({
      /**
       * The upload token: sent as the `Hearth-Token` header on every upload request, never
       * in a URL. Good while this member is in the room; a reconnect's welcome may bring another.
       */
      token: FileToken,
      /**
       * The download token: sent as `?t=` in file URLs (common/files.ts: downloadPath), which
       * get copied and logged; it reads files this member may see and cannot upload. Same lifetime.
       */
      downloadToken: FileToken,
      /** The largest file this host takes, in bytes. */
      maxFileBytes: Seq,
      /** How many uploads this member may have open at once (unfinished, or not shared yet): send no more in parallel. */
      uploadsAtOnce: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000)),
    }),
  ),
});

/** What `welcome.files` tells a member: their two file tokens and the host's limits. */
export type FilesOffer = NonNullable<v.InferOutput<typeof WelcomeFrame>['files']>;

export const JoinErrorCode = v.picklist([
  'name_taken',
  'name_invalid',
  'password_required',
  'bad_password',
  'too_many_attempts',
  'banned',
  'version_mismatch',
  'room_full',
  /** The room takes only TLS connections (`hearth host --encrypted-only`), and this one came plain. */
  'encryption_required',
]);
export type JoinErrorCode = v.InferOutput<typeof JoinErrorCode>;

export const JoinErrorFrame = v.strictObject({
  type: v.literal('join_error'),
  code: JoinErrorCode,
  /** A sentence a person can read. */
  reason: v.string(),
});

export const AckFrame = v.strictObject({ type: v.literal('ack'), id: MessageId, seq: Seq });

export const MessageFrame = v.strictObject({ type: v.literal('message'), message: ChatMessage });

export const HistoryFrame = v.strictObject({
  type: v.literal('history'),
  messages: v.array(ChatMessage),
  /**
   * `latest`: the newest page (on join, or a resume that was too old: the client drops what
   * it had). `resume`: exactly what the client missed since its `since`. `older`: the answer
   * to fetch_history.
   */
  mode: v.picklist(['latest', 'resume', 'older']),
  /** False while more chunks of the same answer follow. */
  complete: v.boolean(),
  /** For `older` and `latest`: true when nothing older is left (on the last chunk). */
  exhausted: v.optional(v.boolean()),
});

export const MembersFrame = v.strictObject({ type: v.literal('members'), members: v.array(Member) });
export const MemberJoinedFrame = v.strictObject({ type: v.literal('member_joined'), member: Member });
export const MemberLeftFrame = v.strictObject({
  type: v.literal('member_left'),
  member: Member,
  reason: v.picklist(['left', 'timeout', 'kicked', 'banned', 'replaced']),
});
export const RenamedFrame = v.strictObject({
  type: v.literal('renamed'),
  id: UserId,
  from: v.string(),
  to: v.string(),
});
export const TypingBroadcastFrame = v.strictObject({
  type: v.literal('typing'),
  user: Author,
  active: v.boolean(),
});

export const ErrorCode = v.picklist([
  'bad_json',
  'bad_frame',
  'unknown_type',
  'binary_unsupported',
  'not_joined',
  'already_joined',
  'rate_limited',
  'name_taken',
  'name_invalid',
  'no_such_member',
  'forbidden',
  'admin_refused',
  'store_unavailable',
  /**
   * The host failed while handling this frame (a fault of its own, not of the frame). It may
   * or may not have taken effect; sending it again with the same id is safe (an id is stored once).
   */
  'internal',
  /** `share` named an upload that is not this member's, not finished, or no longer kept. */
  'no_such_upload',
]);
export type ErrorCode = v.InferOutput<typeof ErrorCode>;

export const ErrorFrame = v.strictObject({
  type: v.literal('error'),
  code: ErrorCode,
  message: v.string(),
  /** The frame this error is about: its type (when it had one) and its id (when it had one). */
  ref: v.strictObject({ type: v.optional(v.string()), id: v.optional(v.string()) }),
});

export const KickedFrame = v.strictObject({
  type: v.literal('kicked'),
  reason: v.string(),
  banned: v.boolean(),
});
export const ClearedFrame = v.strictObject({ type: v.literal('cleared'), lastSeq: Seq });
/** The host deleted a file: every message that carries it now shows it as deleted. */
export const FileDeletedFrame = v.strictObject({ type: v.literal('file_deleted'), file: FileId });
export const TopicFrame = v.strictObject({ type: v.literal('topic'), topic: v.string() });
export const PongFrame = v.strictObject({ type: v.literal('pong'), id: Seq });
export const AdminDoneFrame = v.strictObject({
  type: v.literal('admin_done'),
  action: v.picklist(['kick', 'ban', 'unban', 'clear_history', 'topic', 'lock', 'unlock'] satisfies Array<ModerationAction['action']>),
  detail: v.string(),
});

export const ServerFrame = v.variant('type', [
  HelloFrame,
  WelcomeFrame,
  JoinErrorFrame,
  AckFrame,
  MessageFrame,
  HistoryFrame,
  MembersFrame,
  MemberJoinedFrame,
  MemberLeftFrame,
  RenamedFrame,
  TypingBroadcastFrame,
  ErrorFrame,
  KickedFrame,
  ClearedFrame,
  FileDeletedFrame,
  TopicFrame,
  PongFrame,
  AdminDoneFrame,
]);
export type ServerFrame = v.InferOutput<typeof ServerFrame>;
export type HelloFrame = v.InferOutput<typeof HelloFrame>;
export type WelcomeFrame = v.InferOutput<typeof WelcomeFrame>;
export type HistoryFrame = v.InferOutput<typeof HistoryFrame>;
export type ErrorFrame = v.InferOutput<typeof ErrorFrame>;

// ---------------------------------------------------------------------------------------
// Parsing

export type ParseResult<T> =
  | { ok: true; frame: T }
  | { ok: false; code: ErrorCode; message: string; ref: { type?: string; id?: string } };

/**
 * Parse one text frame from a client. Never throws; the error says what was wrong in
 * words and names the frame (type and id) when those could be read.
 */
export function parseClientFrame(text: string): ParseResult<ClientFrame> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, code: 'bad_json', message: 'frame is not valid JSON', ref: {} };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, code: 'bad_frame', message: 'frame must be a JSON object', ref: {} };
  }
  const record = raw as Record<string, unknown>;
  const ref = refOf(record);
  const type = record['type'];
  if (typeof type !== 'string') {
    return { ok: false, code: 'bad_frame', message: 'frame has no "type"', ref };
  }
  const schema = Object.hasOwn(clientSchemas, type) ? clientSchemas[type as ClientFrameType] : undefined;
  if (!schema) {
    return { ok: false, code: 'unknown_type', message: `unknown frame type "${clip(type)}"`, ref };
  }
  const parsed = v.safeParse(schema, raw);
  if (!parsed.success) {
    // Name every field we do not know, not just the first one the schema stopped at.
    const unknown = Object.keys(record).filter((key) => !knownKeys[type as ClientFrameType].has(key));
    if (unknown.length > 0) {
      const list = unknown.map((k) => `"${clip(k)}"`).join(', ');
      return { ok: false, code: 'bad_frame', message: `${type}: unknown field${unknown.length > 1 ? 's' : ''} ${list}`, ref };
    }
    return { ok: false, code: 'bad_frame', message: describeIssues(type, parsed.issues), ref };
  }
  return { ok: true, frame: parsed.output as ClientFrame };
}

/** Parse one frame from the host (clients use this; unknown frames are reported, not thrown). */
export function parseServerFrame(text: string): ServerFrame | { error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { error: 'frame is not valid JSON' };
  }
  const parsed = v.safeParse(ServerFrame, raw);
  if (!parsed.success) return { error: describeIssues('server frame', parsed.issues) };
  return parsed.output;
}

function refOf(record: Record<string, unknown>): { type?: string; id?: string } {
  const ref: { type?: string; id?: string } = {};
  if (typeof record['type'] === 'string') ref.type = clip(record['type']);
  if (typeof record['id'] === 'string') ref.id = clip(record['id']);
  return ref;
}

function clip(value: string): string {
  return value.length > 64 ? `${value.slice(0, 64)}…` : value;
}

function describeIssues(type: string, issues: readonly v.BaseIssue<unknown>[]): string {
  const keyOf = (issue: v.BaseIssue<unknown>) => String(issue.path?.at(-1)?.key ?? '');
  // A strict object reports each key it does not know, with the key as the last path item.
  const unknown = issues.filter((i) => i.type === 'strict_object' && i.expected === 'never').map(keyOf);
  if (unknown.length > 0) {
    return `${type}: unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${clip(k)}"`).join(', ')}`;
  }
  const issue = issues[0];
  if (!issue) return `invalid ${type} frame`;
  const where = issue.path?.length ? issue.path.map((p) => String(p.key)).join('.') : 'frame';
  return `${type}.${where}: ${issue.message}`;
}
