// History in SQLite: the schema and its migrations, the queries, and a read-only look at
// a history file (history-file.ts decides what to do with one it cannot open).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { ChatMessage, FileRef } from '../../../common/protocol.ts';
import { guarded, toStoreError } from './errors.ts';
import { filesOf, fillPage, HISTORY_ID, newHistoryId, toChatMessage, type FileInHistory, type HistoryPage, type HistoryStore, type NewMessage } from './history.ts';
import { migrate, needsMigration, schemaVersion } from './sqlite-schema.ts';

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
  file: string | null;
}

const COLUMNS = 'seq, msg_id, from_id, from_name, to_id, to_name, text, ts, kind, file';
/** The rows carrying this file (the partial index messages_file answers it). */
const CARRYING = "file IS NOT NULL AND json_extract(file, '$.id') = ?";
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
  readonly #one: StatementSync;
  readonly #carrying: StatementSync;
  readonly #setFile: StatementSync;
  readonly #withFiles: StatementSync;
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
        'INSERT INTO messages (seq, client_id, msg_id, from_id, from_name, to_id, to_name, text, ts, kind, file) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
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
      this.#one = db.prepare(`SELECT ${COLUMNS} FROM messages WHERE seq = ?`);
      this.#carrying = db.prepare(`SELECT ${COLUMNS} FROM messages WHERE ${CARRYING} ORDER BY seq ASC`);
      this.#setFile = db.prepare('UPDATE messages SET file = ? WHERE seq = ?');
      // Through the partial index: only the rows with a file are read, however long the history.
      this.#withFiles = db.prepare(`SELECT ${COLUMNS} FROM messages INDEXED BY messages_file WHERE file IS NOT NULL ORDER BY seq DESC`);
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
        this.#insert.run(seq, m.clientId, m.id, m.from.id, m.from.name, m.to?.id ?? null, m.to?.name ?? null, m.text, m.ts, m.kind, m.file ? JSON.stringify(m.file) : null);
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
  get(seq: number): ChatMessage | undefined {
    const row = guarded(() => this.#one.get(seq) as Row | undefined);
    return row && fromRow(row);
  }

  markFileDeleted(fileId: string): ChatMessage[] {
    const changed: ChatMessage[] = [];
    this.#transaction(() => {
      for (const row of this.#carrying.all(fileId) as unknown as Row[]) {
        const message = fromRow(row);
        if (!message.file || message.file.deleted) continue;
        message.file = { ...message.file, deleted: true };
        this.#setFile.run(JSON.stringify(message.file), message.seq);
        changed.push(message);
      }
    });
    return changed;
  }

  files(): FileInHistory[] {
    return guarded(() => filesOf(rowsOf(this.#withFiles.iterate())));
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
    if (needsMigration(this.#db)) this.#transaction(() => migrate(this.#db));
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
  if (row.file !== null) message.file = JSON.parse(row.file) as FileRef;
  return message;
}
