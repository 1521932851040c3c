import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '../../common/protocol.ts';
import { FrameClient, startTestHost, until } from '../../test/support/host.ts';

type TestHost = Awaited<ReturnType<typeof startTestHost>>;
let host: TestHost;
const clients: FrameClient[] = [];

async function join(name: string): Promise<FrameClient> {
  const client = await FrameClient.join(host.url, name);
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await host?.dispose();
});

describe('http', () => {
  it('answers /health with the room, version, members and uptime', async () => {
    host = await startTestHost({ room: 'Kitchen' });
    await join('Alice');
    const res = await fetch(`http://127.0.0.1:${host.port}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ ok: true, app: 'hearth', room: 'Kitchen', version: PROTOCOL_VERSION, members: 1, passwordRequired: false });
    expect(typeof body.uptime).toBe('number');
  });

  it('answers unknown paths with 404 and refuses upgrades outside /ws', async () => {
    host = await startTestHost();
    expect((await fetch(`http://127.0.0.1:${host.port}/nope`)).status).toBe(404);
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/elsewhere`);
    const status = await new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(404);
  });
});

describe('bad input', () => {
  const cases: Array<[string, string, string, RegExp]> = [
    ['not JSON', '{"type":"chat",', 'bad_json', /not valid JSON/],
    ['a JSON array', '[1,2,3]', 'bad_frame', /JSON object/],
    ['a JSON string', '"hello"', 'bad_frame', /JSON object/],
    ['no type', '{"id":"x"}', 'bad_frame', /no "type"/],
    ['an unknown type', '{"type":"explode"}', 'unknown_type', /unknown frame type "explode"/],
    ['a prototype-ish type', '{"type":"__proto__"}', 'unknown_type', /unknown frame type/],
    ['an unknown field', '{"type":"chat","id":"a","text":"hi","admin":true}', 'bad_frame', /unknown field "admin"/],
    ['a wrong type', '{"type":"chat","id":"a","text":42}', 'bad_frame', /chat\.text/],
    ['a missing field', '{"type":"chat","id":"a"}', 'bad_frame', /chat\.text/],
    ['a bad id', '{"type":"chat","id":"<script>","text":"hi"}', 'bad_frame', /chat\.id/],
    ['deep nesting', `{"type":"chat","id":"a","text":${'['.repeat(5000)}${']'.repeat(5000)}}`, 'bad_frame', /chat\.text/],
  ];

  it.each(cases)('answers %s with an error naming the problem and keeps the room running', async (_what, raw, code, message) => {
    host = await startTestHost();
    const alice = await join('Alice');
    const bob = await join('Bob');
    bob.sendRaw(raw);
    const error = await bob.next('error');
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    // The connection survives and the room still works for everyone.
    bob.send({ type: 'chat', id: 'ok', text: 'still here' });
    expect((await alice.next('message')).message.text).toBe('still here');
  });

  it('names the frame an error is about', async () => {
    host = await startTestHost();
    const alice = await join('Alice');
    alice.sendRaw('{"type":"chat","id":"abc","text":""}');
    expect((await alice.next('error')).ref).toEqual({ type: 'chat', id: 'abc' });
  });

  it('refuses binary frames with an error', async () => {
    host = await startTestHost();
    const alice = await join('Alice');
    alice.sendRaw(Buffer.from([1, 2, 3]), true);
    expect((await alice.next('error')).code).toBe('binary_unsupported');
    expect(alice.closed).toBeUndefined();
  });

  it('closes a connection that sends a frame over 64 KiB with 1009, and only that one', async () => {
    host = await startTestHost();
    const alice = await join('Alice');
    const bob = await join('Bob');
    bob.sendRaw(JSON.stringify({ type: 'chat', id: 'big', text: 'x'.repeat(70 * 1024) }));
    expect((await bob.waitClosed()).code).toBe(1009);
    const carol = await join('Carol');
    carol.send({ type: 'chat', id: 'c', text: 'fine' });
    expect((await alice.next('message')).message.text).toBe('fine');
  });

  it('refuses messages before joining', async () => {
    host = await startTestHost();
    const visitor = await FrameClient.connect(host.url);
    clients.push(visitor);
    visitor.send({ type: 'chat', id: 'a', text: 'hi' });
    expect(await visitor.next('error')).toMatchObject({ code: 'not_joined', ref: { type: 'chat' } });
  });

  it('closes a connection that keeps sending garbage', async () => {
    host = await startTestHost({ maxBadFrames: 10, rateLimit: { burst: 1000, perSecond: 1000 } });
    const alice = await join('Alice');
    const bad = await join('Bad');
    for (let i = 0; i < 20; i++) bad.sendRaw('nope');
    expect((await bad.waitClosed()).code).toBe(1008);
    alice.send({ type: 'chat', id: 'x', text: 'room is fine' });
    expect((await alice.next('message')).message.text).toBe('room is fine');
  });
});

describe('limits', () => {
  it('slows a flood down instead of dropping it: every frame handled, in order, nobody closed', async () => {
    host = await startTestHost({ rateLimit: { burst: 5, perSecond: 20 }, maxBadFrames: 10 });
    const alice = await join('Alice');
    const flooder = await join('Flooder');
    const started = Date.now();
    for (let i = 0; i < 30; i++) flooder.send({ type: 'chat', id: `f${i}`, text: `flood ${i}` });
    await new Promise((r) => setTimeout(r, 300));
    // The host stopped reading after the burst: at most the burst and what 300 ms earned.
    expect(alice.frames.filter((f) => f.type === 'message').length).toBeLessThanOrEqual(5 + 8);
    await until(() => alice.frames.filter((f) => f.type === 'message').length === 30, 5000, 'all 30 messages');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // 25 over the burst at 20 a second
    const texts = alice.frames.flatMap((f) => (f.type === 'message' ? [f.message.text] : []));
    expect(texts).toEqual(Array.from({ length: 30 }, (_, i) => `flood ${i}`));
    expect(flooder.frames.filter((f) => f.type === 'error')).toEqual([]); // later is not lost, and not an error
    expect(flooder.closed).toBeUndefined();
    expect(host.room.stats.activity().some((e) => e.kind === 'rate_limit' && /Slowed Flooder/.test(e.text))).toBe(true);
  });

  it('disconnects a client that stops reading instead of buffering for it', async () => {
    host = await startTestHost({ maxBufferedBytes: 256 * 1024, rateLimit: { burst: 10_000, perSecond: 10_000 }, byteRateLimit: { burst: 1e9, perSecond: 1e9 } });
    const sender = await join('Sender');
    const slow = await join('Slow');
    // Stop reading: the kernel buffers fill, then the host's buffer grows.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const text = 'y'.repeat(3900);
    let sent = 0;
    const deadline = Date.now() + 15_000;
    while (host.room.memberCount === 2 && sent < 8000 && Date.now() < deadline) {
      for (let i = 0; i < 50; i++) sender.send({ type: 'chat', id: `s${sent++}`, text });
      await new Promise((r) => setTimeout(r, 5));
    }
    await until(() => host.room.memberCount === 1, 5000, 'the slow client to be dropped');
    expect(host.room.people().map((m) => m.name)).toEqual(['Sender']);
    // The well-behaved sender is unaffected.
    sender.send({ type: 'chat', id: 'after', text: 'still fine' });
    await sender.take((f): f is Extract<typeof f, { type: 'ack' }> => f.type === 'ack' && f.id === 'after', 10_000);
  });

  it('does not mistake a big burst to a healthy reader for a slow consumer', async () => {
    host = await startTestHost({ maxBufferedBytes: 64 * 1024, rateLimit: { burst: 10_000, perSecond: 10_000 }, byteRateLimit: { burst: 1e9, perSecond: 1e9 } });
    const reader = await join('Reader');
    const writer = await join('Writer');
    // 100 × 3.9 KB in one turn: six times the bound, but the reader is reading.
    for (let i = 0; i < 100; i++) writer.send({ type: 'chat', id: `b${i}`, text: 'z'.repeat(3900) });
    await until(() => reader.frames.filter((f) => f.type === 'message').length === 100, 10_000, 'all 100 messages');
    expect(host.room.memberCount).toBe(2);
  });

  it('caps connections from one address', async () => {
    host = await startTestHost({ maxConnectionsPerAddress: 3 });
    for (let i = 0; i < 3; i++) await join(`P${i}`);
    const ws = new WebSocket(host.url);
    const status = await new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(429);
  });

  it('drops a connection that stops answering heartbeats, freeing its name', async () => {
    host = await startTestHost({ heartbeatMs: 100 });
    const alice = await join('Alice');
    const ghost = await join('Ghost');
    (ghost.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const left = await alice.next('member_left', 3000);
    expect(left).toMatchObject({ member: { name: 'Ghost' }, reason: 'timeout' });
    const again = await join('Ghost');
    expect(again.welcome?.you.name).toBe('Ghost');
  });
});

describe('origins', () => {
  it('refuses WebSockets from pages of other origins, and accepts its own page, the app and non-browsers', async () => {
    host = await startTestHost();
    const status = (origin?: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(host.url, origin ? { origin } : {});
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('error', () => {});
      });
    expect(await status('https://evil.example')).toBe(403);
    expect(await status('http://192.168.1.7:47800')).toBe(403); // another host's page
    expect(await status('null')).toBe(403);
    expect(await status(`http://127.0.0.1:${host.port}`)).toBe(101); // the page this host served
    expect(await status('app://hearth')).toBe(101); // the desktop app
    expect(await status()).toBe(101); // the CLI and other non-browser clients send no Origin
  });
});
