// The load generator speaks what the host speaks. It writes the protocol version out rather
// than loading the schema module (valibot and every schema cost a saturated generator its
// p99: 35 → 55 ms in the broadcast scenario); the first test keeps the two the same. The
// others run the generator at a tiny scale against a real host with TLS, through the
// recording relay that stands in for a capture: the *-tls scenarios of `npm run bench`
// measure what they say (encrypted, pinned, every message delivered).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PROTOCOL_VERSION as generatorVersion, runLoad, type LoadOptions } from '../bench/load.ts';
import { PROTOCOL_VERSION } from '../common/protocol.ts';
import { pinnedTlsConnect } from '../main/discovery/identity-probe.ts';
import { loadOrCreateIdentity, type LoadedIdentity } from '../main/host/identity.ts';
import { startTestHost, tempDir, until } from './support/host.ts';
import { startRecordingProxy, type RecordingProxy } from './support/recording-proxy.ts';

it('the benchmark speaks the protocol version the host does', () => {
  expect(generatorVersion).toBe(PROTOCOL_VERSION);
});

describe('the load generator on TLS', () => {
  const dir = tempDir('hearth-bench-tls-');
  let identity: LoadedIdentity;
  let other: LoadedIdentity;
  let host: Awaited<ReturnType<typeof startTestHost>>;

  beforeAll(async () => {
    identity = await loadOrCreateIdentity(`${dir.path}/host`);
    other = await loadOrCreateIdentity(`${dir.path}/other`);
    // Two pending connections per address: the generator's connect window must respect it.
    host = await startTestHost({ tls: { key: identity.key, cert: identity.cert }, maxPendingPerAddress: 2 });
  });
  afterAll(async () => {
    await host.dispose();
    dir.remove();
  });

  /** Five clients, two of them sending 20 messages a second for two seconds, through a capture. */
  async function smallLoad(proxy: RecordingProxy, extra: Partial<LoadOptions>): Promise<Awaited<ReturnType<typeof runLoad>>> {
    return runLoad({
      url: `ws://127.0.0.1:${proxy.port}/ws`,
      clients: 5,
      senders: 2,
      mode: { kind: 'rate', perSecond: 20, seconds: 2 },
      drainMs: 5_000,
      connectWindow: 1,
      ...extra,
    });
  }

  it('delivers every message to every client, pinned, and nothing crosses in clear', async () => {
    const capture = await startRecordingProxy({ host: '127.0.0.1', port: host.port });
    try {
      const r = await smallLoad(capture, { url: `wss://127.0.0.1:${capture.port}/ws`, tls: { fingerprint: identity.fingerprint } });
      expect(r.connections).toBe(5);
      expect(r.sent).toBe(40);
      expect(r.acked).toBe(40);
      expect({ undelivered: r.undelivered, outOfOrder: r.outOfOrder, duplicates: r.duplicates }).toEqual({ undelivered: 0, outOfOrder: 0, duplicates: 0 });
      expect(r.delivered).toBe(200);
      expect(r.latencyMs.max).toBeGreaterThan(0);
      // The capture holds at least the 200 deliveries' bytes, and none of them readable (what
      // clients send is masked anyway: the host's frames are the ones a plain capture reads).
      expect(capture.received().length).toBeGreaterThan(200 * 100);
      expect(capture.saw('"type":"message"')).toBe(false);
      expect(capture.saw('"text":"b|')).toBe(false);
      expect(capture.saw('bench0')).toBe(false);
    } finally {
      await capture.close();
    }
  });

  it('is read in clear by the same capture when plain (what the TLS test rules out)', async () => {
    const capture = await startRecordingProxy({ host: '127.0.0.1', port: host.port });
    try {
      const r = await smallLoad(capture, {});
      expect(r.undelivered).toBe(0);
      expect(capture.saw('"type":"message"')).toBe(true);
      expect(capture.saw('"text":"b|')).toBe(true);
      expect(capture.saw('bench0')).toBe(true);
    } finally {
      await capture.close();
    }
  });

  // The host writes one client's frames of a turn together (ws-peer.ts: corked, one writev);
  // over TLS that must stay one record, not one per frame, or every frame pays a record's
  // cost (Node 24's TLS socket joins a writev's buffers before encrypting them).
  it("a turn's frames reach a TLS client as one record, not one each", async () => {
    const capture = await startRecordingProxy({ host: '127.0.0.1', port: host.port });
    const reader = await joined(`wss://127.0.0.1:${capture.port}/ws`, 'reader');
    const writer = await joined(`wss://127.0.0.1:${host.port}/ws`, 'writer');
    try {
      await until(() => reader.texts.some((t) => t.includes('"member_joined"') && t.includes('"writer"')), 5_000, 'the reader to see the writer arrive');
      const mark = capture.received().length;
      // Sent in one go: the host reads them in one or two turns and sends each turn's on together.
      for (let i = 0; i < 20; i++) writer.ws.send(JSON.stringify({ type: 'chat', id: `burst${i}`, text: `burst message ${i}` }));
      await until(() => reader.texts.filter((t) => t.includes('burst message')).length === 20, 5_000, 'the reader to get all 20');
      await until(() => capture.received().length > mark, 1_000, 'the capture to have them');
      const records = tlsRecordsFrom(capture.received(), mark);
      expect(records.every((r) => r.type === APPLICATION_DATA)).toBe(true);
      expect(records.length).toBeGreaterThan(0);
      expect(records.length).toBeLessThanOrEqual(4);
    } finally {
      reader.ws.terminate();
      writer.ws.terminate();
      await capture.close();
    }
  });

  /** A pinned client that has joined and caught up; keeps every text frame. */
  async function joined(url: string, name: string): Promise<{ ws: WebSocket; texts: string[] }> {
    const ws = new WebSocket(url, { createConnection: pinnedTlsConnect(identity.fingerprint) as never });
    const texts: string[] = [];
    ws.on('message', (data: Buffer) => {
      const text = data.toString();
      texts.push(text);
      if (text.startsWith('{"type":"hello"')) ws.send(JSON.stringify({ type: 'join', v: PROTOCOL_VERSION, name, clientId: `${name}client0000000001` }));
    });
    ws.on('error', () => {});
    await until(() => texts.some((t) => t.startsWith('{"type":"history"') && t.includes('"complete":true')), 5_000, `${name} to join`);
    return { ws, texts };
  }

  it('stops at once, saying so, when the host presents another certificate', async () => {
    const started = Date.now();
    await expect(runLoad({ url: `wss://127.0.0.1:${host.port}/ws`, tls: { fingerprint: other.fingerprint }, clients: 3, senders: 1, mode: { kind: 'idle' }, drainMs: 0 })).rejects.toThrow(
      /presented certificate [0-9a-f]{64}, not the pinned/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

/** TLS record content type of application data (RFC 8446 §5.1), what every record after the handshake is. */
const APPLICATION_DATA = 23;

/** The TLS records in a byte stream that starts at a record boundary, those starting at `from` or later. */
function tlsRecordsFrom(stream: Buffer, from: number): Array<{ type: number; length: number }> {
  const records: Array<{ type: number; length: number }> = [];
  let at = 0;
  while (at + 5 <= stream.length) {
    const length = stream.readUInt16BE(at + 3);
    if (at >= from) records.push({ type: stream[at]!, length });
    at += 5 + length;
  }
  return records;
}
