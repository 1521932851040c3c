// The files scenario of `npm run bench` (issue #17 › Performance): one big file up and down
// over loopback, Hearth's host (tus upload, one PATCH; GET /files/<seq>) beside a minimal
// Node http server streaming the same file (bench/plain-file-server.ts), in the same run.
// Each transfer is a child process (bench/file-client.ts): its CPU is not the chat
// generator's, which runs here. Uploads, then downloads, each start on freshly started
// servers (same data folder), alternating Hearth and the baseline. While a transfer runs,
// its server's RSS is sampled every 100 ms (and the kernel's peak reset before, read after).
// Then 100 chat clients at 20 msg/s measure p99 idle, while the file goes up (again and
// again for the whole window), and while it comes down.
import { spawn } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { downloadPath, UPLOAD_METADATA, UPLOAD_PATH } from '../common/files.ts';
import type { Job, JobResult } from './file-client.ts';
import { PROTOCOL_VERSION, runLoad, type LoadResult } from './load.ts';
import { cpuSeconds, memoryMb } from './proc-stats.ts';

/** Hearth's host as bench/run.ts starts it (the built CLI, a child process). */
export interface HearthHost {
  pid: number;
  /** ws://127.0.0.1:<port>/ws */
  url: string;
  /** Its certificate's fingerprint, for the pinned https rows. */
  fingerprint: string | undefined;
  stop(): Promise<void>;
}

export interface FilesOptions {
  bytes: number;
  /** Throughput runs per side, alternating who goes first; the best one counts. */
  rounds: number;
  /** Seconds of chat in each of the three chat phases. */
  chatSeconds: number;
  tls: boolean;
  /** Starts Hearth's host on this data folder (twice: uploads, then downloads on a fresh process). */
  startHearth: (dataDir: string) => Promise<HearthHost>;
  log: (line: string) => void;
}

export interface Transfer extends JobResult {
  mbPerSecond: number;
  /** The server's CPU seconds during the transfer. */
  serverCpuSeconds: number;
  rss: { idleMb: number; peakMb: number };
}

export interface ChatPhase {
  load: LoadResult;
  /** Transfers that ran while the chat did (none for idle). */
  transfers: Transfer[];
  rss: { idleMb: number; peakMb: number };
}

export interface FilesResult {
  bytes: number;
  upload: { hearth: Transfer[]; plain: Transfer[]; hearthTls: Transfer[] };
  download: { hearth: Transfer[]; plain: Transfer[]; hearthTls: Transfer[] };
  chat: { idle: ChatPhase; upload: ChatPhase; download: ChatPhase };
}

const CHUNK = 4 * 1024 * 1024;

/** A file of random bytes (nothing compresses, nothing is all zeros) and its SHA-256. */
export function makeTestFile(dir: string, bytes: number): { path: string; sha256: string } {
  const path = join(dir, 'bench-file.bin');
  const hash = createHash('sha256');
  const chunk = Buffer.allocUnsafe(CHUNK);
  const fd = openSync(path, 'w');
  try {
    for (let written = 0; written < bytes; ) {
      const part = chunk.subarray(0, Math.min(CHUNK, bytes - written));
      randomFillSync(part);
      hash.update(part);
      written += writeSync(fd, part);
    }
  } finally {
    closeSync(fd);
  }
  return { path, sha256: hash.digest('hex') };
}

