// The abuse attacks against a real `hearth host` process, measured the way a person in the
// room would feel them: a canary pings every 100 ms (the room answering or not), chatters
// talk every 200 ms (are they acked, are they cut off), the host's resident memory is read
// from /proc. Loopback only, no LAN announcement, every phase bounded in count and time.
//
//   node bench/attacks.ts [--quick] [--only 1,2,3,9]
//
//   1  piped join: `hearth join` fed 200 lines at once (is rate limiting "later" or "bad"?)
//   2  greedy history readers: ~600 messages of 4,000 emoji, then 4 connections ask for
//      1,000 of them 18 times a second each; once reading fast, once not reading at all
//   3  big resume: a client 10,000 messages behind comes back and reads at normal speed
//   9  slow reader in a quiet room: a member stops reading, its backlog passes the bound,
//      then nobody says anything; how long until the host lets it go?
//
// The attack functions are exported: test/abuse/*.test.ts runs them against the rules the
// fixed host must keep.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { randomId } from '../common/ids.ts';
import { PROTOCOL_VERSION, type ServerFrame, type WelcomeFrame } from '../common/protocol.ts';
import { SqliteHistoryStore, type NewMessage } from '../main/host/store/index.ts';
import { Proc, spawnHost } from '../test/support/cli.ts';
import { memoryMb } from './proc-stats.ts';

/** 😀 is one character of text and 4 bytes of UTF-8: the heaviest message per character. */
export const EMOJI = '😀';
export const emojiText = (count: number): string => EMOJI.repeat(count);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

// ---------------------------------------------------------------------------------------
// Clients

type Frame = ServerFrame & Record<string, unknown>;

/**
 * A raw protocol connection that can take a flood: history frames are measured (bytes) and
 * parsed only when asked, so a greedy reader never holds megabytes of JSON; live messages
 * over 8 KB are skipped (no attack here reads them: the fillers' 16 KB messages would be
 * parsed by a dozen connections each); other frames are parsed and handed to listeners,
 * never kept.
 */
class AttackClient {
  readonly ws: WebSocket;
  readonly clientId: string;
  welcome: WelcomeFrame | undefined;
  joinError: { code: string; reason: string } | undefined;
  closed: { code: number; at: number } | undefined;
  /** Every history frame received: its size in bytes (the JSON text as sent). */
  readonly historyFrameBytes: number[] = [];
  /** History frames received, by mode (read from the frame's tail, without parsing it). */
  readonly historyModes: Record<string, number> = {};
  #parseHistory: boolean;
  #listeners = new Set<(frame: Frame) => void>();

