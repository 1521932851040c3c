// Every frame that crosses a Hearth WebSocket, as one runtime schema per frame.
// Server and clients both parse with these schemas: nothing is sent or accepted that
// this module does not describe. Types are inferred from the schemas, never written twice.
import { z } from 'zod';

/** Bumped whenever a frame changes shape. Sent in `hello` and `join`. */
export const PROTOCOL_VERSION = 1;

/** Hard bounds shared by host and clients. */
export const LIMITS = {
  /** ws maxPayload on the host: anything larger is closed with 1009. */
  maxFrameBytes: 64 * 1024,
  /** Message text, in characters (Unicode code points). */
  maxTextChars: 4000,
  /** Display names, in characters, after trimming. */
  maxNameChars: 32,
  /** Messages a client gets on join. */
  historyOnJoin: 200,
  /** A resume that missed more than this gets the latest page instead ("too old"). */
  maxResumeMessages: 10_000,
  /** Messages per `history` frame, so a long resume never makes one huge frame. */
  historyChunk: 500,
  /** Upper bound a client may ask for in one `fetch_history`. */
  maxFetchHistory: 1000,
  /** Room topic, in characters. */
  maxTopicChars: 200,
} as const;

// ---------------------------------------------------------------------------------------
// Building blocks

const token = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/, 'only letters, digits, "-" and "_"');

/** A message id made by the client; retrying with the same id is safe. */
export const MessageId = token(64);
/** A client's persistent identity: random, kept by the client, never shown to others. */
export const ClientId = z
  .string()
  .min(16)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'only letters, digits, "-" and "_"');
/** The public id of a member, derived from its client id by the host. */
export const UserId = token(32);

const Seq = z.int().min(0);
const Timestamp = z.int().min(0);

/**
 * Message text: well-formed Unicode, 1–4000 characters, not only whitespace, and no
 * control characters other than newline and tab. The cheap length check comes first so
 * the common short message never pays for counting code points.
 */
