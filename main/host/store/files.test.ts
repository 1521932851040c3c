// Messages that carry files, in both stores: kept with their FileRef, found by seq, listed
// by file, marked deleted; and a schema 3 history file brought to schema 4.
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import type { FileRef } from '../../../common/protocol.ts';
import { tempDirsPerTest } from '../../../test/support/host.ts';
import { MemoryHistoryStore, messageBytes, SqliteHistoryStore, type HistoryStore, type NewMessage } from './index.ts';

const dir = tempDirsPerTest();
const alice = { id: 'alice', name: 'Alice' };
const bob = { id: 'bob', name: 'Bob' };
const carol = { id: 'carol', name: 'Carol' };
const photo: FileRef = { id: 'a'.repeat(64), name: 'beach.png', size: 2_400_000, type: 'image/png', image: { width: 800, height: 600 } };
const report: FileRef = { id: 'b'.repeat(64), name: 'report.pdf', size: 51_200, type: 'application/pdf' };

function msg(id: string, extra: Partial<NewMessage> = {}): NewMessage {
  return { id, clientId: 'client-alice-0001', from: alice, text: '', ts: 1_700_000_000_000, kind: 'text', ...extra };
}

const stores: Array<[string, () => HistoryStore]> = [
  ['memory', () => new MemoryHistoryStore()],
  ['sqlite', () => SqliteHistoryStore.inDirectory(dir())],
];

describe.each(stores)('%s store with files', (_name, make) => {
  it('keeps a message’s file and caption, and finds any message by seq', () => {
    const store = make();
    store.append([msg('hi', { text: 'hello' }), msg('pic', { text: 'the beach', file: photo }), msg('secret', { to: bob, file: report })]);
    expect(store.get(1)).toEqual({ seq: 1, id: 'hi', from: alice, text: 'hello', ts: 1_700_000_000_000, kind: 'text' });
    expect(store.get(2)?.file).toEqual(photo);
    expect(store.get(2)?.text).toBe('the beach');
    // get answers whoever asks: visibility is the caller's (room/files.ts: fileIn).
    expect(store.get(3)).toMatchObject({ to: bob, file: report });
    expect(store.get(4)).toBeUndefined();
    expect(store.get(0)).toBeUndefined();
    expect(store.pageAfter(0, 'carol', 10, 1e9).messages.map((m) => m.file?.name)).toEqual([undefined, 'beach.png']);
    store.clear();
    expect(store.get(2)).toBeUndefined();
    store.close();
  });

  it('lists each file once, named by its newest message, counting the messages that carry it', () => {
    const store = make();
    store.append([
      msg('one', { file: photo }),
      msg('two', { from: carol, clientId: 'client-carol-001', file: { ...photo, name: 'sea.png' }, ts: 1_700_000_005_000 }),
      msg('three', { file: report, to: bob }),
      msg('plain', { text: 'no file' }),
    ]);
    expect(store.files()).toEqual([
      { file: report, seq: 3, from: alice, ts: 1_700_000_000_000, messages: 1 },
      { file: { ...photo, name: 'sea.png' }, seq: 2, from: carol, ts: 1_700_000_005_000, messages: 2 },
    ]);
    store.close();
  });

  it('marks every message carrying a file as deleted, keeps them, and returns them', () => {
    const store = make();
    store.append([msg('one', { file: photo, text: 'caption stays' }), msg('other', { file: report }), msg('two', { file: photo, to: bob })]);
    const before = store.get(1)!;
    const changed = store.markFileDeleted(photo.id);
    expect(changed.map((m) => [m.seq, m.file?.deleted])).toEqual([[1, true], [3, true]]);
    expect(store.get(1)).toMatchObject({ text: 'caption stays', file: { ...photo, deleted: true } });
    expect(store.get(2)?.file?.deleted).toBeUndefined();
    // What was read before (a page already on its way) is not changed under the reader.
    expect(before.file?.deleted).toBeUndefined();
    expect(store.files().find((f) => f.file.id === photo.id)?.file.deleted).toBe(true);
    expect(store.markFileDeleted('c'.repeat(64))).toEqual([]);
    expect(store.markFileDeleted(photo.id)).toEqual([]); // marked already: nothing changes, nobody need be told again
    expect(store.count()).toBe(3);
    store.close();
  });
});

describe('file messages', () => {
  it('weigh their FileRef in a page, so a page of long file names stays within its bytes', () => {
    const plain = { seq: 1, id: 'x', from: alice, text: 'hi', ts: 0, kind: 'text' as const };
    const longName = { ...report, name: 'n'.repeat(255) };
    expect(messageBytes({ ...plain, file: longName }) - messageBytes(plain)).toBe(Buffer.byteLength(JSON.stringify(longName)));
  });

  it('survive a reopen of the SQLite history, deleted marks included', () => {
    const path = dir();
    const first = SqliteHistoryStore.inDirectory(path);
    first.append([msg('one', { file: photo }), msg('two', { file: report })]);
    first.markFileDeleted(report.id);
    first.close();
    const again = SqliteHistoryStore.inDirectory(path);
    expect(again.get(1)?.file).toEqual(photo);
    expect(again.get(2)?.file).toEqual({ ...report, deleted: true });
    again.close();
  });

  it('come to a schema 3 history: its messages stay, new ones carry files, and only file rows are indexed', () => {
    const path = dir();
    const v3 = new DatabaseSync(join(path, 'history.sqlite'));
    v3.exec(`
      CREATE TABLE messages (seq INTEGER PRIMARY KEY, client_id TEXT NOT NULL, msg_id TEXT NOT NULL, from_id TEXT NOT NULL,
        from_name TEXT NOT NULL, to_id TEXT, to_name TEXT, text TEXT NOT NULL, ts INTEGER NOT NULL, kind TEXT NOT NULL);
      CREATE TABLE meta (key TEXT PRIMARY KEY, value NOT NULL);
      INSERT INTO messages VALUES (4, 'client-alice-0001', 'old', 'alice', 'Alice', 'bob', 'Bob', 'from version 3', 1700000000000, 'text');
      INSERT INTO meta VALUES ('last_seq', 4), ('cleared_through', 0), ('history_id', 'kept-history-id-0001');
      PRAGMA user_version = 3;
    `);
    v3.close();
    const store = SqliteHistoryStore.inDirectory(path);
    expect(store.historyId).toBe('kept-history-id-0001');
    expect(store.get(4)).toEqual({ seq: 4, id: 'old', from: alice, to: bob, text: 'from version 3', ts: 1_700_000_000_000, kind: 'text' });
    expect(store.append([msg('pic', { file: photo })])[0]).toMatchObject({ seq: 5, file: photo });
    expect(store.files().map((f) => f.seq)).toEqual([5]);
    store.close();

    const check = new DatabaseSync(join(path, 'history.sqlite'));
    expect(check.prepare('PRAGMA user_version').get()).toEqual({ user_version: 4 });
    const plan = check.prepare("EXPLAIN QUERY PLAN SELECT seq FROM messages WHERE file IS NOT NULL AND json_extract(file, '$.id') = ?").all('x');
    expect(plan.map((row) => String(row.detail)).join(' ')).toContain('messages_file');
    expect((check.prepare("SELECT count(*) AS n FROM messages WHERE file IS NULL").get() as { n: number }).n).toBe(1);
    check.close();
  });
});
