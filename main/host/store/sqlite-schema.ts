// The SQLite history's schema and how older files are brought up to it, one step per
// version, in one transaction (the caller's): a file is at one version or the next, never
// between them.
import type { DatabaseSync } from 'node:sqlite';
import { StoreError } from './errors.ts';
import { newHistoryId } from './history.ts';

// 2: no index on (client_id, msg_id). Every insert paid for it (random keys: a WAL page
// per message), to answer a question that only a resuming client asks (sentAfter).
// 3: a history id in meta, whose value column loses its INTEGER affinity (an all-digit id
// would have been turned into a number).
// 4: a message may carry a file (its FileRef as JSON), indexed by the file's id for the
// rows that have one only, so a chat message's insert pays nothing for it.
export const SCHEMA_VERSION = 4;

export function schemaVersion(db: DatabaseSync): number {
  return (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
}

/** Whether the file needs migrating; throws for a file from a newer Hearth. */
export function needsMigration(db: DatabaseSync): boolean {
  const version = schemaVersion(db);
  if (version > SCHEMA_VERSION) {
    throw new StoreError('other', `history was written by a newer Hearth (schema ${version}); update Hearth to open it`);
  }
  return version < SCHEMA_VERSION;
}

/** Bring the file to SCHEMA_VERSION; run inside a write transaction. */
export function migrate(db: DatabaseSync): void {
  if (schemaVersion(db) < 3) toVersion3(db);
  const columns = db.prepare('PRAGMA table_info(messages)').all() as { name: string }[];
  if (!columns.some((c) => c.name === 'file')) db.exec('ALTER TABLE messages ADD COLUMN file TEXT');
  db.exec(`
    CREATE INDEX IF NOT EXISTS messages_file ON messages (json_extract(file, '$.id')) WHERE file IS NOT NULL;
    PRAGMA user_version = ${SCHEMA_VERSION};
  `);
}

function toVersion3(db: DatabaseSync): void {
  db.exec(`
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
  const oldMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
  db.exec('CREATE TABLE meta_v3 (key TEXT PRIMARY KEY, value NOT NULL)');
  if (oldMeta) db.exec('INSERT INTO meta_v3 (key, value) SELECT key, value FROM meta; DROP TABLE meta;');
  db.exec('ALTER TABLE meta_v3 RENAME TO meta; PRAGMA user_version = 3;');
  // A history from before ids gets a new one: clients that knew it start over once.
  db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('history_id', ?)").run(newHistoryId());
}
