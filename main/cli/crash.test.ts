// The durability promise, tested the hard way: kill -9 the host process while clients are
// sending, restart it on the same data directory, and check that every message that was
// acknowledged is there exactly once, in order, and that the clients resume without loss.
import { afterEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RoomClient, type SocketLike } from '../../common/client.ts';
import { randomId } from '../../common/ids.ts';
import type { ChatMessage } from '../../common/protocol.ts';
import { freePort, spawnHost, type Proc } from '../../test/support/cli.ts';
import { tempDir, until } from '../../test/support/host.ts';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function startHost(port: number, data: string): Promise<{ proc: Proc }> {
  return spawnHost(['--port', String(port), '--data', data, '--room', 'Crashy', '--rate-limit', '1000', '--max-per-address', '100']).then((h) => {
    cleanups.push(async () => {
      h.proc.kill('SIGKILL');
      await h.proc.exit;
    });
    return h;
  });
}

function client(port: number, name: string): { client: RoomClient; seen: ChatMessage[]; acked: Map<string, number> } {
  const seen: ChatMessage[] = [];
  const acked = new Map<string, number>();
  const c = new RoomClient({
    url: `ws://127.0.0.1:${port}/ws`,
    name,
    clientId: randomId(22),
    createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
    backoff: { baseMs: 50, maxMs: 400 },
    heartbeatMs: 500,
  });
  c.on('history', (h) => seen.push(...h.messages));
  c.on('message', (m) => seen.push(m));
  c.on('ack', ({ id, seq }) => acked.set(id, seq));
  c.connect();
  cleanups.push(() => c.close());
  return { client: c, seen, acked };
}

it('loses nothing acknowledged when the host is killed with -9 and restarted', async () => {
  const data = tempDir();
  cleanups.push(() => data.remove());
  const port = await freePort();
  const first = await startHost(port, data.path);

  // Fifty people talking when the host dies.
  const senders = Array.from({ length: 50 }, (_, i) => client(port, `Sender ${i + 1}`));
  const watcher = client(port, 'Watcher');
  await until(() => [...senders, watcher].every((s) => s.client.state.status === 'connected'), 15_000, 'everyone joined');

  // Everyone sends steadily; the host dies mid-stream.
  const sentIds: string[][] = senders.map(() => []);
  let sending = true;
  const pump = (async () => {
    for (let round = 0; sending && round < 200; round++) {
      senders.forEach((s, i) => {
        const result = s.client.send(`${s.client.me?.name ?? i} #${round}`);
        if (result.ok) sentIds[i]!.push(result.id);
      });
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  await until(() => senders.every((s) => s.acked.size >= 10), 15_000, 'acks before the crash');
  first.proc.kill('SIGKILL');
  await first.proc.exit;
  const ackedBeforeCrash = senders.map((s) => new Map(s.acked));
  await new Promise((r) => setTimeout(r, 300));
  sending = false;
  await pump;

  await startHost(port, data.path);
  // Clients reconnect by themselves, resume, and resend what was never acked.
  await until(
    () => senders.every((s) => s.client.state.status === 'connected' && s.client.pending.length === 0),
    30_000,
    'everything acked after the restart',
  );

  const late = client(port, 'Late');
  await until(() => late.client.state.status === 'connected', 8000, 'late joiner');
  late.client.fetchOlder(Number.MAX_SAFE_INTEGER, 1000);
  await until(() => late.seen.length >= 200, 8000, 'history');

  const totalSent = sentIds.reduce((n, ids) => n + ids.length, 0);
  const ackedCount = ackedBeforeCrash.reduce((n, m) => n + m.size, 0);
  console.log(`kill -9 test: ${totalSent} sent, ${ackedCount} acked before the crash, all acked after restart`);

  // Every message every sender queued was acked exactly once with one seq, and nothing
  // acked before the crash changed its seq afterwards.
  senders.forEach((s, i) => {
    for (const id of sentIds[i]!) expect(s.acked.has(id), `ack for ${id}`).toBe(true);
    for (const [id, seq] of ackedBeforeCrash[i]!) expect(s.acked.get(id)).toBe(seq);
  });

  // The watcher saw every message once, in seq order, across the crash.
  await until(() => new Set(watcher.seen.map((m) => m.seq)).size >= totalSent, 20_000, 'watcher caught up');
  const seqs = watcher.seen.map((m) => m.seq);
  expect(new Set(seqs).size).toBe(seqs.length);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  const watcherIds = new Set(watcher.seen.map((m) => m.id));
  for (const ids of sentIds) for (const id of ids) expect(watcherIds.has(id)).toBe(true);
  expect(seqs.length).toBe(totalSent);
}, 90_000);