  constructor(url: string, options: { clientId?: string; parseHistory?: boolean } = {}) {
    this.clientId = options.clientId ?? randomId(22);
    this.#parseHistory = options.parseHistory ?? false;
    // An old host answers fetch_history with frames of many megabytes: accept them, to measure them.
    this.ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1024 * 1024 * 1024 });
    this.ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) return;
      const type = /^\{"type":"([a-z_]+)"/.exec(data.toString('latin1', 0, 32))?.[1];
      if (type === 'history') {
        this.historyFrameBytes.push(data.length);
        const mode = /"mode":"([a-z]+)"/.exec(data.toString('latin1', Math.max(0, data.length - 120)))?.[1] ?? 'unknown';
        this.historyModes[mode] = (this.historyModes[mode] ?? 0) + 1;
        if (!this.#parseHistory) return;
      }
      if (type === 'message' && data.length > 8192) return;
      const frame = JSON.parse(data.toString('utf8')) as Frame;
      if (frame.type === 'welcome') this.welcome = frame;
      if (frame.type === 'join_error') this.joinError = frame;
      for (const listener of this.#listeners) listener(frame);
    });
    this.ws.on('close', (code) => {
      this.closed = { code, at: performance.now() };
      for (const listener of this.#listeners) listener({ type: 'closed' } as unknown as Frame);
    });
    this.ws.on('error', () => {});
  }

  static async join(url: string, name: string, options: { clientId?: string; parseHistory?: boolean; since?: number; historyId?: string; timeoutMs?: number } = {}): Promise<AttackClient> {
    const client = new AttackClient(url, options);
    const timeoutMs = options.timeoutMs ?? 10_000;
    try {
      await client.waitFor((f) => f.type === 'hello', timeoutMs, 'hello');
    } catch (error) {
      client.terminate();
      throw error;
    }
    client.send({
      type: 'join',
      v: PROTOCOL_VERSION,
      name,
      clientId: client.clientId,
      ...(options.since !== undefined && { since: options.since }),
      ...(options.historyId !== undefined && { historyId: options.historyId }),
    });
    try {
      await client.waitFor((f) => f.type === 'welcome' || f.type === 'join_error', timeoutMs, 'welcome');
      if (client.joinError) throw new Error(`${name}: join refused (${client.joinError.code})`);
    } catch (error) {
      client.terminate();
      throw error;
    }
    return client;
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  on(listener: (frame: Frame) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves with the first frame from now on that matches; rejects on close or timeout. */
  waitFor(predicate: (frame: Frame) => boolean, timeoutMs: number, what: string): Promise<Frame> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error(`closed (${this.closed.code}) before ${what}`));
      const timer = setTimeout(() => (off(), reject(new Error(`timed out waiting for ${what}`))), timeoutMs);
      const off = this.on((frame) => {
        if (predicate(frame)) {
          clearTimeout(timer);
          off();
          resolve(frame);
        } else if (this.closed) {
          clearTimeout(timer);
          off();
          reject(new Error(`closed (${this.closed.code}) before ${what}`));
        }
      });
    });
  }

  send(frame: Record<string, unknown>): void {
    if (this.open) this.ws.send(JSON.stringify(frame));
  }

  /** Stop reading: the kernel buffers fill, then whatever the host keeps for us. */
  pauseReading(): void {
    (this.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  }

  terminate(): void {
    this.ws.terminate();
  }
}

/**
 * Pings the room every `intervalMs` and measures each answer from the moment the ping was
 * due, so a host (or a test process) that stalls shows up in the figures, not in the gaps.
 */
export class Canary {
  readonly client: AttackClient;
  readonly samples: Array<{ due: number; answeredAt: number | undefined }> = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  private constructor(client: AttackClient, intervalMs: number) {
    this.client = client;
    client.on((frame) => {
      if (frame.type !== 'pong') return;
      const sample = this.samples[frame.id as number];
      if (sample && sample.answeredAt === undefined) sample.answeredAt = performance.now();
    });
    let next = performance.now();
    const tick = () => {
      const due = next;
      this.samples.push({ due, answeredAt: undefined });
      client.send({ type: 'ping', id: this.samples.length - 1 });
      // No catch-up burst after a stall (the pings would be rate-limited): the next one is
      // due an interval after this one, or now if that has passed.
      next = Math.max(due + intervalMs, performance.now());
      this.#timer = setTimeout(tick, Math.max(0, next - performance.now()));
    };
    tick();
  }

  static async start(url: string, intervalMs = 100): Promise<Canary> {
    return new Canary(await AttackClient.join(url, 'Canary'), intervalMs);
  }

  /** Latency of the pings due in [from, to): answered ones, and how many were never answered. */
  summary(from = 0, to = Infinity): { p50: number; p99: number; max: number; count: number; unanswered: number } {
    const window = this.samples.filter((s) => s.due >= from && s.due < to);
    const latencies = window.filter((s) => s.answeredAt !== undefined).map((s) => s.answeredAt! - s.due);
    return {
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      max: latencies.length ? Math.max(...latencies) : 0,
      count: window.length,
      unanswered: window.length - latencies.length,
    };
  }

  /** When the first ping due at or after `t` was answered (undefined: not yet). */
  firstAnswerAfter(t: number): number | undefined {
    return this.samples.find((s) => s.due >= t && s.answeredAt !== undefined)?.answeredAt;
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.client.terminate();
  }
}

