// Durable room history. The room talks to the HistoryStore interface only, so the SQLite
// store and the in-memory one (tests, benchmarks) are interchangeable.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { randomId } from '../../common/ids.ts';
import type { Author, ChatMessage } from '../../common/protocol.ts';

/** What went wrong in the store, decided once (storeErrorKind) so no caller reads error text. */
export type StoreErrorKind = 'full' | 'read_only' | 'corrupt' | 'busy' | 'io' | 'other';

/** The only error a SqliteHistoryStore throws; the SQLite error it came from is its `cause`. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly kind: StoreErrorKind;
  constructor(kind: StoreErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }
}

/** A short phrase for a person: "not sent: the host cannot save messages (disk full)". */
export function describeStoreError(kind: StoreErrorKind): string {
  switch (kind) {
    case 'full':
      return 'disk full';
    case 'read_only':
      return 'history is read-only';
    case 'corrupt':
      return 'history file is damaged';
    case 'busy':
      return 'history file is busy in another program';
    case 'io':
      return 'disk error reading or writing history';
    case 'other':
      return 'history store failed';
  }
}

// SQLite's primary result codes (https://sqlite.org/rescode.html). node:sqlite puts the
// extended code in `errcode` (SQLITE_IOERR_WRITE = 778); its low byte is the primary one.
const SQLITE_PERM = 3;
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_READONLY = 8;
const SQLITE_IOERR = 10;
const SQLITE_CORRUPT = 11;
const SQLITE_FULL = 13;
const SQLITE_CANTOPEN = 14;
const SQLITE_NOTADB = 26;

// The file system's words for the same troubles (making the folder, before SQLite runs).
const ERRNO_KINDS: Partial<Record<string, StoreErrorKind>> = {
  ENOSPC: 'full',
  EDQUOT: 'full',
  EROFS: 'read_only',
  EACCES: 'read_only',
  EPERM: 'read_only',
  EIO: 'io',
};

function storeErrorKind(error: unknown): StoreErrorKind {
  const { errcode, code } = (error ?? {}) as { errcode?: unknown; code?: unknown };
  if (typeof errcode !== 'number') {
    // Not from SQLite: the file system, or a closed database, a bad argument ('other').
    return (typeof code === 'string' && ERRNO_KINDS[code]) || 'other';
  }
  switch (errcode & 0xff) {
    case SQLITE_FULL:
      return 'full';
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return 'read_only';
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return 'corrupt';
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return 'busy';
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      return 'io';
    default:
      return 'other';
  }
}

/** Any error as a StoreError (one that already is one is returned as it is). */
export function toStoreError(error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  return new StoreError(storeErrorKind(error), error instanceof Error ? error.message : String(error), { cause: error });
}

/** Run one store operation; whatever SQLite throws leaves as a StoreError. */
function guarded<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw toStoreError(error);
  }
}

/** A message on its way into the store; the store assigns `seq`. */
export interface NewMessage {
  id: string;
  /** The sender's private client id: (clientId, id) makes a retry safe. */
  clientId: string;
  from: Author;
  to?: Author | undefined;
  text: string;
  ts: number;
  kind: 'text' | 'action';
}

/**
 * A room's history. Any method may throw StoreError (the SQLite store, when its disk is
 * full, read-only or damaged); the in-memory store never throws.
 */
export interface HistoryStore {
  /**
   * Which history this is: random, made when the history is created, kept across clear()
   * (seqs go on). A client that sees another id knows its seqs mean nothing here.
   */
  readonly historyId: string;
  /** Highest seq ever assigned (survives clear: seqs are never reused). */
  readonly lastSeq: number;
  /** Seq below which history was cleared; a resume from before it must start over. */
  readonly clearedThrough: number;
  /** Store a batch atomically (one transaction) and return it with seqs assigned. */
  append(batch: readonly NewMessage[]): ChatMessage[];
  /**
   * The messages one client sent after `seq`: message id → seq. A client that resumes from
   * `seq` may retry any of them (it never saw their ack); the room acks those again instead
   * of storing them twice.
   */
  sentAfter(clientId: string, seq: number): Map<string, number>;
  /** Messages after `seq` that `viewer` may see, oldest first, at most `limit`. */
  after(seq: number, limit: number, viewer: string): ChatMessage[];
  /**
   * A page of what `viewer` may see after `seq`, oldest first: at most `maxCount`
   * messages, and no more once their size passes `maxBytes` (a page holds at least one).
   * Reads only as far as the page goes, however long the history.
   */
  pageAfter(seq: number, viewer: string, maxCount: number, maxBytes: number): HistoryPage;
  /** The same, going back from before `seq` (the newest ones first read), returned oldest first. */
  pageBefore(seq: number, viewer: string, maxCount: number, maxBytes: number): HistoryPage;
  /** The seq the newest `count` messages `viewer` may see start at; lastSeq + 1 when there are none. */
  latestStart(count: number, viewer: string): number;
  /** How many messages are stored. */
  count(): number;
  clear(): void;
  close(): void;
}

