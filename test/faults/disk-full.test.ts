// A real full disk: the host's data directory on a tiny tmpfs. The host must refuse new
// messages with a clear error rather than ack what it could not store, and recover by
// itself when space comes back. Needs root (mount); says so plainly otherwise.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RoomClient, type SocketLike } from '../../common/client.ts';
import { randomId } from '../../common/ids.ts';
import type { ChatMessage, ErrorFrame } from '../../common/protocol.ts';
import { freePort, spawnHost, type Proc } from '../support/cli.ts';
import { until } from '../support/host.ts';

const mountPoint = mkdtempSync(join(tmpdir(), 'hearth-diskfull-'));
const canMount = (() => {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=400k', 'tmpfs', mountPoint], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!canMount) console.log('skipped: cannot mount a tmpfs to fill (needs root)');

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  if (canMount) execFileSync('umount', ['-l', mountPoint], { stdio: 'ignore' });
  rmSync(mountPoint, { recursive: true, force: true });
});

it.skipIf(!canMount)('refuses messages on a full disk instead of acking them, and recovers when space returns', async () => {
  const port = await freePort();
  const host: Proc = (await spawnHost(['--port', String(port), '--data', join(mountPoint, 'room'), '--room', 'Full', '--rate-limit', '1000'])).proc;
  cleanups.push(async () => {
    host.kill('SIGKILL');
    await host.exit;
  });
  const make = (name: string) => {
    const c = new RoomClient({ url: `ws://127.0.0.1:${port}/ws`, name, clientId: randomId(22), createSocket: (u) => new WebSocket(u) as unknown as SocketLike, retryDelayMs: 300 });
    cleanups.push(() => c.close());
    c.connect();
    return c;
  };
  const writer = make('Writer');
  const watcher = make('Watcher');
  const seen: ChatMessage[] = [];
  watcher.on('message', (m) => seen.push(m));
  const errors: ErrorFrame[] = [];
  writer.on('error', (e) => errors.push(e));
  await until(() => writer.state.status === 'connected' && watcher.state.status === 'connected');

  // Fill the disk: 3 KB messages until the host says it cannot store them.
  const acked = new Set<string>();
  writer.on('ack', ({ id }) => acked.add(id));
  const sent: string[] = [];
  for (let i = 0; i < 400 && !errors.some((e) => e.code === 'store_unavailable'); i++) {
    const r = writer.send(`${i} ${'x'.repeat(3000)}`);
    if (r.ok) sent.push(r.id);
    await new Promise((r2) => setTimeout(r2, 5));
  }
  await until(() => errors.some((e) => e.code === 'store_unavailable'), 10_000, 'the host to refuse');
  const refused = errors.find((e) => e.code === 'store_unavailable')!;
  expect(refused.message).toMatch(/cannot save messages \(disk full\)/);
  expect(refused.ref.type).toBe('chat');
  // What was refused was not acked, and nobody received it.
  expect(acked.has(refused.ref.id!)).toBe(false);
  expect(seen.some((m) => m.id === refused.ref.id)).toBe(false);
  const pendingWhileFull = writer.pending.length;
  expect(pendingWhileFull).toBeGreaterThan(0);

  // Space comes back: the client's retries go through, each message once.
  execFileSync('mount', ['-o', 'remount,size=20m', mountPoint]);
  await until(() => writer.pending.length === 0, 20_000, 'every message stored after the disk had room');
  await until(() => sent.every((id) => seen.some((m) => m.id === id)), 10_000, 'the watcher got everything');
  const ids = seen.map((m) => m.id);
  expect(new Set(ids).size).toBe(ids.length);
  console.log(`disk full: refused after ${sent.length - pendingWhileFull} stored messages; ${pendingWhileFull} waited, all stored once after the disk grew`);
}, 60_000);
