// The load generator: N real WebSocket clients speaking the real protocol to one host.
// S of them send, at a total rate or as fast as acks allow (bounded window). Every client
// checks every message it receives: delivered, in order, no duplicates; the text carries
// the send time, so each delivery gives an end-to-end latency.
// With `tls`, every client speaks wss:// and checks the host's certificate against the pinned
// fingerprint, as `hearth join` and the app do (and pays the handshake and the decryption,
// on the same cores as the host: watch generatorBusy).
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { pinnedTlsConnect } from '../main/discovery/identity-probe.ts';

/**
 * common/protocol.ts's PROTOCOL_VERSION, written here so the generator does not load the
 * schema module (valibot and every schema) for one number; a test keeps the two equal.
 */
export const PROTOCOL_VERSION = 3;

export type LoadMode =
  | { kind: 'rate'; perSecond: number; seconds: number }
  | { kind: 'saturate'; window: number; seconds: number }
  | { kind: 'idle' };

export interface LoadOptions {
  /** ws:// for plain clients, wss:// with `tls`. */
  url: string;
  /** Connect over TLS and accept only the certificate with this SHA-256 fingerprint (lowercase hex). */
  tls?: { fingerprint: string };
  /**
   * At most this many connections opening at once (from connect to the host's upgrade answer);
   * unbounded by default. The host lets one address hold only a few connections that have
   * not yet sent a byte or finished their handshake (main/host/both-ways.ts), and every bench
   * client comes from 127.0.0.1: beyond that the host cuts them, as it should. A connection
   * the host has answered is surely no longer pending there, so this window bounds its count.
   */
  connectWindow?: number;
  clients: number;
  senders: number;
  mode: LoadMode;
  /** After sending stops, how long to wait for stragglers. */
  drainMs: number;
  /** Join with `since` (resume) instead of a fresh join. */
  since?: number;
  /** Called once everyone has joined, before sending starts (e.g. to sample the host). */
  onJoined?: () => void;
}

export interface LoadResult {
  connections: number;
  joinMs: number;
  sent: number;
  acked: number;
  expectedDeliveries: number;
  delivered: number;
  undelivered: number;
  outOfOrder: number;
  duplicates: number;
  sendSeconds: number;
  deliveriesPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  /** Share of the generator's event loop that was busy while sending (1 = saturated). */
  generatorBusy: number;
  /** For resume runs: ms from connecting to the last history chunk, and how many messages came. */
  historyMs?: number;
  historyMessages?: number;
}

interface Client {
  ws: WebSocket;
  index: number;
  joined: boolean;
  baseSeq: number;
  lastSeq: number;
  received: number;
  outOfOrder: number;
  duplicates: number;
  outstanding: number;
  historyDone: boolean;
  historyMessages: number;
}