/** People talking normally: each says something every `intervalMs`, and counts its acks. */
export class Chatters {
  readonly clients: AttackClient[];
  readonly sent = new Set<string>();
  readonly acked = new Set<string>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #finishedAt = Infinity;

  private constructor(clients: AttackClient[]) {
    this.clients = clients;
    for (const c of clients) c.on((f) => void (f.type === 'ack' && this.acked.add(f.id as string)));
  }

  static async start(url: string, count: number, intervalMs = 200): Promise<Chatters> {
    const chatters = new Chatters(await Promise.all(Array.from({ length: count }, (_, i) => AttackClient.join(url, `Chatter ${i + 1}`))));
    let n = 0;
    chatters.#timer = setInterval(() => {
      n++;
      chatters.clients.forEach((c, i) => {
        if (!c.open) return;
        const id = `chat-${i}-${n}`;
        chatters.sent.add(id);
        c.send({ type: 'chat', id, text: `chatter ${i + 1}, line ${n}` });
      });
    }, intervalMs);
    return chatters;
  }

  /** Chatters the host closed (before finish() closed them). */
  get closedByHost(): number {
    return this.clients.filter((c) => c.closed && c.closed.at < this.#finishedAt).length;
  }

  /** Stop talking, then wait (bounded) for the acks of what was said. */
  async finish(ackWaitMs: number): Promise<void> {
    clearInterval(this.#timer);
    const deadline = performance.now() + ackWaitMs;
    while (this.acked.size < this.sent.size && performance.now() < deadline && this.clients.some((c) => c.open)) await sleep(50);
    this.#finishedAt = performance.now();
    for (const c of this.clients) c.terminate();
  }
}

/** Resident memory of a process, sampled every 100 ms: baseline and peak. */
export class RssWatch {
  readonly #read: () => number;
  readonly #timer: ReturnType<typeof setInterval>;
  baseline: number;
  peak: number;

  constructor(read: () => number) {
    this.#read = read;
    this.baseline = this.peak = read();
    this.#timer = setInterval(() => this.sample(), 100);
  }

  static ofProcess(pid: number): RssWatch {
    return new RssWatch(() => memoryMb(pid).rss);
  }

  sample(): number {
    let now: number;
    try {
      now = this.#read();
    } catch {
      return this.peak; // the process is gone
    }
    this.peak = Math.max(this.peak, now);
    return now;
  }

  /** From now on, growth is counted from here. */
  mark(): void {
    this.baseline = this.peak = this.sample() || this.baseline;
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

// ---------------------------------------------------------------------------------------
// Attacks

/**
 * Fill the history from one address through a few connections, pacing by acks (a window of
 * messages in flight per connection). Each connection sends at most `perConnection` (under
 * the default burst, so an old host drops nothing). Returns how many were acked.
 */
export async function fillHistory(url: string, options: { messages: number; emoji: number; perConnection?: number; window?: number; timeoutMs?: number }): Promise<number> {
  const perConnection = options.perConnection ?? 50;
  const window = options.window ?? 10;
  const text = emojiText(options.emoji);
  const deadline = performance.now() + (options.timeoutMs ?? 60_000);
  let acked = 0;
  const connections = Math.ceil(options.messages / perConnection);
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      const share = Math.min(perConnection, options.messages - c * perConnection);
      const filler = await AttackClient.join(url, `Filler ${c + 1}`);
      let inFlight = 0;
      let mine = 0;
      filler.on((f) => {
        if (f.type === 'ack') {
          inFlight--;
          mine++;
          acked++;
        }
      });
      for (let i = 0; i < share && filler.open && performance.now() < deadline; i++) {
        while (inFlight >= window && filler.open && performance.now() < deadline) await sleep(5);
        inFlight++;
        filler.send({ type: 'chat', id: `fill-${c}-${i}`, text });
      }
      while (mine < share && filler.open && performance.now() < deadline) await sleep(10);
      filler.terminate();
    }),
  );
  return acked;
}