/** A page of history; `more` says whether anything lies beyond it in the direction read. */
export interface HistoryPage {
  messages: ChatMessage[];
  more: boolean;
}

/**
 * What a message weighs in a page: its text in UTF-8 and room for the rest of its JSON.
 * The text is what varies (one to 16,000 bytes); the rest is under 200.
 */
export function messageBytes(message: ChatMessage): number {
  return Buffer.byteLength(message.text) + 200;
}

/**
 * Fill a page from `rows` (in reading order) until `maxCount` or `maxBytes`. The row after
 * a full page is only looked at, to say whether there is more: if it cannot be read (a
 * damaged file), there is more all the same, and the page is still good.
 */
function fillPage(rows: Iterable<ChatMessage>, maxCount: number, maxBytes: number): HistoryPage {
  const messages: ChatMessage[] = [];
  let bytes = 0;
  try {
    for (const message of rows) {
      const size = messageBytes(message);
      if (messages.length >= maxCount || (messages.length > 0 && bytes + size > maxBytes)) return { messages, more: true };
      messages.push(message);
      bytes += size;
    }
  } catch (error) {
    if (messages.length >= maxCount) return { messages, more: true };
    throw error;
  }
  return { messages, more: false };
}

/** A private message is visible to its two people only. */
function visibleTo(message: ChatMessage, viewer: string): boolean {
  return message.to === undefined || message.to.id === viewer || message.from.id === viewer;
}

export class MemoryHistoryStore implements HistoryStore {
  #messages: ChatMessage[] = [];
  /** Who sent each message, index for index with #messages. */
  #senders: string[] = [];
  #lastSeq = 0;
  #clearedThrough = 0;
  readonly historyId = newHistoryId();

  get lastSeq(): number {
    return this.#lastSeq;
  }
  get clearedThrough(): number {
    return this.#clearedThrough;
  }