const MESSAGE_PREFIX = '{"type":"message"';
const PRESENCE_PREFIX = '{"type":"member_';

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { clients: count, senders: senderCount, mode } = options;
  const expectedMax = mode.kind === 'rate' ? Math.ceil(mode.perSecond * mode.seconds * 1.2) * count : 4_000_000;
  const latencies = new Float64Array(Math.min(expectedMax + 1024, 6_000_000));
  let latencyCount = 0;
  let maxLatency = 0;
  let acked = 0;
  let sent = 0;
  let joined = 0;
  let historyDone = 0;
  const started = performance.now();
  let joinedAt = 0;
  let historyAt = 0;
  let sending = false;
  let senders: Client[] = [];

  const clients: Client[] = [];
  // ws types it as net.createConnection's overloads; it calls it with its request options.
  const pinned = options.tls && { createConnection: pinnedTlsConnect(options.tls.fingerprint) as never };
  const connectWindow = options.connectWindow ?? count;
  let opening = 0;
  /** Set once the join has failed: no more connections are opened. */
  let givenUp = false;
  /** The first thing that went wrong with a connection, for the sentence if the join fails. */
  let firstProblem: string | undefined;
  const allJoined = new Promise<void>((resolveJoined, rejectJoined) => {
    // A minute, or more for a crowd joining a few at a time (1,000 TLS handshakes on a busy machine).
    const joinTimeoutMs = Math.max(60_000, count * 100);
    const timer = setTimeout(() => rejectJoined(new Error(`only ${joined}/${count} clients joined in ${joinTimeoutMs / 1000} s${firstProblem ? `; first problem: ${firstProblem}` : ''}`)), joinTimeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      rejectJoined(error);
    };
    const openMore = () => {
      while (!givenUp && opening < connectWindow && clients.length < count) openClient(clients.length);
    };
    function openClient(i: number): void {
      opening++;
      let settled = false;
      const settle = () => {
        if (settled) return;
        settled = true;
        opening--;
        openMore();
      };
      const ws = new WebSocket(options.url, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024, ...pinned });
      const client: Client = { ws, index: i, joined: false, baseSeq: 0, lastSeq: 0, received: 0, outOfOrder: 0, duplicates: 0, outstanding: 0, historyDone: false, historyMessages: 0 };
      clients.push(client);
      ws.once('upgrade', settle);
      ws.once('close', settle);
      ws.on('error', (error: Error) => {
        firstProblem ??= `client ${i}: ${error.message}`;
        // Another certificate is not a load problem: say so at once rather than after the timeout.
        if (error.name === 'PinMismatchError') fail(error);
      });
      ws.on('message', (data: Buffer) => {
        const text = data.toString('latin1');
        if (text.startsWith(MESSAGE_PREFIX)) return onMessage(client, text);
        // Presence (N² frames in a join storm) is not what is measured: skip it unparsed,
        // so the generator measures the host rather than itself.
        if (text.startsWith(PRESENCE_PREFIX)) return;
        const frame = JSON.parse(text) as { type: string; lastSeq?: number; complete?: boolean; messages?: unknown[] };
        if (frame.type === 'hello') {
          const join: Record<string, unknown> = { type: 'join', v: PROTOCOL_VERSION, name: `bench${i}`, clientId: `benchclient${String(i).padStart(8, '0')}${process.pid}` };
          if (options.since !== undefined) join['since'] = options.since;
          ws.send(JSON.stringify(join));
        } else if (frame.type === 'welcome') {
          client.baseSeq = client.lastSeq = frame.lastSeq ?? 0;
        } else if (frame.type === 'history') {
          client.historyMessages += frame.messages?.length ?? 0;
          const last = (frame.messages?.at(-1) as { seq?: number } | undefined)?.seq;
          if (last !== undefined && last > client.lastSeq) client.lastSeq = last;
          if (frame.complete && !client.historyDone) {
            client.historyDone = true;
            if (++historyDone === count) historyAt = performance.now();
            // Joined = caught up: the host sends live messages only after the history.
            client.joined = true;
            if (++joined === count) {
              joinedAt = performance.now();
              clearTimeout(timer);
              resolveJoined();
            }
          }
        } else if (frame.type === 'ack') {
          acked++;
          client.outstanding--;
          if (sending && mode.kind === 'saturate') send(client);
        } else if (frame.type === 'error') {
          throw new Error(`host refused a bench frame: ${text}`);
        }
      });
    }
    openMore();
  });

  function onMessage(client: Client, text: string): void {
    const seqAt = text.indexOf('"seq":') + 6;
    const seq = Number.parseInt(text.slice(seqAt, text.indexOf(',', seqAt)), 10);
    if (seq <= client.lastSeq) {
      if (seq === client.lastSeq) client.duplicates++;
      else client.outOfOrder++;
      return;
    }
    if (seq !== client.lastSeq + 1) client.outOfOrder++; // a gap: something was skipped
    client.lastSeq = seq;
    client.received++;
    const textAt = text.indexOf('"text":"b|');
    if (textAt >= 0) {
      const start = textAt + 10;
      const latency = performance.now() - Number.parseFloat(text.slice(start, text.indexOf('|', start)));
      if (latencyCount < latencies.length) latencies[latencyCount++] = latency;
      if (latency > maxLatency) maxLatency = latency;
    }
  }

  function send(client: Client): void {
    client.outstanding++;
    const n = ++sent;
    client.ws.send(`{"type":"chat","id":"b${client.index}x${n}","text":"b|${performance.now().toFixed(3)}|${client.index}|${n}"}`);
  }

  try {
    await allJoined;
  } catch (error) {
    givenUp = true;
    for (const c of clients) c.ws.terminate();
    throw error;
  }
  options.onJoined?.();
  senders = clients.slice(0, senderCount);
  const elu0 = performance.eventLoopUtilization();
  const sendStart = performance.now();
  sending = true;

  if (mode.kind === 'rate') {
    await new Promise<void>((resolve) => {
      let next = 0;
      const timer = setInterval(() => {
        const elapsed = (performance.now() - sendStart) / 1000;
        const due = Math.min(Math.floor(elapsed * mode.perSecond), Math.floor(mode.perSecond * mode.seconds));
        while (sent < due) send(senders[next++ % senders.length]!);
        if (elapsed >= mode.seconds) {
          clearInterval(timer);
          resolve();
        }
      }, 2);
    });
  } else if (mode.kind === 'saturate') {
    for (const s of senders) for (let k = 0; k < mode.window; k++) send(s);
    await new Promise((r) => setTimeout(r, mode.seconds * 1000));
  }
  sending = false;
  const sendSeconds = (performance.now() - sendStart) / 1000;
  const elu = performance.eventLoopUtilization(elu0);

  // Drain: until every sent message is acked and every client has every acked message.
  const drainDeadline = performance.now() + options.drainMs;
  while (performance.now() < drainDeadline) {
    const complete = acked >= sent && clients.every((c) => c.received >= acked);
    if (complete && (options.since === undefined || historyDone === count)) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const deliveryEnd = performance.now();

  const delivered = clients.reduce((n, c) => n + Math.min(c.received, acked), 0);
  const expectedDeliveries = acked * count;
  const sorted = latencies.subarray(0, latencyCount).sort();
  const pct = (p: number) => (latencyCount === 0 ? 0 : sorted[Math.min(latencyCount - 1, Math.floor((p / 100) * latencyCount))]!);
  for (const c of clients) c.ws.terminate();
  const result: LoadResult = {
    connections: joined,
    joinMs: joinedAt - started,
    sent,
    acked,
    expectedDeliveries,
    delivered,
    undelivered: expectedDeliveries - delivered,
    outOfOrder: clients.reduce((n, c) => n + c.outOfOrder, 0),
    duplicates: clients.reduce((n, c) => n + c.duplicates, 0),
    sendSeconds,
    deliveriesPerSecond: delivered / Math.max(0.001, (deliveryEnd - sendStart) / 1000),
    latencyMs: { p50: pct(50), p95: pct(95), p99: pct(99), max: maxLatency },
    generatorBusy: elu.utilization,
  };
  if (options.since !== undefined) {
    // From opening the connection to the last history chunk: what a resuming person waits.
    result.historyMs = (historyAt || performance.now()) - started;
    result.historyMessages = clients[0]?.historyMessages ?? 0;
  }
  return result;
}