export interface GreedyOptions {
  url: string;
  /** Greedy connections, each asking for `limit` messages `fetchesPerSecond` times a second. */
  greedy: number;
  fetchesPerSecond: number;
  limit: number;
  /** 'fast': reads everything at once; 'none': never reads (its socket paused). */
  reading: 'fast' | 'none';
  seconds: number;
  chatters: number;
  /** Keep measuring this long after the attack stopped (the canary and the chatters). */
  afterSeconds: number;
  /** Longest wait for the host to answer again once the attack stopped. */
  recoveryCapSeconds: number;
  rss?: RssWatch | undefined;
  log?: (line: string) => void;
}

export interface GreedyResult {
  historyFrames: number;
  historyFrameMaxBytes: number;
  /** Older pages the greedy connections got: the attack was served, in bounded pages. */
  olderPagesToGreedy: number;
  /** Chatters and canary that never got the history page of their join. */
  joinedWithoutHistory: number;
  /** History frames of every connection that reads (greedy, chatters, canary). */
  historyFramesOver: (limit: number) => number;
  during: ReturnType<Canary['summary']>;
  after: ReturnType<Canary['summary']>;
  /** From the attack stopping to the first answer to a ping sent after it (undefined: none within the cap). */
  unresponsiveAfterMs: number | undefined;
  chattersClosed: number;
  chatterSent: number;
  chatterAcked: number;
  greedyConnects: number;
  fetchesSent: number;
  rssBaselineMb: number;
  rssPeakMb: number;
}

/** Attack 2: greedy history readers while people chat and the canary pings. */
export async function greedyHistoryReaders(o: GreedyOptions): Promise<GreedyResult> {
  const log = o.log ?? (() => {});
  const canary = await Canary.start(o.url);
  const chatters = await Chatters.start(o.url, o.chatters);
  await sleep(500);
  o.rss?.mark();
  const start = performance.now();
  const stopAt = start + o.seconds * 1000;
  const greedyClients: AttackClient[] = [];
  let connects = 0;
  let fetchesSent = 0;
  const slots = Array.from({ length: o.greedy }, async (_, slot) => {
    for (let attempt = 0; performance.now() < stopAt && attempt < 200; attempt++) {
      let client: AttackClient;
      try {
        client = await AttackClient.join(o.url, `Greedy ${slot + 1}.${attempt}`, { timeoutMs: Math.max(100, stopAt - performance.now()) });
      } catch {
        await sleep(100);
        continue;
      }
      connects++;
      greedyClients.push(client);
      if (o.reading === 'none') client.pauseReading();
      const before = (client.welcome?.lastSeq ?? 0) + 1_000_000;
      const gap = 1000 / o.fetchesPerSecond;
      let next = performance.now();
      while (client.open && performance.now() < stopAt) {
        client.send({ type: 'fetch_history', before, limit: o.limit });
        fetchesSent++;
        next += gap;
        await sleep(Math.max(0, next - performance.now()));
      }
      if (performance.now() < stopAt) await sleep(100); // cut off: come back
    }
  });
  await Promise.all(slots);
  const stoppedAt = performance.now();
  for (const c of greedyClients) c.terminate();
  log(`attack stopped after ${((stoppedAt - start) / 1000).toFixed(1)} s: ${connects} greedy connects, ${fetchesSent} fetches`);

  // After: keep pinging and chatting; the host should answer at once.
  const afterEnd = stoppedAt + o.afterSeconds * 1000;
  const recoveryCap = stoppedAt + o.recoveryCapSeconds * 1000;
  while (performance.now() < afterEnd || (canary.firstAnswerAfter(stoppedAt) === undefined && performance.now() < recoveryCap)) await sleep(50);
  const answered = canary.firstAnswerAfter(stoppedAt);
  await chatters.finish(Math.max(2000, o.afterSeconds * 1000));
  const afterUntil = performance.now() - 1000; // pings due in the last second may still be on their way
  canary.stop();
  o.rss?.sample();

  const readers = [...greedyClients, ...chatters.clients, canary.client];
  const sizes = readers.flatMap((c) => c.historyFrameBytes);
  return {
    historyFrames: sizes.length,
    historyFrameMaxBytes: sizes.length ? Math.max(...sizes) : 0,
    olderPagesToGreedy: greedyClients.reduce((n, c) => n + (c.historyModes['older'] ?? 0), 0),
    joinedWithoutHistory: [...chatters.clients, canary.client].filter((c) => c.historyFrameBytes.length === 0).length,
    historyFramesOver: (limit) => sizes.filter((s) => s > limit).length,
    during: canary.summary(start, stoppedAt),
    after: canary.summary(stoppedAt, afterUntil),
    unresponsiveAfterMs: answered === undefined ? undefined : answered - stoppedAt,
    chattersClosed: chatters.closedByHost,
    chatterSent: chatters.sent.size,
    chatterAcked: [...chatters.sent].filter((id) => chatters.acked.has(id)).length,
    greedyConnects: connects,
    fetchesSent,
    rssBaselineMb: o.rss?.baseline ?? 0,
    rssPeakMb: o.rss?.peak ?? 0,
  };
}

