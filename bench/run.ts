// `npm run bench`: Hearth's host under load, beside a naive ws broadcast server, in one run.
// Everything runs on this machine over loopback, bounded in clients, messages and time.
// Prints a markdown table (figures beside targets) and writes bench/results/latest.json.
// Hearth's host is the built CLI (out/main/cli.js): `npm run bench` builds it first. It serves
// TLS and plain on one port; the *-tls scenarios pin its certificate (<data>/host-cert.pem).
// `files` sends 1 GiB (64 MiB with --quick) up and down beside a plain Node http server (bench/files.ts).
//   node bench/run.ts [--quick] [--skip-naive] [--only broadcast,broadcast-tls,saturation,saturation-tls,storm,resume,renderer,files]
import { spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fingerprintOf } from '../common/identity.ts';
import { SqliteHistoryStore, type NewMessage } from '../main/host/store/index.ts';
import { runLoad, type LoadMode, type LoadResult } from './load.ts';
import { cpuSeconds, memoryMb } from './proc-stats.ts';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, 'skip-naive': { type: 'boolean', default: false } } });
const quick = values.quick;
const SCENARIOS = ['broadcast', 'broadcast-tls', 'saturation', 'saturation-tls', 'storm', 'resume', 'renderer', 'files'];
const only = values.only?.split(',');
const unknown = only?.filter((name) => !SCENARIOS.includes(name)) ?? [];
if (unknown.length > 0) {
  process.stderr.write(`bench: no scenario called ${unknown.join(', ')}; the scenarios are ${SCENARIOS.join(', ')}\n`);
  process.exit(2);
}

interface Server {
  kind: 'hearth' | 'naive';
  child: ChildProcess;
  pid: number;
  /** ws:// (plain) and, for Hearth's host, wss:// on the same port. */
  url: string;
  secureUrl: string;
  /** The host's certificate fingerprint, read from its data folder (Hearth's host only). */
  fingerprint: string | undefined;
  /** Host CPU seconds when it said it was listening. */
  cpuAtReady: number;
  stop(): Promise<void>;
}

