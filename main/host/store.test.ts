import { closeSync, existsSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { tempDirsPerTest } from '../../test/support/host.ts';
import {
  MemoryHistoryStore,
  SqliteHistoryStore,
  StoreError,
  describeStoreError,
  toStoreError,
  type HistoryStore,
  type NewMessage,
  type StoreErrorKind,
} from './store/index.ts';

const dir = tempDirsPerTest();

const alice = { id: 'alice', name: 'Alice' };
const bob = { id: 'bob', name: 'Bob' };
function msg(id: string, extra: Partial<NewMessage> = {}): NewMessage {
  return { id, clientId: 'client-alice-0001', from: alice, text: `text ${id}`, ts: 1_700_000_000_000, kind: 'text', ...extra };
}

/** The newest `limit` messages `viewer` may see before `seq`, oldest first (one unbounded page). */
function before(store: HistoryStore, seq: number, limit: number, viewer: string) {
  return store.pageBefore(seq, viewer, limit, Number.MAX_SAFE_INTEGER).messages;
}
/** The newest `limit` messages `viewer` may see, oldest first: read as a join reads them. */
function latest(store: HistoryStore, limit: number, viewer: string) {
  return store.pageAfter(store.latestStart(limit, viewer) - 1, viewer, limit, Number.MAX_SAFE_INTEGER).messages;
}

const stores: Array<[string, () => HistoryStore]> = [
  ['memory', () => new MemoryHistoryStore()],
  ['sqlite', () => SqliteHistoryStore.inDirectory(dir())],
];

describe.each(stores)('%s store', (_name, make) => {
  it('assigns increasing seqs and lists what one client sent after a seq', () => {
    const store = make();
    const stored = store.append([msg('a'), msg('b'), msg('x', { clientId: 'client-bob-000001', from: bob })]);
    expect(stored.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(store.append([msg('c')])[0]!.seq).toBe(4);
    expect([...store.sentAfter('client-alice-0001', 1)]).toEqual([['b', 2], ['c', 4]]);
    expect([...store.sentAfter('client-alice-0001', 0)]).toEqual([['a', 1], ['b', 2], ['c', 4]]);
    expect([...store.sentAfter('client-bob-000001', 0)]).toEqual([['x', 3]]);
    expect(store.sentAfter('client-alice-0001', 4).size).toBe(0);
    expect(store.lastSeq).toBe(4);
    store.close();
  });

  it('pages latest, after and before, oldest first', () => {
    const store = make();
    store.append(Array.from({ length: 10 }, (_, i) => msg(`m${i + 1}`)));
    expect(latest(store, 3, 'x').map((m) => m.seq)).toEqual([8, 9, 10]);
    expect(store.after(7, 100, 'x').map((m) => m.seq)).toEqual([8, 9, 10]);
    expect(store.after(2, 2, 'x').map((m) => m.seq)).toEqual([3, 4]);
    expect(before(store, 4, 2, 'x').map((m) => m.seq)).toEqual([2, 3]);
    expect(store.count()).toBe(10);
    store.close();
  });

  it('pages by bytes as well as by count, and says whether more lies beyond', () => {
    const store = make();
    const heavy = '😀'.repeat(4000); // 16,000 bytes of UTF-8
    store.append(Array.from({ length: 40 }, (_, i) => msg(`h${i}`, { text: i % 10 === 0 ? heavy : `light ${i}` })));
    // 40 messages, 4 of them 16 KB: a 20 KB page holds one heavy message and stops before the next.
    const first = store.pageAfter(0, 'alice', 1000, 20_000);
    expect(first.messages.map((m) => m.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(first.more).toBe(true);
    // A page always holds at least one message, however heavy.
    expect(store.pageAfter(10, 'alice', 1000, 1).messages.map((m) => m.seq)).toEqual([11]);
    // Count bounds it too; the last page says nothing is left.
    expect(store.pageAfter(30, 'alice', 5, 1e9)).toMatchObject({ more: true });
    const last = store.pageAfter(35, 'alice', 5, 1e9);
    expect(last.messages.map((m) => m.seq)).toEqual([36, 37, 38, 39, 40]);
    expect(last.more).toBe(false);
    // Backwards: the newest ones before the seq, returned oldest first.
    const back = store.pageBefore(41, 'alice', 1000, 20_000);
    // 40 back to 22: nine light, heavy 31, nine light (about 19.9 KB); heavy 21 would pass 20 KB.
    expect(back.messages.map((m) => m.seq)).toEqual(Array.from({ length: 19 }, (_, i) => i + 22));
    expect(back.more).toBe(true);
    expect(store.pageBefore(3, 'alice', 10, 1e9)).toEqual({ messages: store.after(0, 2, 'alice'), more: false });
  });

  it('finds where the latest messages someone may see begin', () => {
    const store = make();
    expect(store.latestStart(200, 'alice')).toBe(1); // nothing yet: start after the end
    store.append([msg('a'), msg('b', { to: bob }), msg('c'), msg('d', { from: bob, to: { id: 'carol', name: 'Carol' }, clientId: 'client-bob-00001' })]);
    expect(store.latestStart(2, 'alice')).toBe(2); // a, [b], c: the newest two she sees are b and c
    expect(store.latestStart(2, 'carol')).toBe(3); // c and d
    expect(store.latestStart(200, 'carol')).toBe(1); // fewer than asked: from the first she sees
    expect(store.latestStart(200, 'nobody')).toBe(1);
    expect(store.latestStart(1, 'nobody')).toBe(3);
  });

  it('shows a private message only to its two people', () => {
    const store = make();
    store.append([msg('pub'), msg('priv', { to: bob }), msg('pub2')]);
    expect(latest(store, 10, 'carol').map((m) => m.id)).toEqual(['pub', 'pub2']);
    expect(latest(store, 10, 'bob').map((m) => m.id)).toEqual(['pub', 'priv', 'pub2']);
    expect(latest(store, 10, 'alice').map((m) => m.id)).toEqual(['pub', 'priv', 'pub2']);
    expect(store.after(0, 10, 'bob')[1]!.to).toEqual(bob);
    store.close();
  });

  it('never reuses a seq after clearing, and keeps its history id', () => {
    const store = make();
    const id = store.historyId;
    store.append([msg('a'), msg('b')]);
    store.clear();
    expect(latest(store, 10, 'x')).toEqual([]);
    expect(store.clearedThrough).toBe(2);
    expect(store.append([msg('c')])[0]!.seq).toBe(3);
    expect(store.historyId).toBe(id);
    store.close();
  });

  it('names its history with a random base64url id', () => {
    const one = make();
    const other = make();
    expect(one.historyId).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(other.historyId).not.toBe(one.historyId);
    one.close();
    other.close();
  });
});

describe('sqlite store', () => {
  it('opens a history written by schema 1 and drops its retry index', () => {
    const path = dir();
    const v1 = new DatabaseSync(join(path, 'history.sqlite'));
    v1.exec(`
      CREATE TABLE messages (seq INTEGER PRIMARY KEY, client_id TEXT NOT NULL, msg_id TEXT NOT NULL, from_id TEXT NOT NULL,
        from_name TEXT NOT NULL, to_id TEXT, to_name TEXT, text TEXT NOT NULL, ts INTEGER NOT NULL, kind TEXT NOT NULL);
      CREATE UNIQUE INDEX messages_retry ON messages (client_id, msg_id);
      CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
      INSERT INTO messages VALUES (7, 'client-alice-0001', 'old', 'alice', 'Alice', NULL, NULL, 'from before', 1700000000000, 'text');
      INSERT INTO meta VALUES ('last_seq', 7);
      PRAGMA user_version = 1;
    `);
    v1.close();
    const store = SqliteHistoryStore.inDirectory(path);
    expect(store.lastSeq).toBe(7);
    expect(latest(store, 10, 'x').map((m) => m.text)).toEqual(['from before']);
    expect(store.append([msg('new')])[0]!.seq).toBe(8);
    store.close();
    const check = new DatabaseSync(join(path, 'history.sqlite'));
    expect(check.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'messages_retry'").all()).toEqual([]);
    expect(check.prepare('PRAGMA user_version').get()).toEqual({ user_version: 4 });
    check.close();
  });

  it('gives a schema 2 history an id as it migrates it to schema 3, keeping its counters', () => {
    const path = dir();
    const v2 = new DatabaseSync(join(path, 'history.sqlite'));
    v2.exec(`
      CREATE TABLE messages (seq INTEGER PRIMARY KEY, client_id TEXT NOT NULL, msg_id TEXT NOT NULL, from_id TEXT NOT NULL,
        from_name TEXT NOT NULL, to_id TEXT, to_name TEXT, text TEXT NOT NULL, ts INTEGER NOT NULL, kind TEXT NOT NULL);
      CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
      INSERT INTO messages VALUES (9, 'client-alice-0001', 'old', 'alice', 'Alice', NULL, NULL, 'kept', 1700000000000, 'text');
      INSERT INTO meta VALUES ('last_seq', 12), ('cleared_through', 5);
      PRAGMA user_version = 2;
    `);
    v2.close();
    const store = SqliteHistoryStore.inDirectory(path);
    const id = store.historyId;
    expect(id).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(store.lastSeq).toBe(12);
    expect(store.clearedThrough).toBe(5);
    expect(latest(store, 10, 'x').map((m) => m.text)).toEqual(['kept']);
    expect(store.append([msg('new')])[0]!.seq).toBe(13);
    store.close();

    const check = new DatabaseSync(join(path, 'history.sqlite'));
    expect(check.prepare('PRAGMA user_version').get()).toEqual({ user_version: 4 });
    // The id is text and the counters are integers in the same (typeless) column.
    const types = check.prepare('SELECT key, typeof(value) AS type FROM meta ORDER BY key').all();
    expect(types.map((r) => ({ ...r }))).toEqual([
      { key: 'cleared_through', type: 'integer' },
      { key: 'history_id', type: 'text' },
      { key: 'last_seq', type: 'integer' },
    ]);
    check.close();
    const again = SqliteHistoryStore.inDirectory(path);
    expect(again.historyId).toBe(id);
    expect(again.lastSeq).toBe(13);
    again.close();
  });

  it('keeps everything across a reopen, including the seq counter after a clear', () => {
    const path = dir();
    const first = SqliteHistoryStore.inDirectory(path);
    first.append([msg('a', { kind: 'action' }), msg('b', { to: bob })]);
    first.clear();
    first.append([msg('c', { text: 'emoji 🔥 and <b>html</b>' })]);
    first.close();
    const again = SqliteHistoryStore.inDirectory(path);
    expect(again.lastSeq).toBe(3);
    expect(again.clearedThrough).toBe(2);
    expect(latest(again, 10, 'x')).toEqual([
      { seq: 3, id: 'c', from: alice, text: 'emoji 🔥 and <b>html</b>', ts: 1_700_000_000_000, kind: 'text' },
    ]);
    expect([...again.sentAfter('client-alice-0001', 0)]).toEqual([['c', 3]]);
    again.close();
  });

  it('rolls back a failed batch as a whole', () => {
    const store = SqliteHistoryStore.inDirectory(dir());
    store.append([msg('a')]);
    // The second row breaks a NOT NULL constraint, after the first went in.
    const failed = catchError(() => store.append([msg('b'), msg('c', { text: null as unknown as string })]));
    expect(failed).toBeInstanceOf(StoreError);
    expect(failed).toMatchObject({ kind: 'other', message: expect.stringMatching(/NOT NULL/) });
    expect(store.lastSeq).toBe(1);
    expect(latest(store, 10, 'x').map((m) => m.id)).toEqual(['a']);
    expect(store.append([msg('b')])[0]!.seq).toBe(2);
    store.close();
  });
});

function catchError(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('store errors', () => {
  it('sorts what SQLite really throws into kinds, by result code', () => {
    const file = join(dir(), 'kinds.sqlite');
    const owner = new DatabaseSync(file);
    owner.exec('PRAGMA journal_mode = WAL; CREATE TABLE t (x NOT NULL)');
    const garbage = join(dir(), 'garbage.sqlite');
    writeFileSync(garbage, 'not a database '.repeat(500));
    const cases: Array<[StoreErrorKind, () => void]> = [
      ['full', () => {
        const db = new DatabaseSync(':memory:');
        db.exec('PRAGMA max_page_count = 2; CREATE TABLE t (x)');
        for (let i = 0; i < 100; i++) db.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(1000));
      }],
      ['read_only', () => new DatabaseSync(file, { readOnly: true }).exec('INSERT INTO t VALUES (1)')],
      ['busy', () => {
        owner.exec('BEGIN IMMEDIATE');
        try {
          new DatabaseSync(file, { timeout: 0 }).exec('BEGIN IMMEDIATE');
        } finally {
          owner.exec('ROLLBACK');
        }
      }],
      ['corrupt', () => new DatabaseSync(garbage).exec('SELECT * FROM sqlite_master')],
      ['io', () => new DatabaseSync(join(dir(), 'no', 'such', 'folder.sqlite'))],
      ['read_only', () => {
        throw Object.assign(new Error('EROFS: read-only file system, mkdir'), { code: 'EROFS' });
      }],
      ['other', () => owner.prepare('INSERT INTO t VALUES (?)').run(null)],
      ['other', () => {
        const db = new DatabaseSync(':memory:');
        db.close();
        db.exec('SELECT 1');
      }],
    ];
    for (const [kind, work] of cases) {
      const error = toStoreError(catchError(work));
      expect(error, kind).toBeInstanceOf(StoreError);
      expect(error.kind, error.message).toBe(kind);
    }
    owner.close();
    expect(describeStoreError('full')).toBe('disk full');
    expect(describeStoreError('corrupt')).toBe('history file is damaged');
  });

  it('says a damaged page is corrupt where a read needs it, and keeps working where SQLite can', () => {
    const path = dir();
    const file = join(path, 'history.sqlite');
    const writing = SqliteHistoryStore.inDirectory(path);
    for (let batch = 0; batch < 10; batch++) {
      writing.append(Array.from({ length: 100 }, (_, i) => msg(`m${batch * 100 + i + 1}`, { text: `${'x'.repeat(180)} ${batch * 100 + i + 1}` })));
    }
    writing.close();
    expect(existsSync(`${file}-wal`)).toBe(false); // everything is in the main file now

    // Overwrite the middle fifth of the file (message pages: the schema and meta live in
    // the first pages, new rows at the end) with bytes that are no b-tree page.
    const probe = new DatabaseSync(file);
    const { page_size: pageSize } = probe.prepare('PRAGMA page_size').get() as { page_size: number };
    probe.close();
    const pages = statSync(file).size / pageSize;
    expect(pages).toBeGreaterThan(40);
    const fd = openSync(file, 'r+');
    for (let page = Math.floor(pages * 0.4); page < Math.floor(pages * 0.6); page++) {
      writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, page * pageSize);
    }
    closeSync(fd);

    const store = SqliteHistoryStore.inDirectory(path);
    expect(store.lastSeq).toBe(1000);
    for (const read of [() => before(store, 500, 50, 'x'), () => store.after(450, 100, 'x'), () => store.count()]) {
      const error = catchError(read);
      expect(error).toBeInstanceOf(StoreError);
      expect(error).toMatchObject({ kind: 'corrupt', message: 'database disk image is malformed' });
    }
    // Pages the damage does not touch still read (through the very statements that just
    // failed: a failed read must not leave them stuck), and new messages still go in.
    expect(latest(store, 5, 'x').map((m) => m.seq)).toEqual([996, 997, 998, 999, 1000]);
    expect(before(store, 100, 3, 'x').map((m) => m.seq)).toEqual([97, 98, 99]);
    expect(store.after(995, 10, 'x').map((m) => m.seq)).toEqual([996, 997, 998, 999, 1000]);
    expect(store.sentAfter('client-alice-0001', 998).size).toBe(2);
    expect(store.append([msg('after the damage')])[0]!.seq).toBe(1001);
    expect(latest(store, 1, 'x')[0]!.id).toBe('after the damage');
    store.close();
  });
});