export interface ResumeResult {
  delivered: number;
  chunks: number;
  /** Modes seen, in order of first appearance. */
  modes: string[];
  /** Every chunk but the last said complete: false, and the last said true. */
  chunkedRight: boolean;
  /** Seqs arrived in order, each once. */
  inOrder: boolean;
  complete: boolean;
  /** The close code if the host cut the client off before it had everything. */
  cutOff: number | undefined;
  seconds: number;
  maxFrameBytes: number;
}

/**
 * Attack 3: a client that missed `expected` messages comes back with `since` (and the
 * history id of its earlier welcome) and reads at normal speed.
 */
export async function bigResume(o: { url: string; clientId: string; since: number; historyId?: string | undefined; expected: number; timeoutMs: number }): Promise<ResumeResult> {
  const started = performance.now();
  const client = new AttackClient(o.url, { clientId: o.clientId, parseHistory: true });
  let delivered = 0;
  let chunks = 0;
  let chunkedRight = true;
  let inOrder = true;
  let lastSeq = o.since;
  let complete = false;
  const modes: string[] = [];
  client.on((f) => {
    if (f.type !== 'history') return;
    chunks++;
    if (!modes.includes(f.mode)) modes.push(f.mode);
    for (const m of f.messages) {
      if (m.seq <= lastSeq) inOrder = false;
      lastSeq = m.seq;
    }
    delivered += f.messages.length;
    if (f.complete) complete = true;
    else if (complete) chunkedRight = false; // a chunk after the one that said it was the last
  });
  try {
    await client.waitFor((f) => f.type === 'hello', 10_000, 'hello');
    client.send({ type: 'join', v: PROTOCOL_VERSION, name: '', clientId: o.clientId, since: o.since, ...(o.historyId !== undefined && { historyId: o.historyId }) });
    const deadline = started + o.timeoutMs;
    while (!complete && !client.closed && performance.now() < deadline) await sleep(20);
  } catch {
    // measured below: whatever arrived before the close or the timeout
  }
  const cutOff = !complete && client.closed ? client.closed.code : undefined;
  client.terminate();
  return {
    delivered,
    chunks,
    modes,
    chunkedRight: chunkedRight && complete,
    inOrder,
    complete,
    cutOff,
    seconds: (performance.now() - started) / 1000,
    maxFrameBytes: client.historyFrameBytes.length ? Math.max(...client.historyFrameBytes) : 0,
  };
}

/** Messages for a history made before the host starts (attack 3): one "seen" message, then `behind` more. */
function prefillStore(dataDir: string, options: { clientId: string; behind: number; emoji: number }): void {
  const store = SqliteHistoryStore.inDirectory(dataDir);
  const text = emojiText(options.emoji);
  const from = { id: 'prefill', name: 'Writer' };
  const message = (i: number): NewMessage => ({ id: `pre-${i}`, clientId: options.clientId, from, text, ts: Date.now(), kind: 'text' });
  store.append([message(0)]);
  for (let i = 1; i <= options.behind; i += 500) {
    store.append(Array.from({ length: Math.min(500, options.behind - i + 1) }, (_, k) => message(i + k)));
  }
  store.close();
}

