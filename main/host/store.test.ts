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
  it('assigns increasing seqs and finds retries', () => {
    const store = make();
    const stored = store.append([msg('a'), msg('b')]);
    expect(stored.map((m) => m.seq)).toEqual([1, 2]);
    expect(store.append([msg('c')])[0]!.seq).toBe(3);
    expect(store.findSeq('client-alice-0001', 'b')).toBe(2);
    expect(store.findSeq('client-bob-000001', 'b')).toBeUndefined();
    expect(store.lastSeq).toBe(3);
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
    expect(again.findSeq('client-alice-0001', 'c')).toBe(3);
    again.close();
  });

  it('rolls back a failed batch as a whole', () => {
    const store = SqliteHistoryStore.inDirectory(dir());
    store.append([msg('a')]);
    // The same (client, id) twice inside one batch violates the retry index.
    expect(() => store.append([msg('b'), msg('b')])).toThrow();
    expect(store.lastSeq).toBe(1);
    expect(store.latest(10, 'x').map((m) => m.id)).toEqual(['a']);
    expect(store.append([msg('b')])[0]!.seq).toBe(2);
    store.close();
  });
});