export const MessageText = z.string().superRefine((text, ctx) => {
  const problem = textProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export function textProblem(text: string): string | undefined {
  if (text.trim().length === 0) return 'message is empty';
  if (text.length > LIMITS.maxTextChars && countChars(text) > LIMITS.maxTextChars) {
    return `message is longer than ${LIMITS.maxTextChars} characters`;
  }
  if (!text.isWellFormed()) return 'message is not valid Unicode';
  // C0 and C1 controls (but newline and tab) drive terminals, not conversations.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/.test(text)) return 'message contains control characters';
  return undefined;
}

export function countChars(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Raw display name as typed; the room applies the naming rules (common/names.ts). */
const RawName = z.string().max(256);

export const Member = z.strictObject({
  id: UserId,
  name: z.string(),
  /** When this member joined, ms since epoch. */
  since: Timestamp,
});
export type Member = z.infer<typeof Member>;

export const Author = z.strictObject({ id: UserId, name: z.string() });
export type Author = z.infer<typeof Author>;

export const ChatMessage = z.strictObject({
  seq: Seq,
  id: MessageId,
  from: Author,
  text: z.string(),
  ts: Timestamp,
  /** `action` is a `/me` line: "* alice waves". */
  kind: z.enum(['text', 'action']),
  /** Present on private messages: the one other person who can see it. */
  to: Author.optional(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

// ---------------------------------------------------------------------------------------
// Client → host

export const JoinFrame = z.strictObject({
  type: z.literal('join'),
  v: z.int(),
  /** Empty: the host picks a friendly name. */
  name: RawName,
  clientId: ClientId,
  /** Password proof: hex HMAC of the hello nonce, see common/password.ts. */
  proof: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  /** Last seq this client saw: resume from here instead of the latest page. */
  since: Seq.optional(),
});

export const ChatFrame = z.strictObject({
  type: z.literal('chat'),
  id: MessageId,
  text: MessageText,
  action: z.boolean().optional(),
});

export const PrivateFrame = z.strictObject({
  type: z.literal('private'),
  id: MessageId,
  /** The recipient's display name (case-insensitive) or user id. */
  to: z.string().min(1).max(256),
  text: MessageText,
});

export const RenameFrame = z.strictObject({ type: z.literal('rename'), name: RawName });

export const TypingFrame = z.strictObject({ type: z.literal('typing'), active: z.boolean() });

export const FetchHistoryFrame = z.strictObject({
  type: z.literal('fetch_history'),
  /** Messages with seq strictly below this one, newest last. */
  before: Seq,
  limit: z.int().min(1).max(LIMITS.maxFetchHistory),
});

/** Application-level heartbeat: a browser cannot see WebSocket pings, so clients ask. */
export const PingFrame = z.strictObject({ type: z.literal('ping'), id: z.int().min(0) });

const AdminBase = { type: z.literal('admin'), token: z.string().min(1).max(128) };
export const AdminFrame = z.discriminatedUnion('action', [
  z.strictObject({
    ...AdminBase,
    action: z.literal('kick'),
    target: z.string().min(1).max(256),
    reason: z.string().max(200).optional(),
  }),
  z.strictObject({
    ...AdminBase,
    action: z.literal('ban'),
    target: z.string().min(1).max(256),
    reason: z.string().max(200).optional(),
  }),
  z.strictObject({ ...AdminBase, action: z.literal('unban'), target: z.string().min(1).max(256) }),
  z.strictObject({ ...AdminBase, action: z.literal('clear_history') }),
  z.strictObject({ ...AdminBase, action: z.literal('topic'), topic: z.string().max(200) }),
]);

export const ClientFrame = z.union([
  JoinFrame,
  ChatFrame,
  PrivateFrame,
  RenameFrame,
  TypingFrame,
  FetchHistoryFrame,
  PingFrame,
  AdminFrame,
]);
export type ClientFrame = z.infer<typeof ClientFrame>;
export type JoinFrame = z.infer<typeof JoinFrame>;
export type ChatFrame = z.infer<typeof ChatFrame>;
export type PrivateFrame = z.infer<typeof PrivateFrame>;
export type AdminFrame = z.infer<typeof AdminFrame>;
export type ClientFrameType = ClientFrame['type'];

const clientSchemas: Record<ClientFrameType, z.ZodType> = {
  join: JoinFrame,
  chat: ChatFrame,
  private: PrivateFrame,
  rename: RenameFrame,
  typing: TypingFrame,
  fetch_history: FetchHistoryFrame,
  ping: PingFrame,
  admin: AdminFrame,
};

// ---------------------------------------------------------------------------------------
// Host → client

export const HelloFrame = z.strictObject({
  type: z.literal('hello'),
  v: z.int(),
  room: z.string(),
  passwordRequired: z.boolean(),
  /** Fresh per connection; the password proof signs it so a captured proof cannot be replayed. */
  nonce: z.string(),
  /** Per-room salt for the password key derivation. */
  salt: z.string(),
});

export const WelcomeFrame = z.strictObject({
  type: z.literal('welcome'),
  you: Member,
  room: z.string(),
  members: z.array(Member),
  /** Highest seq the room has assigned so far. */
  lastSeq: Seq,
  /** What the host says the room is about right now ('' for none). */
  topic: z.string(),
});

export const JoinErrorCode = z.enum([
  'name_taken',
  'name_invalid',
  'password_required',
  'bad_password',
  'too_many_attempts',
  'banned',
  'version_mismatch',
  'room_full',
]);
export type JoinErrorCode = z.infer<typeof JoinErrorCode>;

export const JoinErrorFrame = z.strictObject({
  type: z.literal('join_error'),
  code: JoinErrorCode,
  /** A sentence a person can read. */
  reason: z.string(),
});

export const AckFrame = z.strictObject({ type: z.literal('ack'), id: MessageId, seq: Seq });

export const MessageFrame = z.strictObject({ type: z.literal('message'), message: ChatMessage });

export const HistoryFrame = z.strictObject({
  type: z.literal('history'),
  messages: z.array(ChatMessage),
  /**
   * `latest`: the newest page (on join, or a resume that was too old: the client drops what
   * it had). `resume`: exactly what the client missed since its `since`. `older`: the answer
   * to fetch_history.
   */
  mode: z.enum(['latest', 'resume', 'older']),
  /** False while more chunks of the same answer follow. */
  complete: z.boolean(),
  /** For `older`: true when nothing older is left. */
  exhausted: z.boolean().optional(),
});

export const MembersFrame = z.strictObject({ type: z.literal('members'), members: z.array(Member) });
export const MemberJoinedFrame = z.strictObject({ type: z.literal('member_joined'), member: Member });
export const MemberLeftFrame = z.strictObject({
  type: z.literal('member_left'),
  member: Member,
  reason: z.enum(['left', 'timeout', 'kicked', 'banned', 'replaced']),
});
export const RenamedFrame = z.strictObject({
  type: z.literal('renamed'),
  id: UserId,
  from: z.string(),
  to: z.string(),
});
export const TypingBroadcastFrame = z.strictObject({
  type: z.literal('typing'),
  user: Author,
  active: z.boolean(),
});

export const ErrorCode = z.enum([
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
  'store_unavailable',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorFrame = z.strictObject({
  type: z.literal('error'),
  code: ErrorCode,
  message: z.string(),
  /** The frame this error is about: its type (when it had one) and its id (when it had one). */
  ref: z.strictObject({ type: z.string().optional(), id: z.string().optional() }),
});

export const KickedFrame = z.strictObject({
  type: z.literal('kicked'),
  reason: z.string(),
  banned: z.boolean(),
});
export const ClearedFrame = z.strictObject({ type: z.literal('cleared'), lastSeq: Seq });
export const TopicFrame = z.strictObject({ type: z.literal('topic'), topic: z.string() });
export const PongFrame = z.strictObject({ type: z.literal('pong'), id: z.int().min(0) });
export const AdminDoneFrame = z.strictObject({
  type: z.literal('admin_done'),
  action: z.enum(['kick', 'ban', 'unban', 'clear_history', 'topic', 'lock', 'unlock']),
  detail: z.string(),
});

export const ServerFrame = z.discriminatedUnion('type', [
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
  TopicFrame,
  PongFrame,
  AdminDoneFrame,
]);
export type ServerFrame = z.infer<typeof ServerFrame>;
export type HelloFrame = z.infer<typeof HelloFrame>;
export type WelcomeFrame = z.infer<typeof WelcomeFrame>;
export type HistoryFrame = z.infer<typeof HistoryFrame>;
export type ErrorFrame = z.infer<typeof ErrorFrame>;

/** Close codes the host uses, so clients can tell "don't come back" from "try again". */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  policy: 1008,
  tooBig: 1009,
  kicked: 4001,
  banned: 4002,
  protocol: 4003,
  replaced: 4004,
  joinRefused: 4005,
  slowConsumer: 4006,
} as const;

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
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, code: 'bad_frame', message: describeIssue(type, parsed.error), ref };
  }
  return { ok: true, frame: parsed.data as ClientFrame };
}

/** Parse one frame from the host (clients use this; unknown frames are reported, not thrown). */
export function parseServerFrame(text: string): ServerFrame | { error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { error: 'frame is not valid JSON' };
  }
  const parsed = ServerFrame.safeParse(raw);
  if (!parsed.success) return { error: describeIssue('server frame', parsed.error) };
  return parsed.data;
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

function describeIssue(type: string, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `invalid ${type} frame`;
  if (issue.code === 'unrecognized_keys') {
    return `${type}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${clip(k)}"`).join(', ')}`;
  }
  const where = issue.path.length ? issue.path.map(String).join('.') : 'frame';
  return `${type}.${where}: ${issue.message}`;
}
