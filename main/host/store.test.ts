import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/host.ts';
import { MemoryHistoryStore, SqliteHistoryStore, type HistoryStore, type NewMessage } from './store.ts';

const dirs: Array<{ remove(): void }> = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

function dir(): string {
  const d = tempDir();
  dirs.push(d);
  return d.path;
}

const alice = { id: 'alice', name: 'Alice' };
const bob = { id: 'bob', name: 'Bob' };
function msg(id: string, extra: Partial<NewMessage> = {}): NewMessage {
  return { id, clientId: 'client-alice-0001', from: alice, text: `text ${id}`, ts: 1_700_000_000_000, kind: 'text', ...extra };
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
    expect(store.latest(3, 'x').map((m) => m.seq)).toEqual([8, 9, 10]);
    expect(store.after(7, 100, 'x').map((m) => m.seq)).toEqual([8, 9, 10]);
    expect(store.after(2, 2, 'x').map((m) => m.seq)).toEqual([3, 4]);
    expect(store.before(4, 2, 'x').map((m) => m.seq)).toEqual([2, 3]);
    expect(store.count()).toBe(10);
    store.close();
  });

  it('shows a private message only to its two people', () => {
    const store = make();
    store.append([msg('pub'), msg('priv', { to: bob }), msg('pub2')]);
    expect(store.latest(10, 'carol').map((m) => m.id)).toEqual(['pub', 'pub2']);
    expect(store.latest(10, 'bob').map((m) => m.id)).toEqual(['pub', 'priv', 'pub2']);
    expect(store.latest(10, 'alice').map((m) => m.id)).toEqual(['pub', 'priv', 'pub2']);
    expect(store.after(0, 10, 'bob')[1]!.to).toEqual(bob);
    store.close();
  });

  it('never reuses a seq after clearing', () => {
    const store = make();
    store.append([msg('a'), msg('b')]);
    store.clear();
    expect(store.latest(10, 'x')).toEqual([]);
    expect(store.clearedThrough).toBe(2);
    expect(store.append([msg('c')])[0]!.seq).toBe(3);
    store.close();
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
    expect(store.latest(10, 'x').map((m) => m.text)).toEqual(['from before']);
    expect(store.append([msg('new')])[0]!.seq).toBe(8);
    store.close();
    const check = new DatabaseSync(join(path, 'history.sqlite'));
    expect(check.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'messages_retry'").all()).toEqual([]);
    expect(check.prepare('PRAGMA user_version').get()).toEqual({ user_version: 2 });
    check.close();
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
    expect(again.latest(10, 'x')).toEqual([
      { seq: 3, id: 'c', from: alice, text: 'emoji 🔥 and <b>html</b>', ts: 1_700_000_000_000, kind: 'text' },
    ]);
    expect([...again.sentAfter('client-alice-0001', 0)]).toEqual([['c', 3]]);
    again.close();
  });

  it('rolls back a failed batch as a whole', () => {
    const store = SqliteHistoryStore.inDirectory(dir());
    store.append([msg('a')]);
    // The second row breaks a NOT NULL constraint, after the first went in.
    expect(() => store.append([msg('b'), msg('c', { text: null as unknown as string })])).toThrow(/NOT NULL/);
    expect(store.lastSeq).toBe(1);
    expect(store.latest(10, 'x').map((m) => m.id)).toEqual(['a']);
    expect(store.append([msg('b')])[0]!.seq).toBe(2);
    store.close();
  });
});
