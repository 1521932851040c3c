// Attack 7: a history file with damaged pages (a bad disk, a bad copy). Scrolling back into
// the damage used to throw out of the message handler and take the whole host down. Now
// the one request fails with `store_unavailable`, the host says so once, and everyone
// goes on chatting.
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameClient, startTestHost, tempDir, until } from '../support/host.ts';
import { SqliteHistoryStore } from '../../main/host/store/index.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A history of 1,000 messages whose middle fifth of pages is garbage. */
function damagedHistory(): string {
  const dir = tempDir();
  cleanups.push(() => dir.remove());
  const writing = SqliteHistoryStore.inDirectory(dir.path);
  for (let batch = 0; batch < 10; batch++) {
    writing.append(
      Array.from({ length: 100 }, (_, i) => {
        const n = batch * 100 + i + 1;
        return { id: `m${n}`, clientId: 'client-writer-00001', from: { id: 'writer', name: 'Writer' }, text: `${'x'.repeat(180)} ${n}`, ts: 1_700_000_000_000 + n, kind: 'text' as const };
      }),
    );
  }
  writing.close();
  const file = join(dir.path, 'history.sqlite');
  const probe = new DatabaseSync(file);
  const { page_size: pageSize } = probe.prepare('PRAGMA page_size').get() as { page_size: number };
  probe.close();
  const pages = statSync(file).size / pageSize;
  const fd = openSync(file, 'r+');
  for (let page = Math.floor(pages * 0.4); page < Math.floor(pages * 0.6); page++) writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, page * pageSize);
  closeSync(fd);
  return dir.path;
}

describe('a damaged history never takes the room down', () => {
  it('answers a page that cannot be read with store_unavailable, says so once, and the room chats on', async () => {
    const logged: string[] = [];
    const host = await startTestHost({ store: SqliteHistoryStore.inDirectory(damagedHistory()), log: (line) => logged.push(line) });
    cleanups.push(() => host.dispose());
    const alice = await FrameClient.join(host.url, 'Alice');
    const bob = await FrameClient.join(host.url, 'Bob');
    cleanups.push(() => alice.close(), () => bob.close());
    // The newest page is intact: joining works and shows it.
    const latest = await alice.next('history');
    expect(latest.messages.at(-1)?.seq).toBe(1000);

    // Scrolling back into the damage, twice.
    for (let i = 0; i < 2; i++) {
      alice.send({ type: 'fetch_history', before: 600, limit: 300 });
      const error = await alice.next('error');
      expect(error).toMatchObject({ code: 'store_unavailable', ref: { type: 'fetch_history' } });
      expect(error.message).toBe('the host cannot read its history right now (history file is damaged)');
    }
    // Said once, in the dashboard's log and the host's.
    expect(host.room.stats.activity().filter((e) => e.kind === 'store')).toHaveLength(1);
    expect(logged.filter((l) => l.startsWith('history unavailable'))).toEqual(['history unavailable: history file is damaged']);

    // Everyone is still here, and chatting still works (new rows go in at the end).
    expect(alice.closed).toBeUndefined();
    expect(bob.closed).toBeUndefined();
    bob.send({ type: 'chat', id: 'still-here', text: 'still here' });
    expect((await bob.next('ack')).seq).toBe(1001);
    expect((await alice.next('message')).message.text).toBe('still here');
    expect(host.room.stats.activity().at(-1)).toMatchObject({ kind: 'store', text: 'History works again.' });

    // A page before the damage still reads.
    alice.send({ type: 'fetch_history', before: 50, limit: 10 });
    expect((await alice.next('history')).messages.map((m) => m.seq)).toEqual([40, 41, 42, 43, 44, 45, 46, 47, 48, 49]);
  });

  it('lets someone join whose resume runs into the damage: told, and live', async () => {
    const host = await startTestHost({ store: SqliteHistoryStore.inDirectory(damagedHistory()) });
    cleanups.push(() => host.dispose());
    const first = await FrameClient.join(host.url, 'Carol');
    const historyId = first.welcome!.historyId;
    first.close();
    const carol = await FrameClient.join(host.url, 'Carol', { clientId: first.clientId, since: 300, historyId });
    cleanups.push(() => carol.close());
    // Pages up to the damage arrive, then a word about what cannot be read, then the rest:
    // no silent gap. Every seq after 300 is either received or named as unreadable.
    await until(() => carol.frames.some((f) => f.type === 'history' && f.complete), 10_000, 'the rest of the history');
    const got = carol.frames.flatMap((f) => (f.type === 'history' ? f.messages.map((m) => m.seq) : []));
    const told = carol.frames.flatMap((f) => (f.type === 'error' ? [f] : []));
    expect(told.length).toBeGreaterThan(0);
    const missing: number[] = [];
    for (const error of told) {
      expect(error).toMatchObject({ code: 'store_unavailable', ref: { type: 'join' } });
      const [, from, to] = /^part of the history cannot be read, you will not see messages? (\d+)(?:–(\d+))? \(history file is damaged\)$/.exec(error.message) ?? [];
      expect(from, error.message).toBeDefined();
      for (let seq = Number(from); seq <= Number(to ?? from); seq++) missing.push(seq);
    }
    expect([...got, ...missing].sort((a, b) => a - b)).toEqual(Array.from({ length: 700 }, (_, i) => i + 301));
    expect(got.at(-1)).toBe(1000);
    expect(missing.length).toBeLessThan(300); // about the damaged fifth, not everything after it
    const other = await FrameClient.join(host.url, 'Dan');
    cleanups.push(() => other.close());
    other.send({ type: 'chat', id: 'hello-carol', text: 'hello Carol' });
    expect((await carol.take((f): f is Extract<typeof f, { type: 'message' }> => f.type === 'message' && f.message.id === 'hello-carol')).message.text).toBe('hello Carol');
  });
});