/** bench/plain-file-server.ts on a folder, listening on a free port of 127.0.0.1. */
export async function startPlainServer(dir: string): Promise<{ pid: number; base: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'plain-file-server.ts'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      const m = /"port":(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`the plain file server exited (${code}): ${out}`)));
  });
  return {
    pid: child.pid!,
    base: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/**
 * Linux keeps a process's peak RSS (VmHWM); writing 5 to clear_refs resets it, so reading it
 * after a transfer gives the true peak between the 100 ms samples. False where not allowed.
 */
function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Samples a process's RSS every 100 ms until stopped: the RSS at the start and the highest seen. */
function sampleRss(pid: number): { stop(): { idleMb: number; peakMb: number } } {
  const idleMb = memoryMb(pid).rss;
  const exactPeak = resetPeakRss(pid);
  let peakMb = idleMb;
  const timer = setInterval(() => (peakMb = Math.max(peakMb, memoryMb(pid).rss)), 100);
  return {
    stop: () => {
      clearInterval(timer);
      const now = memoryMb(pid);
      peakMb = Math.max(peakMb, now.rss, exactPeak ? now.peak : 0);
      return { idleMb, peakMb };
    },
  };
}

/**
 * Runs one transfer in a child process (bench/file-client.ts), sampling the server meanwhile.
 * `niced`: the client yields the CPU to everything else, as a sender on another machine would.
 */
export async function transfer(job: Job, serverPid: number, options: { niced?: boolean } = {}): Promise<Transfer> {
  const rss = sampleRss(serverPid);
  const cpu0 = cpuSeconds(serverPid);
  const child = spawn(process.execPath, [join(import.meta.dirname, 'file-client.ts'), JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'pipe'] });
  if (options.niced) setPriority(child.pid!, 19);
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const serverCpuSeconds = cpuSeconds(serverPid) - cpu0;
  const sampled = rss.stop();
  if (code !== 0) throw new Error(`${job.op} transfer failed: ${err.trim() || `exit ${code}`}`);
  const result = JSON.parse(out) as JobResult;
  return { ...result, mbPerSecond: result.bytes / 1e6 / result.seconds, serverCpuSeconds, rss: sampled };
}

/** A member of the room who holds its files tokens and shares what it uploaded. */
export interface Owner {
  /** For uploads (Hearth-Token). */
  token: string;
  /** For download URLs (?t=). */
  downloadToken: string;
  share(uploadId: string): Promise<number>;
  close(): void;
}