  append(batch: readonly NewMessage[]): ChatMessage[] {
    return batch.map((m) => {
      const message = toChatMessage(++this.#lastSeq, m);
      this.#messages.push(message);
      this.#senders.push(m.clientId);
      return message;
    });
  }
  sentAfter(clientId: string, seq: number): Map<string, number> {
    const sent = new Map<string, number>();
    for (let i = lowerBound(this.#messages, seq + 1); i < this.#messages.length; i++) {
      const m = this.#messages[i]!;
      if (this.#senders[i] === clientId) sent.set(m.id, m.seq);
    }
    return sent;
  }
  after(seq: number, limit: number, viewer: string): ChatMessage[] {
    const start = lowerBound(this.#messages, seq + 1);
    const out: ChatMessage[] = [];
    for (let i = start; i < this.#messages.length && out.length < limit; i++) {
      const m = this.#messages[i]!;
      if (visibleTo(m, viewer)) out.push(m);
    }
    return out;
  }
  pageAfter(seq: number, viewer: string, maxCount: number, maxBytes: number): HistoryPage {
    const messages = this.#messages;
    function* rows(): Generator<ChatMessage> {
      for (let i = lowerBound(messages, seq + 1); i < messages.length; i++) if (visibleTo(messages[i]!, viewer)) yield messages[i]!;
    }
    return fillPage(rows(), maxCount, maxBytes);
  }
  pageBefore(seq: number, viewer: string, maxCount: number, maxBytes: number): HistoryPage {
    const messages = this.#messages;
    function* rows(): Generator<ChatMessage> {
      for (let i = lowerBound(messages, seq) - 1; i >= 0; i--) if (visibleTo(messages[i]!, viewer)) yield messages[i]!;
    }
    const page = fillPage(rows(), maxCount, maxBytes);
    page.messages.reverse();
    return page;
  }
  latestStart(count: number, viewer: string): number {
    let start = this.#lastSeq + 1;
    let found = 0;
    for (let i = this.#messages.length - 1; i >= 0 && found < count; i--) {
      const m = this.#messages[i]!;
      if (visibleTo(m, viewer)) {
        start = m.seq;
        found++;
      }
    }
    return start;
  }
  count(): number {
    return this.#messages.length;
  }
  clear(): void {
    this.#messages = [];
    this.#senders = [];
    this.#clearedThrough = this.#lastSeq;
  }
  close(): void {}
}

function lowerBound(messages: readonly ChatMessage[], seq: number): number {
  let lo = 0;
  let hi = messages.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (messages[mid]!.seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function toChatMessage(seq: number, m: NewMessage): ChatMessage {
  const message: ChatMessage = { seq, id: m.id, from: m.from, text: m.text, ts: m.ts, kind: m.kind };
  if (m.to) message.to = m.to;
  return message;
}

/** What a history id looks like (base64url, as newHistoryId makes them). */
export const HISTORY_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** 22 characters of base64url: [A-Za-z0-9_-] only. */
export function newHistoryId(): string {
  return randomId(22);
}

// 2: no index on (client_id, msg_id). Every insert paid for it (random keys: a WAL page
// per message), to answer a question that only a resuming client asks (sentAfter).
// 3: a history id in meta, whose value column loses its INTEGER affinity (an all-digit id
// would have been turned into a number).
const SCHEMA_VERSION = 3;

interface Row {
  seq: number;
  msg_id: string;
  from_id: string;
  from_name: string;
  to_id: string | null;
  to_name: string | null;
  text: string;
  ts: number;
  kind: string;
}

const COLUMNS = 'seq, msg_id, from_id, from_name, to_id, to_name, text, ts, kind';
const VISIBLE = '(to_id IS NULL OR to_id = ? OR from_id = ?)';

/**
 * History in SQLite (node:sqlite, built into Node 24 and Electron: no native module).
 * WAL with synchronous=NORMAL: a commit is in the OS before append() returns, so a
 * killed host process loses nothing it acknowledged (only a power cut could).
 * Every failure leaves as a StoreError, the constructor's included.
 */
export class SqliteHistoryStore implements HistoryStore {
  readonly #db: DatabaseSync;
  readonly #insert: StatementSync;
  readonly #sentAfter: StatementSync;
  readonly #after: StatementSync;
  readonly #before: StatementSync;
  readonly #nthLatest: StatementSync;
  readonly #firstVisible: StatementSync;
  readonly #count: StatementSync;
  readonly #setCounter: StatementSync;
  readonly historyId: string;
  #lastSeq: number;
  #clearedThrough: number;

  constructor(file: string) {
    let db: DatabaseSync | undefined;
    try {
      db = new DatabaseSync(file);
      this.#db = db;
      db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 2000;');
      this.#migrate();
      this.#insert = db.prepare(
        'INSERT INTO messages (seq, client_id, msg_id, from_id, from_name, to_id, to_name, text, ts, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      // A range of the primary key, filtered: as long as what the client missed, no longer.
      this.#sentAfter = db.prepare('SELECT msg_id, seq FROM messages WHERE seq > ? AND client_id = ?');
      this.#after = db.prepare(`SELECT ${COLUMNS} FROM messages WHERE seq > ? AND ${VISIBLE} ORDER BY seq ASC LIMIT ?`);
      this.#before = db.prepare(`SELECT ${COLUMNS} FROM messages WHERE seq < ? AND ${VISIBLE} ORDER BY seq DESC LIMIT ?`);
      // The seq of the n-th newest visible message: the rows are read for their ids only,
      // and text (after to_id in the row, often on overflow pages) is never loaded.
      this.#nthLatest = db.prepare(`SELECT seq FROM messages WHERE ${VISIBLE} ORDER BY seq DESC LIMIT 1 OFFSET ?`);
      this.#firstVisible = db.prepare(`SELECT seq FROM messages WHERE ${VISIBLE} ORDER BY seq ASC LIMIT 1`);
      this.#count = db.prepare('SELECT count(*) AS n FROM messages');
      // node:sqlite binds every JS number as a double; meta's typeless column would keep it one.
      this.#setCounter = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, CAST(? AS INTEGER))');
      this.historyId = this.#historyId();
      this.#lastSeq = Math.max(this.#meta('last_seq'), this.#maxStoredSeq());
      this.#clearedThrough = this.#meta('cleared_through');
    } catch (error) {
      if (db?.isOpen) db.close();
      throw toStoreError(error);
    }
  }

  /** Open (or create) the history kept in `dataDir`, as is (tests, benchmarks); a host uses openHistory(). */
  static inDirectory(dataDir: string): SqliteHistoryStore {
    try {
      mkdirSync(dataDir, { recursive: true });
    } catch (error) {
      throw toStoreError(error);
    }
    return new SqliteHistoryStore(join(dataDir, 'history.sqlite'));
  }

  get lastSeq(): number {
    return this.#lastSeq;
  }
  get clearedThrough(): number {
    return this.#clearedThrough;
  }

  append(batch: readonly NewMessage[]): ChatMessage[] {
    if (batch.length === 0) return [];
    const stored: ChatMessage[] = [];
    let seq = this.#lastSeq;
    this.#transaction(() => {
      for (const m of batch) {
        seq++;
        this.#insert.run(seq, m.clientId, m.id, m.from.id, m.from.name, m.to?.id ?? null, m.to?.name ?? null, m.text, m.ts, m.kind);
        stored.push(toChatMessage(seq, m));
      }
      this.#setCounter.run('last_seq', seq);
    });
    this.#lastSeq = seq;
    return stored;
  }

  sentAfter(clientId: string, seq: number): Map<string, number> {
    const rows = guarded(() => this.#sentAfter.all(seq, clientId) as { msg_id: string; seq: number }[]);
    return new Map(rows.map((r) => [r.msg_id, r.seq]));
  }
  after(seq: number, limit: number, viewer: string): ChatMessage[] {
    return guarded(() => this.#after.all(seq, viewer, viewer, limit) as unknown as Row[]).map(fromRow);
  }
  pageAfter(seq: number, viewer: string, maxCount: number, maxBytes: number): HistoryPage {
    // One row more than the page may hold, read lazily: the page stops where it is full,
    // and the row after it (if any) says there is more.
    return guarded(() => fillPage(rowsOf(this.#after.iterate(seq, viewer, viewer, maxCount + 1)), maxCount, maxBytes));
  }
  pageBefore(seq: number, viewer: string, maxCount: number, maxBytes: number): HistoryPage {
    const page = guarded(() => fillPage(rowsOf(this.#before.iterate(seq, viewer, viewer, maxCount + 1)), maxCount, maxBytes));
    page.messages.reverse();
    return page;
  }
  latestStart(count: number, viewer: string): number {
    return guarded(() => {
      const nth = this.#nthLatest.get(viewer, viewer, Math.max(0, count - 1)) as { seq: number } | undefined;
      if (nth) return nth.seq;
      const first = this.#firstVisible.get(viewer, viewer) as { seq: number } | undefined;
      return first?.seq ?? this.#lastSeq + 1;
    });
  }
  count(): number {
    return guarded(() => (this.#count.get() as { n: number }).n);
  }

  clear(): void {
    this.#transaction(() => {
      this.#db.exec('DELETE FROM messages');
      this.#setCounter.run('last_seq', this.#lastSeq);
      this.#setCounter.run('cleared_through', this.#lastSeq);
    });
    this.#clearedThrough = this.#lastSeq;
  }

  close(): void {
    guarded(() => {
      if (this.#db.isOpen) this.#db.close();
    });
  }

  /** `work` in one write transaction: all of it or none. */
  #transaction(work: () => void): void {
    guarded(() => {
      this.#db.exec('BEGIN IMMEDIATE');
      try {
        work();
        this.#db.exec('COMMIT');
      } catch (error) {
        this.#rollback();
        throw error;
      }
    });
  }

  #rollback(): void {
    try {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
    } catch {
      // The failed statement may already have rolled the transaction back.
    }
  }

  #migrate(): void {
    const version = schemaVersion(this.#db);
    if (version > SCHEMA_VERSION) {
      throw new StoreError('other', `history was written by a newer Hearth (schema ${version}); update Hearth to open it`);
    }
    if (version === SCHEMA_VERSION) return;
    this.#transaction(() => {
      this.#db.exec(`
        CREATE TABLE IF NOT EXISTS messages (
          seq INTEGER PRIMARY KEY,
          client_id TEXT NOT NULL,
          msg_id TEXT NOT NULL,
          from_id TEXT NOT NULL,
          from_name TEXT NOT NULL,
          to_id TEXT,
          to_name TEXT,
          text TEXT NOT NULL,
          ts INTEGER NOT NULL,
          kind TEXT NOT NULL
        );
        DROP INDEX IF EXISTS messages_retry;
      `);
      // meta's value has no declared type, hence no affinity: integers stay integers and
      // the history id stays text. Schemas 1 and 2 declared it INTEGER: copy their rows over.
      const oldMeta = this.#db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
      this.#db.exec('CREATE TABLE meta_v3 (key TEXT PRIMARY KEY, value NOT NULL)');
      if (oldMeta) this.#db.exec('INSERT INTO meta_v3 (key, value) SELECT key, value FROM meta; DROP TABLE meta;');
      this.#db.exec(`ALTER TABLE meta_v3 RENAME TO meta; PRAGMA user_version = ${SCHEMA_VERSION};`);
      // A history from before ids gets a new one: clients that knew it start over once.
      this.#db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('history_id', ?)").run(newHistoryId());
    });
  }

  /** The id made with the history (a missing or mangled one is replaced: a new id is the safe side). */
  #historyId(): string {
    const row = this.#db.prepare("SELECT value FROM meta WHERE key = 'history_id'").get() as { value: unknown } | undefined;
    if (typeof row?.value === 'string' && HISTORY_ID.test(row.value)) return row.value;
    const id = newHistoryId();
    this.#transaction(() => this.#db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('history_id', ?)").run(id));
    return id;
  }

  #meta(key: string): number {
    const row = this.#db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: number } | undefined;
    return row?.value ?? 0;
  }

  #maxStoredSeq(): number {
    const row = this.#db.prepare('SELECT max(seq) AS seq FROM messages').get() as { seq: number | null };
    return row.seq ?? 0;
  }
}

function schemaVersion(db: DatabaseSync): number {
  return (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
}

/**
 * What the history file at `file` (which exists) holds, read without changing its content: its
 * schema (0: no history in it) and its id (undefined before schema 3). Throws StoreError.
 */
export function inspectHistoryFile(file: string): { schema: number; historyId: string | undefined } {
  return guarded(() => {
    const db = new DatabaseSync(file);
    try {
      const hasMessages = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'messages'").get();
      const schema = hasMessages ? Math.max(schemaVersion(db), 1) : 0;
      const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
      const row = hasMeta ? (db.prepare("SELECT value FROM meta WHERE key = 'history_id'").get() as { value: unknown } | undefined) : undefined;
      const historyId = typeof row?.value === 'string' && HISTORY_ID.test(row.value) ? row.value : undefined;
      return { schema, historyId };
    } finally {
      db.close();
    }
  });
}

/**
 * Rows as messages, read lazily. The statement is always reset at the end, a failed read
 * included: a step that threw leaves node:sqlite's statement in its error, and the next
 * page through it would fail however sound its rows (for-of resets only when it stops early).
 */
function* rowsOf(rows: IterableIterator<unknown>): Generator<ChatMessage> {
  try {
    for (const row of rows) yield fromRow(row as Row);
  } finally {
    rows.return?.();
  }
}

function fromRow(row: Row): ChatMessage {
  const message: ChatMessage = {
    seq: row.seq,
    id: row.msg_id,
    from: { id: row.from_id, name: row.from_name },
    text: row.text,
    ts: row.ts,
    kind: row.kind === 'action' ? 'action' : 'text',
  };
  if (row.to_id !== null) message.to = { id: row.to_id, name: row.to_name ?? '' };
  return message;
}