/**
 * Attack 9: `Slow` joins and stops reading; other members send `bytes` of messages as fast
 * as they may (several of them, each within its own burst); then the room is quiet. How long
 * until the host lets the slow reader go?
 */
async function slowReaderInQuietRoom(o: { url: string; bytes: number; emoji: number; perSender: number; waitSeconds: number }): Promise<{ sentMb: number; sendSeconds: number; droppedAfterMs: number | undefined }> {
  const slow = await AttackClient.join(o.url, 'Slow');
  const text = emojiText(o.emoji);
  const count = Math.ceil(o.bytes / Buffer.byteLength(text));
  const senders = await Promise.all(Array.from({ length: Math.ceil(count / o.perSender) }, (_, i) => AttackClient.join(o.url, `Sender ${i + 1}`)));
  let droppedAt: number | undefined;
  senders[0]!.on((f) => {
    if (f.type === 'member_left' && (f.member as { name: string }).name === 'Slow') droppedAt ??= performance.now();
  });
  slow.pauseReading();
  const started = performance.now();
  await Promise.all(
    senders.map(async (sender, s) => {
      for (let i = s * o.perSender; i < Math.min(count, (s + 1) * o.perSender) && sender.open; i++) {
        sender.send({ type: 'chat', id: `flood-${i}`, text });
        if (i % 10 === 9) await sleep(1);
      }
    }),
  );
  const quietFrom = performance.now();
  const deadline = quietFrom + o.waitSeconds * 1000;
  while (droppedAt === undefined && performance.now() < deadline) await sleep(50);
  slow.terminate();
  for (const sender of senders) sender.terminate();
  return { sentMb: (count * Buffer.byteLength(text)) / 1e6, sendSeconds: (quietFrom - started) / 1000, droppedAfterMs: droppedAt === undefined ? undefined : droppedAt - quietFrom };
}

/**
 * Attack 1: `hearth join` with 200 lines piped in at once. Counts what a watcher sees
 * arrive, and how often the terminal client had to join again.
 */
async function pipedJoin(o: { port: number; lines: number; timeoutSeconds: number }): Promise<{ delivered: number; joins: number; seconds: number; exitCode: number | null | undefined }> {
  const url = `ws://127.0.0.1:${o.port}/ws`;
  const watcher = await AttackClient.join(url, 'Watcher');
  const seen = new Set<string>();
  let joins = 0;
  watcher.on((f) => {
    if (f.type === 'message' && (f.message as { from: { name: string } }).from.name === 'Piper') seen.add((f.message as { text: string }).text);
    if (f.type === 'member_joined' && (f.member as { name: string }).name === 'Piper') joins++;
  });
  const started = performance.now();
  const piper = new Proc(['join', `127.0.0.1:${o.port}`, '--name', 'Piper']);
  piper.child.stdin.write(Array.from({ length: o.lines }, (_, i) => `line ${i + 1} of ${o.lines}\n`).join(''));
  piper.endInput();
  const deadline = started + o.timeoutSeconds * 1000;
  let exitCode: number | null | undefined;
  void piper.exit.then((code) => (exitCode = code));
  while (seen.size < o.lines && performance.now() < deadline && exitCode === undefined) await sleep(50);
  const seconds = (performance.now() - started) / 1000;
  // A client that gave up: a moment for what was in flight.
  if (seen.size < o.lines) await sleep(500);
  const exitWait = performance.now() + 12_000;
  while (exitCode === undefined && performance.now() < exitWait) await sleep(50);
  piper.kill('SIGKILL');
  watcher.terminate();
  return { delivered: seen.size, joins, seconds, exitCode };
}

// ---------------------------------------------------------------------------------------
// The bench: each attack against a fresh `hearth host`, then a table.

interface Row {
  attack: string;
  rss: string;
  canaryDuring: string;
  canaryAfter: string;
  unresponsive: string;
  chattersClosed: string;
  chatterAcked: string;
  resume: string;
  connects: string;
  notes: string;
}

