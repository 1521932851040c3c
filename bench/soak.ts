// The soak: a real `hearth host` for N minutes while waves of people join and leave and
// twenty keep talking. Every 10 s: resident memory, open file descriptors, live heap after
// a full GC (SIGUSR2 → "memory:" on the host's stderr), connections. At the end: every
// acknowledged message is in the history, once. Loopback only, bounded in clients and time.
//   node bench/soak.ts [--minutes 10] [--wave 500] [--senders 20]
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { RoomClient, type SocketLike } from '../common/client.ts';
import { randomId } from '../common/ids.ts';
import { PROTOCOL_VERSION } from '../common/protocol.ts';
import { SqliteHistoryStore } from '../main/host/store/index.ts';
import { memoryMb } from './proc-stats.ts';

export interface SoakSample {
  second: number;
  rssMb: number;
  heapMb: number;
  fds: number;
  connections: number;
}

export interface SoakResult {
  minutes: number;
  waves: number;
  joinsAndLeaves: number;
  messagesAcked: number;
  messagesStored: number;
  duplicates: number;
  samples: SoakSample[];
  idleHeapMb: number;
  idleFds: number;
  /** Live heap and open descriptors: the idle room before the first wave vs after the last. */
  heapGrowthMb: number;
  fdGrowth: number;
}

export async function soak(options: { minutes: number; wave: number; senders: number; log?: (line: string) => void }): Promise<SoakResult> {
  const log = options.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'hearth-soak-'));
  const cli = new URL('../bin/hearth.js', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--expose-gc', '--max-semi-space-size=4', cli, 'host', '--room', 'Soak', '--port', '0', '--no-mdns', '--data', dir, '--max-per-address', String(options.wave + options.senders + 50), '--max-pending-per-address', String(options.wave + options.senders + 50), '--rate-limit', '1000'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HEARTH_MEMORY_REPORT: '1' },
  });
  const pid = child.pid!;
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => (stderr += d));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (d: string) => {
      out += d;
      const m = /127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`host exited (${code})`)));
  });
  const url = `ws://127.0.0.1:${port}/ws`;

  const report = async (): Promise<{ heapMb: number; connections: number }> => {
    const before = stderr.length;
    child.kill('SIGUSR2');
    for (let i = 0; i < 200; i++) {
      const m = /memory: heapUsed=(\d+) rss=\d+ connections=(\d+)/.exec(stderr.slice(before));
      if (m) return { heapMb: Number(m[1]) / 1e6, connections: Number(m[2]) };
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('no memory report from the host');
  };

  // The people who keep talking, each once a second.
  const acked = new Set<string>();
  const senders = Array.from({ length: options.senders }, (_, i) => {
    const c = new RoomClient({ url, name: `Talker ${i + 1}`, clientId: randomId(22), createSocket: (u) => new WebSocket(u) as unknown as SocketLike });
    c.on('ack', ({ id }) => acked.add(id));
    c.connect();
    return c;
  });
  const talking = setInterval(() => {
    for (const c of senders) if (c.state.status === 'connected') c.send(`still here ${Date.now()}`);
  }, 1000);

  // Waves: `wave` people join at once, stay ten seconds, and leave.
  let waves = 0;
  let joinsAndLeaves = 0;
  const wave = async () => {
    const sockets = await Promise.all(
      Array.from({ length: options.wave }, () =>
        new Promise<WebSocket | undefined>((resolve) => {
          const ws = new WebSocket(url, { perMessageDeflate: false });
          const timer = setTimeout(() => resolve(undefined), 10_000);
          ws.on('error', () => resolve(undefined));
          ws.on('message', (data) => {
            const text = data.toString('latin1');
            if (text.startsWith('{"type":"hello"')) ws.send(JSON.stringify({ type: 'join', v: PROTOCOL_VERSION, name: '', clientId: randomId(22) }));
            else if (text.startsWith('{"type":"welcome"')) {
              clearTimeout(timer);
              resolve(ws);
            }
          });
        }),
      ),
    );
    await new Promise((r) => setTimeout(r, 10_000));
    for (const ws of sockets) ws?.close();
    joinsAndLeaves += sockets.filter(Boolean).length;
    waves++;
  };

  // Idle baseline: the talkers are in, no wave yet.
  for (let i = 0; i < 100 && senders.some((c) => c.state.status !== 'connected'); i++) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 1000));
  const idle = await report();
  const idleFds = readdirSync(`/proc/${pid}/fd`).length;
  const samples: SoakSample[] = [];
  const started = Date.now();
  const end = started + options.minutes * 60_000;
  let waveRunning: Promise<void> = Promise.resolve();
  let nextWave = started;
  let nextSample = started;
  while (Date.now() < end) {
    if (Date.now() >= nextWave) {
      waveRunning = waveRunning.then(wave);
      nextWave += 20_000;
    }
    if (Date.now() >= nextSample) {
      const { heapMb, connections } = await report();
      const sample = { second: Math.round((Date.now() - started) / 1000), rssMb: memoryMb(pid).rss, heapMb, fds: readdirSync(`/proc/${pid}/fd`).length, connections };
      samples.push(sample);
      log(`t=${sample.second}s rss ${sample.rssMb.toFixed(1)} MB, live heap ${sample.heapMb.toFixed(1)} MB, fds ${sample.fds}, connections ${sample.connections}`);
      nextSample += 10_000;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  clearInterval(talking);
  await waveRunning;
  // Settle: everything sent is acked, the last wave has left.
  for (let i = 0; i < 100 && senders.some((c) => c.pending.length > 0); i++) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 2000));
  const last = await report();
  samples.push({ second: Math.round((Date.now() - started) / 1000), rssMb: memoryMb(pid).rss, heapMb: last.heapMb, fds: readdirSync(`/proc/${pid}/fd`).length, connections: last.connections });
  for (const c of senders) c.close();

  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  const store = SqliteHistoryStore.inDirectory(dir);
  const stored = store.after(0, Number.MAX_SAFE_INTEGER, '');
  store.close();
  rmSync(dir, { recursive: true, force: true });
  const ids = stored.map((m) => m.id);
  const storedIds = new Set(ids);

  // Settled against settled: the idle room before the first wave, and after the last one left.
  const final = samples.at(-1)!;
  return {
    minutes: options.minutes,
    waves,
    joinsAndLeaves,
    messagesAcked: acked.size,
    messagesStored: [...acked].filter((id) => storedIds.has(id)).length,
    duplicates: ids.length - storedIds.size,
    samples,
    idleHeapMb: idle.heapMb,
    idleFds,
    heapGrowthMb: final.heapMb - idle.heapMb,
    fdGrowth: final.fds - idleFds,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, wave: { type: 'string', default: '500' }, senders: { type: 'string', default: '20' } } });
  const result = await soak({ minutes: Number(values.minutes), wave: Number(values.wave), senders: Number(values.senders), log: (l) => process.stderr.write(`soak: ${l}\n`) });
  const { samples, ...summary } = result;
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write(`soak: ${samples.length} samples; live heap ${result.idleHeapMb.toFixed(1)} MB idle before, ${(result.idleHeapMb + result.heapGrowthMb).toFixed(1)} MB after (${result.heapGrowthMb >= 0 ? '+' : ''}${result.heapGrowthMb.toFixed(1)}), descriptors ${result.fdGrowth >= 0 ? '+' : ''}${result.fdGrowth}; ${result.messagesStored}/${result.messagesAcked} acked messages in the history, ${result.duplicates} duplicates\n`);
}
