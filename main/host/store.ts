// Durable room history. The room talks to the HistoryStore interface only, so the SQLite
// store and the in-memory one (tests, benchmarks) are interchangeable.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { Author, ChatMessage } from '../../common/protocol.ts';

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

export interface HistoryStore {
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
  /** The newest `limit` messages `viewer` may see, oldest first. */
  latest(limit: number, viewer: string): ChatMessage[];
  /** Messages after `seq` that `viewer` may see, oldest first, at most `limit`. */
  after(seq: number, limit: number, viewer: string): ChatMessage[];
  /** Messages before `seq` that `viewer` may see, oldest first, at most `limit` (the newest ones). */
  before(seq: number, limit: number, viewer: string): ChatMessage[];
  /** How many messages are stored. */
  count(): number;
  clear(): void;
  close(): void;
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
  latest(limit: number, viewer: string): ChatMessage[] {
    const out: ChatMessage[] = [];
    for (let i = this.#messages.length - 1; i >= 0 && out.length < limit; i--) {
      const m = this.#messages[i]!;
      if (visibleTo(m, viewer)) out.push(m);
    }
    return out.reverse();
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
  before(seq: number, limit: number, viewer: string): ChatMessage[] {
    const out: ChatMessage[] = [];
    for (let i = lowerBound(this.#messages, seq) - 1; i >= 0 && out.length < limit; i--) {
      const m = this.#messages[i]!;
      if (visibleTo(m, viewer)) out.push(m);
    }
    return out.reverse();
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

// 2: no index on (client_id, msg_id). Every insert paid for it (random keys: a WAL page
// per message), to answer a question that only a resuming client asks (sentAfter).
const SCHEMA_VERSION = 2;

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
 */
export class SqliteHistoryStore implements HistoryStore {
  readonly #db: DatabaseSync;
  readonly #insert: StatementSync;
  readonly #sentAfter: StatementSync;
  readonly #latest: StatementSync;
  readonly #after: StatementSync;
  readonly #before: StatementSync;
  readonly #count: StatementSync;
  readonly #setMeta: StatementSync;
  #lastSeq: number;
  #clearedThrough: number;

  constructor(file: string) {
    this.#db = new DatabaseSync(file);
    this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 2000;');
    this.#migrate();
    this.#insert = this.#db.prepare(
      'INSERT INTO messages (seq, client_id, msg_id, from_id, from_name, to_id, to_name, text, ts, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    // A range of the primary key, filtered: as long as what the client missed, no longer.
    this.#sentAfter = this.#db.prepare('SELECT msg_id, seq FROM messages WHERE seq > ? AND client_id = ?');
    this.#latest = this.#db.prepare(
      `SELECT ${COLUMNS} FROM messages WHERE ${VISIBLE} ORDER BY seq DESC LIMIT ?`,
    );
    this.#after = this.#db.prepare(
      `SELECT ${COLUMNS} FROM messages WHERE seq > ? AND ${VISIBLE} ORDER BY seq ASC LIMIT ?`,
    );
    this.#before = this.#db.prepare(
      `SELECT ${COLUMNS} FROM messages WHERE seq < ? AND ${VISIBLE} ORDER BY seq DESC LIMIT ?`,
    );
    this.#count = this.#db.prepare('SELECT count(*) AS n FROM messages');
    this.#setMeta = this.#db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
    this.#lastSeq = Math.max(this.#meta('last_seq'), this.#maxStoredSeq());
    this.#clearedThrough = this.#meta('cleared_through');
  }

  /** Open (or create) the history of the room kept in `dataDir`. */
  static inDirectory(dataDir: string): SqliteHistoryStore {
    mkdirSync(dataDir, { recursive: true });
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
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      for (const m of batch) {
        seq++;
        this.#insert.run(seq, m.clientId, m.id, m.from.id, m.from.name, m.to?.id ?? null, m.to?.name ?? null, m.text, m.ts, m.kind);
        stored.push(toChatMessage(seq, m));
      }
      this.#setMeta.run('last_seq', seq);
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#rollback();
      throw error;
    }
    this.#lastSeq = seq;
    return stored;
  }

  sentAfter(clientId: string, seq: number): Map<string, number> {
    const rows = this.#sentAfter.all(seq, clientId) as { msg_id: string; seq: number }[];
    return new Map(rows.map((r) => [r.msg_id, r.seq]));
  }
  latest(limit: number, viewer: string): ChatMessage[] {
    return (this.#latest.all(viewer, viewer, limit) as unknown as Row[]).map(fromRow).reverse();
  }
  after(seq: number, limit: number, viewer: string): ChatMessage[] {
    return (this.#after.all(seq, viewer, viewer, limit) as unknown as Row[]).map(fromRow);
  }
  before(seq: number, limit: number, viewer: string): ChatMessage[] {
    return (this.#before.all(seq, viewer, viewer, limit) as unknown as Row[]).map(fromRow).reverse();
  }
  count(): number {
    return (this.#count.get() as { n: number }).n;
  }

  clear(): void {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      this.#db.exec('DELETE FROM messages');
      this.#setMeta.run('last_seq', this.#lastSeq);
      this.#setMeta.run('cleared_through', this.#lastSeq);
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#rollback();
      throw error;
    }
    this.#clearedThrough = this.#lastSeq;
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  #rollback(): void {
    try {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
    } catch {
      // The failed statement may already have rolled the transaction back.
    }
  }

  #migrate(): void {
    const { user_version: version } = this.#db.prepare('PRAGMA user_version').get() as { user_version: number };
    if (version > SCHEMA_VERSION) {
      throw new Error(`history was written by a newer Hearth (schema ${version}); update Hearth to open it`);
    }
    if (version === SCHEMA_VERSION) return;
    this.#db.exec(`
      BEGIN;
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
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
      PRAGMA user_version = ${SCHEMA_VERSION};
      COMMIT;
    `);
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