async function withHost<T>(args: string[], run: (host: { port: number; url: string; pid: number; proc: Proc; rss: RssWatch; dataDir: string }) => Promise<T>, prepare?: (dataDir: string) => void): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hearth-attacks-'));
  prepare?.(dataDir);
  const { proc, port } = await spawnHost(['--room', 'Attacks', '--port', '0', '--data', dataDir, ...args]);
  const pid = proc.child.pid!;
  const rss = RssWatch.ofProcess(pid);
  try {
    return await run({ port, url: `ws://127.0.0.1:${port}/ws`, pid, proc, rss, dataDir });
  } finally {
    rss.stop();
    proc.kill('SIGKILL');
    await Promise.race([proc.exit, sleep(5000)]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const ms = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '—' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);
/** p50 / p99 of a canary window, and how many of its pings were never answered. */
const pings = (s: ReturnType<Canary['summary']>) =>
  s.count === s.unanswered ? `no answer to ${s.count} pings` : `${ms(s.p50)} / ${ms(s.p99)}${s.unanswered ? ` (${s.unanswered}/${s.count} unanswered)` : ''}`;
const mb = (v: number) => v.toFixed(0);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } });
  const quick = values.quick;
  const only = new Set((values.only ?? '1,2,3,9').split(',').map((s) => s.trim()));
  const log = (line: string) => process.stderr.write(`attacks: ${line}\n`);
  const rows: Row[] = [];
  const seconds = quick ? 3 : 10;
  const recoveryCap = quick ? 20 : 60;

  if (only.has('1')) {
    log('1: hearth join with 200 lines piped in');
    await withHost([], async ({ port, rss }) => {
      const r = await pipedJoin({ port, lines: 200, timeoutSeconds: quick ? 30 : 60 });
      rows.push({
        attack: '1 piped join, 200 lines',
        rss: `${mb(rss.baseline)} → ${mb(rss.peak)}`,
        canaryDuring: '',
        canaryAfter: '',
        unresponsive: '',
        chattersClosed: '',
        chatterAcked: `${r.delivered}/200 delivered`,
        resume: '',
        connects: `${r.joins} joins`,
        notes: `${r.seconds.toFixed(1)} s; ${200 - r.delivered} lines lost; join exit ${r.exitCode ?? 'still running'}; cut off and joined again ${Math.max(0, r.joins - 1)}×`,
      });
    });
  }

  if (only.has('2')) {
    for (const reading of ['none', 'fast'] as const) {
      log(`2: greedy history readers (${reading === 'none' ? 'not reading' : 'reading fast'}), ${seconds} s`);
      await withHost([], async ({ url, rss }) => {
        const filled = await fillHistory(url, { messages: 600, emoji: 4000, timeoutMs: 60_000 });
        log(`   history filled: ${filled} messages of 4,000 emoji`);
        const r = await greedyHistoryReaders({ url, greedy: 4, fetchesPerSecond: 18, limit: 1000, reading, seconds, chatters: 3, afterSeconds: 3, recoveryCapSeconds: recoveryCap, rss, log: (l) => log(`   ${l}`) });
        rows.push({
          attack: `2 greedy history, ${reading === 'none' ? 'not reading' : 'reading fast'}`,
          rss: `${mb(r.rssBaselineMb)} → ${mb(r.rssPeakMb)}`,
          canaryDuring: pings(r.during),
          canaryAfter: pings(r.after),
          unresponsive: r.unresponsiveAfterMs === undefined ? `> ${recoveryCap} s` : ms(r.unresponsiveAfterMs),
          chattersClosed: `${r.chattersClosed}/3`,
          chatterAcked: `${r.chatterAcked}/${r.chatterSent}`,
          resume: '',
          connects: `${r.greedyConnects} greedy`,
          notes: `${r.fetchesSent} fetches, ${r.olderPagesToGreedy} older pages served; ${r.historyFrames} history frames, largest ${(r.historyFrameMaxBytes / 1024).toFixed(0)} KiB`,
        });
      });
    }
  }

  if (only.has('3')) {
    const behind = 10_000;
    const emoji = quick ? 2000 : 4000;
    const clientId = randomId(22);
    log(`3: big resume, ${behind} messages of ${emoji} emoji behind`);
    await withHost(
      [],
      async ({ url, rss }) => {
        // The welcome of an earlier visit: its history id (protocol 2), and seq 1 was seen.
        const first = await AttackClient.join(url, 'Returner', { clientId });
        const historyId = (first.welcome as { historyId?: string } | undefined)?.historyId;
        first.terminate();
        await sleep(300);
        const canary = await Canary.start(url);
        await sleep(300);
        rss.mark();
        const t0 = performance.now();
        const r = await bigResume({ url, clientId, since: 1, historyId, expected: behind, timeoutMs: (quick ? 60 : 120) * 1000 });
        const t1 = performance.now();
        await sleep(2000);
        canary.stop();
        rows.push({
          attack: `3 resume ${behind} × ${emoji} emoji`,
          rss: `${mb(rss.baseline)} → ${mb(rss.peak)}`,
          canaryDuring: pings(canary.summary(t0, t1)),
          canaryAfter: pings(canary.summary(t1, performance.now() - 1000)),
          unresponsive: ms((canary.firstAnswerAfter(t1) ?? NaN) - t1),
          chattersClosed: '',
          chatterAcked: '',
          resume: `${r.delivered}/${behind}${r.cutOff !== undefined ? ` (cut off ${r.cutOff})` : ''}`,
          connects: '',
          notes: `${r.seconds.toFixed(1)} s, ${r.chunks} chunks (${r.modes.join(',')}), largest ${(r.maxFrameBytes / 1024).toFixed(0)} KiB`,
        });
      },
      (dir) => prefillStore(dir, { clientId: randomId(22), behind, emoji }),
    );
  }

  if (only.has('9')) {
    log('9: slow reader in a quiet room (default 4 MiB bound)');
    await withHost(['--rate-limit', '1000'], async ({ url, rss }) => {
      rss.mark();
      // 16 KB messages, 50 per sender: within any sender's burst, old host or new.
      const r = await slowReaderInQuietRoom({ url, bytes: 10 * 1024 * 1024, emoji: 4000, perSender: 50, waitSeconds: quick ? 20 : 45 });
      rows.push({
        attack: '9 slow reader, quiet room',
        rss: `${mb(rss.baseline)} → ${mb(rss.peak)}`,
        canaryDuring: '',
        canaryAfter: '',
        unresponsive: '',
        chattersClosed: '',
        chatterAcked: '',
        resume: '',
        connects: '',
        notes: `${r.sentMb.toFixed(1)} MB sent in ${r.sendSeconds.toFixed(1)} s; slow reader dropped ${
          r.droppedAfterMs === undefined ? `never (waited ${quick ? 20 : 45} s)` : r.droppedAfterMs < 0 ? 'while the messages were still coming' : `${ms(r.droppedAfterMs)} after the room went quiet`
        }`,
      });
    });
  }

  const header: Row = {
    attack: 'attack',
    rss: 'host RSS MB (base → peak)',
    canaryDuring: 'canary p50 / p99 during',
    canaryAfter: 'canary p50 / p99 after',
    unresponsive: 'unresponsive after stop',
    chattersClosed: 'chatters closed',
    chatterAcked: 'chatter acked/sent',
    resume: 'resume delivered',
    connects: 'connects',
    notes: 'notes',
  };
  const keys = Object.keys(header) as Array<keyof Row>;
  const widths = keys.map((k) => Math.max(...[header, ...rows].map((r) => r[k].length)));
  const line = (r: Row) => `| ${keys.map((k, i) => r[k].padEnd(widths[i]!)).join(' | ')} |`;
  process.stdout.write(`Hearth attacks (${quick ? 'quick' : 'full'}, protocol ${PROTOCOL_VERSION})\n`);
  process.stdout.write(`${line(header)}\n| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |\n${rows.map(line).join('\n')}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main();
  process.exit(0);
}
