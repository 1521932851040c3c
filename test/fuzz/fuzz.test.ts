// 100,000 bad frames from many connections against a real `hearth host` process, while
// well-behaved people chat. Seeded (HEARTH_FUZZ_SEED) and bounded in count and time.
import { afterAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RoomClient, type SocketLike } from '../../common/client.ts';
import { randomId } from '../../common/ids.ts';
import { PROTOCOL_VERSION, type ChatMessage } from '../../common/protocol.ts';
import { cpuSeconds, memoryMb } from '../../bench/proc-stats.ts';
import { spawnHost, type Proc } from '../support/cli.ts';
import { tempDir, until } from '../support/host.ts';
import { badFrameGenerator, type BadFrame } from './frames.ts';

const TOTAL = Number(process.env['HEARTH_FUZZ_FRAMES'] ?? 100_000);
const SEED = Number(process.env['HEARTH_FUZZ_SEED'] ?? 20261122);
const FUZZERS = 16;
/** Below the host's limit of 50 bad frames in a row: the connection survives each batch. */
const BATCH = 45;

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

interface BatchResult {
  sent: number;
  errors: number;
  closeCode: number | undefined;
  expectedClose: number | undefined;
}

/** One connection: join, send a batch of bad frames, and collect what the host answered. */
async function fuzzBatch(url: string, frames: BadFrame[]): Promise<BatchResult> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  let errors = 0;
  let joined = false;
  let closeCode: number | undefined;
  ws.on('error', () => {});
  const done = new Promise<void>((resolve) => ws.once('close', (code) => ((closeCode = code), resolve())));
  ws.on('message', (data) => {
    const text = data.toString();
    if (text.startsWith('{"type":"hello"')) ws.send(JSON.stringify({ type: 'join', v: PROTOCOL_VERSION, name: '', clientId: randomId(22) }));
    else if (text.startsWith('{"type":"welcome"')) joined = true;
    else if (text.startsWith('{"type":"error"')) errors++;
  });
  await until(() => joined || closeCode !== undefined, 5000, 'fuzzer join');
  let sent = 0;
  let expectedClose: number | undefined;
  for (const frame of frames) {
    if (ws.readyState !== WebSocket.OPEN) break;
    if (frame.fragmented) {
      const text = String(frame.data);
      const cut = Math.floor(text.length / 2);
      ws.send(text.slice(0, cut), { fin: false });
      ws.send(text.slice(cut), { fin: true });
    } else {
      ws.send(frame.data, { binary: frame.binary ?? false });
    }
    sent++;
    if (frame.expect.kind === 'close') {
      expectedClose = frame.expect.code;
      break; // the host closes: nothing after this is answered
    }
  }
  if (expectedClose === undefined) {
    await until(() => errors >= sent || closeCode !== undefined, 10_000, 'answers to every bad frame').catch(() => {});
    ws.close();
  }
  await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
  return { sent, errors, closeCode, expectedClose };
}