export async function joinAsOwner(url: string): Promise<Owner> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const waiting = new Map<string, { resolve: (seq: number) => void; reject: (error: Error) => void }>();
  let shares = 0;
  const { token, downloadToken } = await new Promise<{ token: string; downloadToken: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the file owner did not get a welcome in 10 s')), 10_000);
    ws.on('error', reject);
    ws.on('message', (data: Buffer) => {
      const text = data.toString();
      // Chat and presence pass by in thousands: only these frames matter here.
      if (!/^\{"type":"(hello|welcome|ack|error)"/.test(text)) return;
      const frame = JSON.parse(text) as { type: string; id?: string; seq?: number; code?: string; message?: string; files?: { token: string; downloadToken: string } };
      if (frame.type === 'hello') ws.send(JSON.stringify({ type: 'join', v: PROTOCOL_VERSION, name: 'bench files', clientId: `benchfileowner${process.pid}` }));
      else if (frame.type === 'welcome') {
        clearTimeout(timer);
        if (frame.files?.token) resolve(frame.files);
        else reject(new Error("this host takes no files: its welcome has no files token (was it started without files, or is it older than protocol 3?)"));
      } else if (frame.type === 'ack' && frame.id) waiting.get(frame.id)?.resolve(frame.seq!);
      else if (frame.type === 'error') {
        const sentence = new Error(`the host refused: ${frame.code ?? ''} ${frame.message ?? text}`);
        for (const w of waiting.values()) w.reject(sentence);
        reject(sentence);
      }
    });
  });
  return {
    token,
    downloadToken,
    share: (upload) => {
      const id = `benchshare${++shares}`;
      return new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ack for the share of upload ${upload} in 30 s`)), 30_000);
        const settle = () => (clearTimeout(timer), waiting.delete(id));
        waiting.set(id, { resolve: (seq) => (settle(), resolve(seq)), reject: (e) => (settle(), reject(e)) });
        ws.send(JSON.stringify({ type: 'share', id, upload }));
      });
    },
    close: () => ws.terminate(),
  };
}

/** Hearth's host on a data folder, with the file owner joined. */
interface Room {
  host: HearthHost;
  owner: Owner;
  base(tls: boolean): string;
  stop(): Promise<void>;
}

async function openRoom(o: FilesOptions, dataDir: string): Promise<Room> {
  const host = await o.startHearth(dataDir);
  try {
    if (o.tls && !host.fingerprint) throw new Error("the host's certificate is unknown: no pinned https rows");
    const owner = await joinAsOwner(host.url);
    const http = host.url.replace(/^ws:/, 'http:').replace(/\/ws$/, '');
    return {
      host,
      owner,
      base: (tls) => (tls ? http.replace(/^http:/, 'https:') : http),
      stop: async () => {
        owner.close();
        await host.stop();
      },
    };
  } catch (error) {
    await host.stop();
    throw error;
  }
}

export async function measureFiles(o: FilesOptions): Promise<FilesResult> {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-bench-files-'));
  const dataDir = join(dir, 'host');
  const plainDir = join(dir, 'plain');
  let plain: Awaited<ReturnType<typeof startPlainServer>> | undefined;
  let room: Room | undefined;
  // Each direction starts on freshly started servers: "idle" is a host that has not moved a file yet.
  const restart = async () => {
    await room?.stop();
    await plain?.stop();
    room = plain = undefined;
    plain = await startPlainServer(plainDir);
    room = await openRoom(o, dataDir);
    return { plain, room };
  };
  try {
    mkdirSync(dataDir);
    mkdirSync(plainDir);
    o.log(`files: writing a ${o.bytes / 2 ** 20} MiB file of random bytes`);
    const file = makeTestFile(dir, o.bytes);
    const metadata = { [UPLOAD_METADATA.name]: 'bench-file.bin', [UPLOAD_METADATA.type]: 'application/octet-stream', [UPLOAD_METADATA.sha256]: file.sha256 };
    const tlsOf = (r: Room, tls: boolean) => (tls ? { fingerprint: r.host.fingerprint! } : {});
    const tusJob = (r: Room, tls: boolean): Job => ({ op: 'tus', endpoint: `${r.base(tls)}${UPLOAD_PATH}`, file: file.path, size: o.bytes, token: r.owner.token, metadata, ...tlsOf(r, tls) });
    let seq = 0;
    const getJob = (r: Room, tls: boolean): Job => ({ op: 'get', url: `${r.base(tls)}${downloadPath(seq, r.owner.downloadToken)}`, size: o.bytes, ...tlsOf(r, tls) });
    /** A tus upload, then its share: the ack proves the host verified and kept the file. */
    const upload = async (r: Room, tls: boolean): Promise<Transfer> => {
      const t = await transfer(tusJob(r, tls), r.host.pid);
      seq = await r.owner.share(t.uploadId!);
      return t;
    };

    const result: Omit<FilesResult, 'chat'> = {
      bytes: o.bytes,
      upload: { hearth: [], plain: [], hearthTls: [] },
      download: { hearth: [], plain: [], hearthTls: [] },
    };
    let servers = await restart();
    for (let round = 1; round <= o.rounds; round++) {
      const plainFirst = firstInRound(round);
      o.log(`files: upload round ${round}/${o.rounds}: ${plainFirst ? 'plain PUT, then Hearth (tus)' : 'Hearth (tus), then plain PUT'}`);
      const plainUp = async () => void result.upload.plain.push(await transfer({ op: 'put', url: `${servers.plain.base}/bench-file`, file: file.path, size: o.bytes }, servers.plain.pid));
      const hearthUp = async () => void result.upload.hearth.push(await upload(servers.room, false));
      for (const run of plainFirst ? [plainUp, hearthUp] : [hearthUp, plainUp]) await run();
    }
    for (let round = 1; o.tls && round <= o.rounds; round++) {
      o.log(`files: https (pinned) upload ${round}/${o.rounds}`);
      result.upload.hearthTls.push(await upload(servers.room, true));
    }
    servers = await restart();
    for (let round = 1; round <= o.rounds; round++) {
      const plainFirst = firstInRound(round);
      o.log(`files: download round ${round}/${o.rounds}: ${plainFirst ? `plain GET, then Hearth GET /files/${seq}` : `Hearth GET /files/${seq}, then plain GET`}`);
      const plainDown = async () => void result.download.plain.push(await transfer({ op: 'get', url: `${servers.plain.base}/bench-file`, size: o.bytes }, servers.plain.pid));
      const hearthDown = async () => void result.download.hearth.push(await transfer(getJob(servers.room, false), servers.room.host.pid));
      for (const run of plainFirst ? [plainDown, hearthDown] : [hearthDown, plainDown]) await run();
    }
    for (let round = 1; o.tls && round <= o.rounds; round++) {
      o.log(`files: https (pinned) download ${round}/${o.rounds}`);
      result.download.hearthTls.push(await transfer(getJob(servers.room, true), servers.room.host.pid));
    }

    const chatRoom = servers.room;
    const { host } = chatRoom;
    /** 100 clients, 10 of them sending 20 msg/s in all; `during` loops transfers meanwhile. */
    const chat = async (during?: () => Promise<Transfer>): Promise<ChatPhase> => {
      const transfers: Transfer[] = [];
      let rss: ReturnType<typeof sampleRss> | undefined;
      let looping: Promise<void> = Promise.resolve();
      let failed: unknown;
      const load = await runLoad({
        url: host.url,
        clients: 100,
        senders: 10,
        mode: { kind: 'rate', perSecond: 20, seconds: o.chatSeconds },
        drainMs: 15_000,
        onJoined: () => {
          rss = sampleRss(host.pid);
          if (!during) return;
          // Back to back for the whole chat window (at most 20): every message is sent while one runs.
          const until = performance.now() + o.chatSeconds * 1000;
          looping = (async () => {
            while (performance.now() < until && transfers.length < 20) transfers.push(await during());
          })().catch((error: unknown) => {
            failed = error;
          });
        },
      });
      await looping;
      if (failed) throw failed;
      return { load, transfers, rss: rss!.stop() };
    };
    o.log(`files: chat, 100 clients at 20 msg/s for ${o.chatSeconds} s: idle, during uploads, during downloads`);
    const idle = await chat();
    // On loopback the transfer's client shares the two cores with the host and the chat
    // generator; niced, it stands in for a sender on another machine, so the chat's latency
    // measures the host serving a transfer rather than the scheduler sharing out three busy processes.
    const up = await chat(() => transfer(tusJob(chatRoom, false), host.pid, { niced: true }));
    const down = await chat(() => transfer(getJob(chatRoom, false), host.pid, { niced: true }));
    return { ...result, chat: { idle, upload: up, download: down } };
  } finally {
    await room?.stop();
    await plain?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

type RowFn = (scenario: string, metric: string, value: string, target?: string, ok?: boolean) => void;

/**
 * Who goes first alternates round by round: on a shared machine the disk's writeback of the
 * last transfer's gigabyte, and whatever else runs, then fall on both sides alike.
 */
const firstInRound = (round: number) => round % 2 === 1;
const best = (runs: Transfer[]) => runs.reduce((a, b) => (b.mbPerSecond > a.mbPerSecond ? b : a));
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const mbps = (t: Transfer) => `${t.mbPerSecond.toFixed(0)} MB/s`;
const growth = (runs: Transfer[]) => Math.max(...runs.map((t) => t.rss.peakMb - t.rss.idleMb));

/** The scenario's rows in bench/run.ts's table. */
export function reportFiles(r: FilesResult, row: RowFn): void {
  const size = r.bytes >= 2 ** 30 ? `${r.bytes / 2 ** 30} GiB` : `${r.bytes / 2 ** 20} MiB`;
  const scenario = `files: ${size} over loopback`;
  const runs = r.upload.hearth.length;
  const note = `best of ${runs}, who goes first alternating`;
  row(scenario, 'processes (2 cores shared)', 'host, plain server, one transfer client per transfer (tus-js-client / http): each a child; chat generator: the bench process');
  for (const [what, target] of [['upload', 0.7], ['download', 0.8]] as const) {
    const hearth = best(r[what].hearth);
    const plain = best(r[what].plain);
    const ratio = hearth.mbPerSecond / plain.mbPerSecond;
    const how = what === 'upload' ? 'tus-js-client, 1 PATCH ÷ http PUT' : 'GET /files/<seq> ÷ plain GET, body discarded';
    row(scenario, `${what}, Hearth ÷ plain Node http (${how}; ${note})`, `${mbps(hearth)} ÷ ${mbps(plain)} = ${ratio.toFixed(2)}×`, `≥ ${target}×`, ratio >= target);
    // Each round's pair ran back to back: the spread says how much of the figure is the machine.
    const pairs = r[what].hearth.map((h, i) => h.mbPerSecond / r[what].plain[i]!.mbPerSecond);
    const cpu = median(r[what].hearth.map((h) => h.serverCpuSeconds)) / median(r[what].plain.map((p) => p.serverCpuSeconds));
    row(scenario, `${what}: each round's Hearth ÷ plain; server CPU, median Hearth ÷ median plain`, `${pairs.map((x) => `${x.toFixed(2)}×`).join(', ')} (median ${median(pairs).toFixed(2)}×); CPU ${cpu.toFixed(2)}×`);
    row(scenario, `${what} CPU in those runs: server; its client`, `Hearth's host ${hearth.serverCpuSeconds.toFixed(2)} s, plain ${plain.serverCpuSeconds.toFixed(2)} s; clients ${hearth.clientCpuSeconds.toFixed(2)} s / ${plain.clientCpuSeconds.toFixed(2)} s`);
    // The first is on a freshly started host; later ones find the memory the first left behind.
    const [first, ...later] = [...r[what].hearth, ...r.chat[what].transfers];
    const grew = growth([first!, ...later]);
    const laterText = later.length > 0 ? `; ${later.length} later: at most +${growth(later).toFixed(1)} MB` : '';
    row(scenario, `host RSS during ${what}s: idle → peak (100 ms samples + kernel peak)`, `first after start ${first!.rss.idleMb.toFixed(1)} → ${first!.rss.peakMb.toFixed(1)} MB (+${(first!.rss.peakMb - first!.rss.idleMb).toFixed(1)} MB)${laterText}`, '≤ +30 MB', grew <= 30);
    const [plainFirst, ...plainLater] = r[what].plain;
    row(scenario, `plain Node http server's RSS during ${what}s (for scale)`, `first after start +${growth([plainFirst!]).toFixed(1)} MB${plainLater.length > 0 ? `; later: at most +${growth(plainLater).toFixed(1)} MB` : ''}`);
  }
  const idle = r.chat.idle.load;
  row(scenario, 'chat: 100 clients, 20 msg/s, p99 idle', `${idle.latencyMs.p99.toFixed(1)} ms (p50 ${idle.latencyMs.p50.toFixed(1)} ms, generator ${(idle.generatorBusy * 100).toFixed(0)} % busy)`);
  for (const what of ['upload', 'download'] as const) {
    const phase = r.chat[what];
    const ratio = phase.load.latencyMs.p99 / idle.latencyMs.p99;
    const n = phase.transfers.length;
    const during = `${n} ${what}${n === 1 ? '' : 's'} back to back, client niced, ${n > 0 ? mbps(best(phase.transfers)) : 'none'} at best`;
    row(scenario, `chat p99 during ${what}s ÷ idle (${during})`, `${phase.load.latencyMs.p99.toFixed(1)} ÷ ${idle.latencyMs.p99.toFixed(1)} ms = ${ratio.toFixed(2)}×`, '≤ 2×', ratio <= 2 && n > 0);
    row(scenario, `chat during ${what}s: undelivered / out of order`, `${phase.load.undelivered} / ${phase.load.outOfOrder}`, '0 / 0', phase.load.undelivered === 0 && phase.load.outOfOrder === 0);
  }
  if (r.upload.hearthTls.length > 0) {
    for (const what of ['upload', 'download'] as const) {
      const tls = best(r[what].hearthTls);
      row(`${scenario}, https pinned`, `${what}, Hearth on TLS ÷ plain Node http (no target)`, `${mbps(tls)} ÷ ${mbps(best(r[what].plain))} = ${(tls.mbPerSecond / best(r[what].plain).mbPerSecond).toFixed(2)}×; host CPU ${tls.serverCpuSeconds.toFixed(2)} s`);
      row(`${scenario}, https pinned`, `host RSS during ${what}s on TLS (after the plain ones)`, `+${growth(r[what].hearthTls).toFixed(1)} MB`);
    }
  }
}