async function startServer(kind: 'hearth' | 'naive', extra: { store?: 'sqlite' | 'memory'; dataDir?: string } = {}): Promise<Server> {
  const dir = extra.dataDir ?? mkdtempSync(join(tmpdir(), 'hearth-bench-'));
  const args =
    kind === 'hearth'
      ? // The built CLI with the flag its executable passes: what a release runs.
        ['--max-semi-space-size=4', 'out/main/cli.js', 'host', '--room', 'Bench', '--port', '0', '--no-mdns', '--data', dir, '--store', extra.store ?? 'sqlite', '--max-per-address', '100000', '--max-pending-per-address', '100000', '--max-members', '100000', '--rate-limit', '100000']
      : ['bench/naive-server.ts'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      out += chunk;
      const m = /127\.0\.0\.1:(\d+)\/|"port":(\d+)/.exec(out);
      if (m) resolve(Number(m[1] ?? m[2]));
    });
    child.once('exit', (code) => reject(new Error(`${kind} server exited (${code}): ${out}`)));
  });
  const cpuAtReady = cpuSeconds(child.pid!);
  // The host made (or reused) its identity before it listened.
  const fingerprint = kind === 'hearth' ? fingerprintOf(new X509Certificate(readFileSync(join(dir, 'host-cert.pem'))).raw) : undefined;
  return {
    kind,
    child,
    pid: child.pid!,
    url: `ws://127.0.0.1:${port}/ws`,
    secureUrl: `wss://127.0.0.1:${port}/ws`,
    fingerprint,
    cpuAtReady,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      if (!extra.dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Measured extends LoadResult {
  server: 'hearth' | 'naive';
  /** Whether every client was on TLS. */
  tls: boolean;
  /** Host CPU from listening to everyone joined: connections, handshakes, joins, presence. */
  hostJoinCpuSeconds: number;
  hostCpuSeconds: number;
  /** Host CPU seconds per second from everyone joined to the end of the drain (1 = one core). */
  hostBusy: number;
  cpuMicrosPerDelivery: number;
  hostPeakRssMb: number;
  idleRssPerConnectionKb: number;
}

type MeasureOptions = { store?: 'sqlite' | 'memory'; dataDir?: string; since?: number; drainMs?: number; tls?: boolean };

async function measure(kind: 'hearth' | 'naive', clients: number, senders: number, mode: LoadMode, extra: MeasureOptions = {}): Promise<Measured> {
  const server = await startServer(kind, extra);
  try {
    const before = memoryMb(server.pid).rss;
    let idle = before;
    let cpuAtStart = 0;
    let joinedAt = 0;
    const tls = extra.tls === true;
    if (tls && !server.fingerprint) throw new Error(`the ${kind} server has no certificate to pin`);
    const result = await runLoad({
      url: tls ? server.secureUrl : server.url,
      ...(tls && { tls: { fingerprint: server.fingerprint! } }),
      clients,
      senders,
      mode,
      drainMs: extra.drainMs ?? 15_000,
      ...(extra.since !== undefined && { since: extra.since }),
      onJoined: () => {
        idle = memoryMb(server.pid).rss;
        cpuAtStart = cpuSeconds(server.pid);
        joinedAt = performance.now();
      },
    });
    const hostCpuSeconds = cpuSeconds(server.pid) - cpuAtStart;
    const loadSeconds = (performance.now() - joinedAt) / 1000;
    return {
      ...result,
      server: kind,
      tls,
      hostJoinCpuSeconds: cpuAtStart - server.cpuAtReady,
      hostCpuSeconds,
      hostBusy: loadSeconds > 0 ? hostCpuSeconds / loadSeconds : 0,
      cpuMicrosPerDelivery: result.delivered > 0 ? (hostCpuSeconds / result.delivered) * 1e6 : 0,
      hostPeakRssMb: memoryMb(server.pid).peak,
      idleRssPerConnectionKb: clients > 0 ? ((idle - before) * 1024) / clients : 0,
    };
  } finally {
    await server.stop();
  }
}

interface Row {
  scenario: string;
  metric: string;
  value: string;
  target: string;
  ok: boolean | undefined;
}
const rows: Row[] = [];
const runs: Record<string, unknown> = {};
const row = (scenario: string, metric: string, value: string, target = '', ok?: boolean) => rows.push({ scenario, metric, value, target, ok });
const ms = (n: number) => `${n.toFixed(1)} ms`;
const want = (name: string) => !only || only.includes(name);
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

function reportLoad(scenario: string, r: Measured): void {
  row(scenario, 'connections', `${r.connections}${r.tls ? ' (TLS, pinned)' : ''}`);
  row(scenario, 'all joined', `${ms(r.joinMs)}, host CPU ${r.hostJoinCpuSeconds.toFixed(2)} s`);
  row(scenario, 'deliveries expected / received', `${r.expectedDeliveries} / ${r.delivered}`, '0 undelivered', r.undelivered === 0);
  row(scenario, 'out of order / duplicates', `${r.outOfOrder} / ${r.duplicates}`, '0 / 0', r.outOfOrder === 0 && r.duplicates === 0);
  row(scenario, 'deliveries/s', Math.round(r.deliveriesPerSecond).toLocaleString('en'));
  row(scenario, 'latency p50 / p95 / p99 / max', `${ms(r.latencyMs.p50)} / ${ms(r.latencyMs.p95)} / ${ms(r.latencyMs.p99)} / ${ms(r.latencyMs.max)}`);
  row(scenario, 'host CPU', `${r.hostCpuSeconds.toFixed(2)} s, ${r.cpuMicrosPerDelivery.toFixed(2)} µs per delivery, ${(r.hostBusy * 100).toFixed(0)} % of a core`);
  row(scenario, 'host peak RSS', `${r.hostPeakRssMb.toFixed(1)} MB`);
  row(scenario, 'load generator busy', `${(r.generatorBusy * 100).toFixed(0)} %${r.generatorBusy > 0.9 ? ' (saturated: these figures measure the generator too)' : ''}`);
}

// 1. A crowded room: 1,000 people, 10 of them talking, 200 messages/s in all; then the same
// room with everyone on TLS (broadcast-tls), right after, against this run's plain figures.
if (want('broadcast') || want('broadcast-tls')) {
  const n = quick ? 300 : 1000;
  const seconds = quick ? 4 : 10;
  log(`broadcast: ${n} clients, 10 senders, 200 msg/s for ${seconds} s`);
  const r = await measure('hearth', n, 10, { kind: 'rate', perSecond: 200, seconds });
  runs['broadcast'] = r;
  const scenario = `broadcast: ${n} clients × 200 msg/s × ${seconds} s`;
  reportLoad(scenario, r);
  row(scenario, 'p99 latency', ms(r.latencyMs.p99), '≤ 50 ms', r.latencyMs.p99 <= 50);
  row(scenario, 'host peak RSS (target)', `${r.hostPeakRssMb.toFixed(1)} MB`, '≤ 120 MB', r.hostPeakRssMb <= 120);
  row(scenario, 'idle memory per connection', `${r.idleRssPerConnectionKb.toFixed(1)} KB`);
  if (want('broadcast-tls')) {
    log(`broadcast-tls: the same load with all ${n} clients on TLS, pinned`);
    const t = await measure('hearth', n, 10, { kind: 'rate', perSecond: 200, seconds }, { tls: true });
    runs['broadcast-tls'] = t;
    const tlsScenario = `broadcast-tls: ${n} TLS clients × 200 msg/s × ${seconds} s`;
    reportLoad(tlsScenario, t);
    const p99Ratio = t.latencyMs.p99 / r.latencyMs.p99;
    row(tlsScenario, 'p99 latency, TLS ÷ plain (this run)', `${ms(t.latencyMs.p99)} ÷ ${ms(r.latencyMs.p99)} = ${p99Ratio.toFixed(2)}×`, '≤ 1.5×', p99Ratio <= 1.5);
    row(tlsScenario, 'host CPU per delivery, TLS ÷ plain', `${(t.cpuMicrosPerDelivery / r.cpuMicrosPerDelivery).toFixed(2)}×`);
    // Reported, not judged: OpenSSL keeps buffers per connection.
    row(tlsScenario, 'host peak RSS, TLS / plain', `${t.hostPeakRssMb.toFixed(1)} / ${r.hostPeakRssMb.toFixed(1)} MB`);
    row(tlsScenario, 'idle memory per connection, TLS / plain', `${t.idleRssPerConnectionKb.toFixed(1)} / ${r.idleRssPerConnectionKb.toFixed(1)} KB`);
  }
  if (want('broadcast') && !quick && !values['skip-naive']) {
    log('broadcast: the same load on the naive server');
    const naive = await measure('naive', n, 10, { kind: 'rate', perSecond: 200, seconds }, { drainMs: 20_000 });
    runs['broadcast-naive'] = naive;
    reportLoad(`naive ${scenario}`, naive);
  }
}

// 2. Saturation at 100 clients: CPU per delivery against the naive baseline, same run.
if (want('saturation')) {
  const seconds = quick ? 3 : 6;
  log(`saturation: 100 clients, 10 senders, window 32, ${seconds} s, hearth then naive`);
  const hearth = await measure('hearth', 100, 10, { kind: 'saturate', window: 32, seconds });
  const naive = await measure('naive', 100, 10, { kind: 'saturate', window: 32, seconds });
  runs['saturation'] = { hearth, naive };
  reportLoad('saturation 100: hearth', hearth);
  reportLoad('saturation 100: naive', naive);
  const ratio = hearth.cpuMicrosPerDelivery / naive.cpuMicrosPerDelivery;
  row('saturation 100', 'CPU per delivery, hearth ÷ naive', `${ratio.toFixed(2)}×`, '≤ 0.25×', ratio <= 0.25);
  row('saturation 100', 'throughput, hearth ÷ naive', `${(hearth.deliveriesPerSecond / naive.deliveriesPerSecond).toFixed(2)}×`);

  // 3. What durable history costs: the same saturation against the in-memory store. The
  // generator saturates before the host does, so deliveries/s mostly measures the generator
  // (it swung ±15 % run to run); what the host could deliver per CPU second is the honest
  // throughput. Durable and in-memory alternate, and each figure is the median of its runs.
  log('durable vs in-memory: saturation with --store memory, alternating');
  const durableRuns = [hearth];
  const memoryRuns: Measured[] = [];
  for (let round = 0; round < (quick ? 1 : 2); round++) {
    memoryRuns.push(await measure('hearth', 100, 10, { kind: 'saturate', window: 32, seconds }, { store: 'memory' }));
    durableRuns.push(await measure('hearth', 100, 10, { kind: 'saturate', window: 32, seconds }));
  }
  runs['saturation-durable'] = durableRuns;
  runs['saturation-memory'] = memoryRuns;
  reportLoad('saturation 100: hearth, in-memory store', memoryRuns[0]!);
  const durableCpu = median(durableRuns.map((r) => r.cpuMicrosPerDelivery));
  const memoryCpu = median(memoryRuns.map((r) => r.cpuMicrosPerDelivery));
  const capacityCost = 1 - memoryCpu / durableCpu;
  row('durable history', 'host CPU per delivery, durable / in-memory (medians)', `${durableCpu.toFixed(3)} / ${memoryCpu.toFixed(3)} µs`);
  row('durable history', 'host throughput cost vs in-memory (deliveries per CPU second)', `${(capacityCost * 100).toFixed(1)} %`, '≤ 10 %', capacityCost <= 0.1);
  const measuredCost = 1 - median(durableRuns.map((r) => r.deliveriesPerSecond)) / median(memoryRuns.map((r) => r.deliveriesPerSecond));
  row('durable history', 'deliveries/s cost vs in-memory (generator-bound)', `${(measuredCost * 100).toFixed(1)} %`);
}

// 2b. What TLS costs the host at saturation: plain and TLS alternate, each figure the median of its runs.
if (want('saturation-tls')) {
  const seconds = quick ? 3 : 6;
  const rounds = quick ? 1 : 3;
  log(`saturation-tls: 100 clients, 10 senders, window 32, ${seconds} s, plain and TLS alternating × ${rounds}`);
  const plainRuns: Measured[] = [];
  const tlsRuns: Measured[] = [];
  for (let round = 0; round < rounds; round++) {
    plainRuns.push(await measure('hearth', 100, 10, { kind: 'saturate', window: 32, seconds }));
    tlsRuns.push(await measure('hearth', 100, 10, { kind: 'saturate', window: 32, seconds }, { tls: true }));
  }
  runs['saturation-tls'] = { plain: plainRuns, tls: tlsRuns };
  reportLoad('saturation 100: hearth on TLS (the median run)', medianRun(tlsRuns));
  const plainCpu = median(plainRuns.map((r) => r.cpuMicrosPerDelivery));
  const tlsCpu = median(tlsRuns.map((r) => r.cpuMicrosPerDelivery));
  const ratio = tlsCpu / plainCpu;
  const scenario = `saturation 100, TLS vs plain (medians of ${rounds})`;
  row(scenario, 'host CPU per delivery, TLS / plain', `${tlsCpu.toFixed(3)} / ${plainCpu.toFixed(3)} µs`);
  row(scenario, 'host CPU per delivery, TLS ÷ plain', `${ratio.toFixed(2)}×`, '≤ 1.5×', ratio <= 1.5);
  row(scenario, 'deliveries/s, TLS ÷ plain (generator-bound)', `${(median(tlsRuns.map((r) => r.deliveriesPerSecond)) / median(plainRuns.map((r) => r.deliveriesPerSecond))).toFixed(2)}×`);
  row(scenario, 'load generator busy, TLS / plain', `${(median(tlsRuns.map((r) => r.generatorBusy)) * 100).toFixed(0)} / ${(median(plainRuns.map((r) => r.generatorBusy)) * 100).toFixed(0)} %`);
}

/** The run whose host CPU per delivery is the median (the lower middle one of an even count). */
function medianRun(measured: Measured[]): Measured {
  const sorted = [...measured].sort((a, b) => a.cpuMicrosPerDelivery - b.cpuMicrosPerDelivery);
  return sorted[(sorted.length - 1) >> 1]!;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

// 4. A join storm: everyone arrives at once.
if (want('storm')) {
  const n = quick ? 300 : 1000;
  log(`join storm: ${n} clients connect and join at once`);
  const r = await measure('hearth', n, 0, { kind: 'idle' }, { drainMs: 0 });
  runs['storm'] = r;
  row(`join storm ${n}`, 'all joined', ms(r.joinMs), '≤ 5000 ms', r.joinMs <= 5000 && r.connections === n);
  row(`join storm ${n}`, 'host peak RSS', `${r.hostPeakRssMb.toFixed(1)} MB`);
  row(`join storm ${n}`, 'idle memory per connection', `${r.idleRssPerConnectionKb.toFixed(1)} KB`);
}

// 5. Resume: a client that missed 10,000 messages.
if (want('resume')) {
  const behind = 10_000;
  const dataDir = mkdtempSync(join(tmpdir(), 'hearth-bench-resume-'));
  const store = SqliteHistoryStore.inDirectory(dataDir);
  const batch: NewMessage[] = [];
  for (let i = 1; i <= behind + 50; i++) {
    batch.push({ id: `r${i}`, clientId: 'bench-prefill-client', from: { id: 'prefill00001', name: 'Prefill' }, text: `history message number ${i} with some words in it`, ts: Date.now(), kind: 'text' });
  }
  store.append(batch);
  store.close();
  log(`resume: one client ${behind} messages behind`);
  const r = await measure('hearth', 1, 0, { kind: 'idle' }, { dataDir, since: 50, drainMs: 10_000 });
  rmSync(dataDir, { recursive: true, force: true });
  runs['resume'] = r;
  row(`resume ${behind} behind`, 'messages received', String(r.historyMessages), String(behind), r.historyMessages === behind);
  row(`resume ${behind} behind`, 'connect → whole history', ms(r.historyMs ?? 0), '< 1000 ms', (r.historyMs ?? Infinity) < 1000);
}

// 6. The renderer: open a 10,000-message room in Chromium and scroll to the top.
if (want('renderer')) {
  log('renderer: 10,000-message room in Chromium');
  const { measureRenderer } = await import('./renderer.ts');
  const r = await measureRenderer(10_000);
  runs['renderer'] = r;
  if ('skipped' in r) row('renderer 10,000', 'skipped', r.skipped);
  else {
    row('renderer 10,000', 'Join → list painted', ms(r.firstPaintMs));
    row('renderer 10,000', 'fling back to the first message', `${ms(r.scrollMs)} (${r.pagesLoaded} frames showed "loading earlier messages")`);
    row('renderer 10,000', 'frames while scrolling: dropped / total', `${r.droppedFrames} / ${r.frames} (longest ${ms(r.longestFrameMs)})`);
    row('renderer 10,000', 'rows in the DOM', String(r.domRows), '< 120', r.domRows < 120);
  }
}

// 7. Files: 1 GiB up and down, against a minimal Node http server, with chat going on.
if (want('files')) {
  const { measureFiles, reportFiles } = await import('./files.ts');
  const bytes = quick ? 64 * 2 ** 20 : 2 ** 30;
  log(`files: ${bytes / 2 ** 20} MiB up and down, Hearth and a plain Node http server alternating`);
  const r = await measureFiles({ bytes, rounds: 3, chatSeconds: quick ? 3 : 10, tls: true, startHearth: (dataDir) => startServer('hearth', { dataDir }), log });
  runs['files'] = r;
  reportFiles(r, row);
}

const table = [
  '| scenario | metric | value | target | |',
  '|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.scenario} | ${r.metric} | ${r.value} | ${r.target} | ${r.ok === undefined ? '' : r.ok ? '✅' : '❌'} |`),
].join('\n');
process.stdout.write(`\n${table}\n\n`);
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', `${JSON.stringify({ date: new Date().toISOString(), quick, node: process.version, runs, rows }, null, 2)}\n`);
writeFileSync('bench/results/latest.md', `${table}\n`);
const failed = rows.filter((r) => r.ok === false).length;
process.stdout.write(`bench: ${rows.filter((r) => r.ok).length} targets met, ${failed} missed (bench/results/latest.json)\n`);