it(`survives ${TOTAL.toLocaleString('en')} bad frames while people chat (seed ${SEED})`, async () => {
  const data = tempDir();
  cleanups.push(() => data.remove());
  const started = await spawnHost(['--room', 'Fuzz', '--port', '0', '--data', data.path, '--max-per-address', '500', '--rate-limit', '100000'], {
    env: { HEARTH_MEMORY_REPORT: '1' },
    nodeArgs: ['--expose-gc'],
  });
  const host: Proc = started.proc;
  cleanups.push(async () => {
    host.kill('SIGKILL');
    await host.exit;
  });
  const pid = host.child.pid!;
  const url = `ws://127.0.0.1:${started.port}/ws`;

  // Well-behaved people, chatting throughout; one watches every message and its latency.
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const seen = new Set<string>();
  const people = ['Ann', 'Ben', 'Cat', 'Dan', 'Eve'].map((name) => {
    const client = new RoomClient({ url, name, clientId: randomId(22), createSocket: (u) => new WebSocket(u) as unknown as SocketLike, heartbeatMs: 2000 });
    client.connect();
    cleanups.push(() => client.close());
    return client;
  });
  const watcher = new RoomClient({ url, name: 'Watcher', clientId: randomId(22), createSocket: (u) => new WebSocket(u) as unknown as SocketLike, heartbeatMs: 2000 });
  watcher.on('message', (m: ChatMessage) => {
    seen.add(m.id);
    const at = sentAt.get(m.id);
    if (at !== undefined) latencies.push(performance.now() - at);
  });
  watcher.connect();
  cleanups.push(() => watcher.close());
  await until(() => [...people, watcher].every((c) => c.state.status === 'connected'), 8000, 'people joined');
  await new Promise((r) => setTimeout(r, 500));
  const baseline = memoryMb(pid).rss;
  const cpu0 = cpuSeconds(pid);

  let chatting = true;
  const sentIds: string[] = [];
  const chat = (async () => {
    for (let round = 0; chatting && round < 3000; round++) {
      for (const p of people) {
        const result = p.send(`round ${round} from ${p.me?.name}`);
        if (result.ok) {
          sentIds.push(result.id);
          sentAt.set(result.id, performance.now());
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();

  // The fuzzers: each sends batches of bad frames on fresh connections until the round's
  // count is reached. Four rounds, and after each the host's live heap after a full GC:
  // whatever the bad frames left behind would make it grow round after round. (Resident
  // memory is printed too; it grows for the first bursts, as V8 and malloc keep pages they
  // grew for 100 KB frames, and is not what a leak is judged by.)
  const next = badFrameGenerator(SEED);
  const totals = { sent: 0, answered: 0, closedAsExpected: 0, unanswered: 0, wrongClose: [] as string[] };
  const fuzzStart = performance.now();
  const round = async (count: number) => {
    let remaining = count;
    await Promise.all(
      Array.from({ length: FUZZERS }, async () => {
        while (remaining > 0 && performance.now() - fuzzStart < 120_000) {
          const frames: BadFrame[] = [];
          for (let i = 0; i < BATCH && remaining > 0; i++, remaining--) frames.push(next());
          const r = await fuzzBatch(url, frames);
          remaining += frames.length - r.sent; // a batch cut short by a close: the rest go next time
          totals.sent += r.sent;
          if (r.expectedClose !== undefined) {
            if (r.closeCode === r.expectedClose) totals.closedAsExpected++;
            else totals.wrongClose.push(`expected ${r.expectedClose}, got ${r.closeCode}`);
            totals.answered += Math.min(r.errors, r.sent - 1);
            totals.unanswered += Math.max(0, r.sent - 1 - r.errors);
          } else {
            totals.answered += Math.min(r.errors, r.sent);
            totals.unanswered += Math.max(0, r.sent - r.errors);
            if (r.closeCode !== undefined && r.closeCode !== 1000 && r.closeCode !== 1005) totals.wrongClose.push(`unexpected close ${r.closeCode}`);
          }
        }
      }),
    );
    return liveHeapMb();
  };
  /** The host's live heap after a full GC (SIGUSR2 → a "memory:" line on its stderr). */
  const liveHeapMb = async () => {
    const before = host.errLines.length;
    host.child.kill('SIGUSR2');
    await until(() => host.errLines.slice(before).some((l) => l.startsWith('memory:')), 5000, 'the memory report');
    const line = host.errLines.slice(before).find((l) => l.startsWith('memory:'))!;
    return Number(/heapUsed=(\d+)/.exec(line)![1]) / 1e6;
  };
  const heapBefore = await liveHeapMb();
  const rounds: number[] = [];
  for (let i = 0; i < 4; i++) rounds.push(await round(i < 3 ? Math.floor(TOTAL / 4) : TOTAL - 3 * Math.floor(TOTAL / 4)));
  const fuzzSeconds = (performance.now() - fuzzStart) / 1000;
  chatting = false;
  await chat;
  await until(() => people.every((p) => p.pending.length === 0), 10_000, 'every message acked');
  await until(() => sentIds.every((id) => seen.has(id)), 10_000, 'the watcher saw every message');
  const after = memoryMb(pid);
  const cpu = cpuSeconds(pid) - cpu0;
  const health = (await (await fetch(`http://127.0.0.1:${started.port}/health`)).json()) as { ok: boolean; members: number };

  latencies.sort((a, b) => a - b);
  const p99 = latencies[Math.floor(latencies.length * 0.99)] ?? 0;
  console.log(
    `fuzz (seed ${SEED}): ${totals.sent} bad frames in ${fuzzSeconds.toFixed(1)} s from ${FUZZERS} connections at a time; ` +
      `${totals.answered} answered with an error, ${totals.closedAsExpected} closed as expected (1009/1007), ${totals.unanswered} unanswered; ` +
      `well-behaved: ${sentIds.length} messages, 0 lost, p99 ${p99.toFixed(1)} ms; host live heap after GC ${heapBefore.toFixed(1)} MB before, after each quarter ${rounds.map((r) => r.toFixed(1)).join(' → ')} MB; RSS ${baseline.toFixed(1)} → ${after.rss.toFixed(1)} MB (peak ${after.peak.toFixed(1)}); host CPU ${cpu.toFixed(1)} s`,
  );

  expect(totals.sent).toBe(TOTAL);
  expect(totals.wrongClose).toEqual([]);
  expect(totals.unanswered).toBe(0);
  expect(health).toMatchObject({ ok: true, members: 6 });
  expect(host.child.exitCode).toBeNull();
  // The room kept answering the people in it. A bound on a loaded 2-core machine, not a
  // speed goal (those live in `npm run bench`): 42 ms is usual, and another suite running
  // alongside has pushed it past 300 ms; a stalled room takes seconds.
  expect(p99).toBeLessThan(1000);
  // The live heap comes back to where it started: nothing accumulates.
  for (const heap of rounds) expect(heap).toBeLessThan(heapBefore + 5);
  expect(after.peak).toBeLessThan(400);
}, 240_000);
