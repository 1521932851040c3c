// RoomClient against a real host: joining, retries, reconnect with resume, fatal errors.
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { startHost } from '../main/host/server.ts';
import { MemoryHistoryStore } from '../main/host/store/index.ts';
import { startTestHost, until } from '../test/support/host.ts';
import { RoomClient, type ConnectionState, type SocketLike } from './client.ts';
import { randomId } from './ids.ts';
import { PROTOCOL_VERSION, type ChatMessage, type ClientFrame, type ServerFrame } from './protocol.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function makeClient(url: string, name: string, extra: Partial<ConstructorParameters<typeof RoomClient>[0]> = {}) {
  const seen: ChatMessage[] = [];
  const states: ConnectionState['status'][] = [];
  const client = new RoomClient({
    url,
    name,
    clientId: randomId(22),
    createSocket: (u) => new WebSocket(u) as unknown as SocketLike,
    backoff: { baseMs: 20, maxMs: 200 },
    heartbeatMs: 200,
    ...extra,
  });
  client.on('history', (h) => seen.push(...h.messages));
  client.on('message', (m) => seen.push(m));
  client.on('state', (s) => states.push(s.status));
  cleanups.push(() => client.close());
  return { client, seen, states };
}

describe('RoomClient', () => {
  it('joins, sends, and sees its own message acked and broadcast', async () => {
    const host = await startTestHost();
    cleanups.push(() => host.dispose());
    const a = makeClient(host.url, 'Alice');
    const b = makeClient(host.url, 'Bob');
    a.client.connect();
    b.client.connect();
    await until(() => a.client.state.status === 'connected' && b.client.members.length === 2);
    const sent = a.client.send('hi\r\nthere');
    expect(sent.ok).toBe(true);
    await until(() => b.seen.length === 1);
    expect(b.seen[0]).toMatchObject({ text: 'hi\nthere', from: { name: 'Alice' } });
    expect(a.client.pending).toEqual([]);
    expect(a.states).toEqual(['connecting', 'connected']);
  });

  it('refuses text the host would refuse, without sending it', async () => {
    const host = await startTestHost();
    cleanups.push(() => host.dispose());
    const a = makeClient(host.url, 'Alice');
    expect(a.client.send('   ')).toEqual({ ok: false, error: 'message is empty' });
    expect(a.client.send('x'.repeat(4001))).toMatchObject({ ok: false });
  });

  it('reconnects after the host restarts and resumes without loss or duplicates', async () => {
    const store = new MemoryHistoryStore();
    const first = await startHost({ room: 'R', store, port: 0, bind: '127.0.0.1' });
    const port = first.port;
    const url = `ws://127.0.0.1:${port}/ws`;
    const a = makeClient(url, 'Alice');
    const b = makeClient(url, 'Bob');
    a.client.connect();
    b.client.connect();
    await until(() => a.client.state.status === 'connected' && b.client.state.status === 'connected');
    a.client.send('before');
    await until(() => b.seen.length === 1);

    // The host goes away; Alice keeps typing while it is down.
    await first.close(); // the memory store survives: a restart on the same disk
    await until(() => a.client.state.status === 'reconnecting');
    a.client.send('during 1');
    a.client.send('during 2');
    expect(a.client.pending.map((p) => p.text)).toEqual(['during 1', 'during 2']);

    const second = await startHost({ room: 'R', store, port, bind: '127.0.0.1' });
    cleanups.push(() => second.close());
    await until(() => a.client.state.status === 'connected' && a.client.pending.length === 0, 5000, 'resend');
    await until(() => b.seen.length === 3, 5000, 'bob caught up');
    expect(b.seen.map((m) => m.text)).toEqual(['before', 'during 1', 'during 2']);
    expect(a.states).toContain('reconnecting');
  });

  it('sends an outbox of 200 held before it connects: all stored once, in order, by a host with the default rate limit', async () => {
    const store = new MemoryHistoryStore();
    const host = await startTestHost({ store }); // DEFAULT_RATE_LIMIT: a burst of 60
    cleanups.push(() => host.dispose());
    const watcher = makeClient(host.url, 'Watcher');
    watcher.client.connect();
    await until(() => watcher.client.state.status === 'connected');
    // The app's heartbeat (10 s), not the tests' 200 ms: pings count against the host's budget too.
    const a = makeClient(host.url, 'Alice', { heartbeatMs: 10_000 });
    const texts = Array.from({ length: 200 }, (_, i) => `burst ${i + 1}`);
    for (const text of texts) expect(a.client.send(text).ok).toBe(true);
    let mostInFlight = 0;
    a.client.on('ack', () => (mostInFlight = Math.max(mostInFlight, a.client.inFlight)));
    let drained = 0;
    a.client.on('drained', () => drained++);
    a.client.connect();
    await until(() => a.client.pending.length === 0, 18_000, 'every message acked');
    await until(() => watcher.seen.length === 200, 2000, 'the watcher sees all 200');
    expect(watcher.seen.map((m) => m.text)).toEqual(texts);
    expect(store.lastSeq).toBe(200); // stored once each
    expect(a.states).not.toContain('reconnecting'); // never thrown out as a flood
    expect(mostInFlight).toBeLessThanOrEqual(16);
    expect(drained).toBe(1);
  });

  it('takes its own message in the resumed history as its lost ack, and does not send it again', async () => {
    const host = await startTestHost();
    cleanups.push(() => host.dispose());
    const chatsSent: string[] = [];
    let loseNextAck = false;
    // A socket that loses the connection just as an ack arrives, before the client reads it.
    class LossySocket implements SocketLike {
      onopen: SocketLike['onopen'] = null;
      onmessage: SocketLike['onmessage'] = null;
      onclose: SocketLike['onclose'] = null;
      onerror: SocketLike['onerror'] = null;
      readonly #ws: WebSocket;
      constructor(url: string) {
        this.#ws = new WebSocket(url);
        this.#ws.onopen = (e) => this.onopen?.(e);
        this.#ws.onerror = (e) => this.onerror?.(e);
        this.#ws.onclose = (e) => this.onclose?.({ code: e.code, reason: e.reason });
        this.#ws.onmessage = (e) => {
          if (loseNextAck && String(e.data).startsWith('{"type":"ack"')) {
            loseNextAck = false;
            this.#ws.terminate();
            return;
          }
          this.onmessage?.({ data: e.data });
        };
      }
      get readyState() {
        return this.#ws.readyState;
      }
      send(data: string) {
        if (data.includes('"type":"chat"')) chatsSent.push(data);
        this.#ws.send(data);
      }
      close(code?: number, reason?: string) {
        this.#ws.close(code, reason);
      }
    }
    const a = makeClient(host.url, 'Alice', { createSocket: (u) => new LossySocket(u) });
    const b = makeClient(host.url, 'Bob');
    const acks: number[] = [];
    a.client.on('ack', (ack) => acks.push(ack.seq));
    a.client.connect();
    b.client.connect();
    await until(() => a.client.state.status === 'connected' && b.client.state.status === 'connected');
    a.client.send('first');
    await until(() => acks.length === 1);

    loseNextAck = true;
    a.client.send('ack lost');
    await until(() => a.states.includes('reconnecting'), 5000, 'the drop');
    await until(() => a.client.state.status === 'connected' && a.client.pending.length === 0, 5000, 'settled');
    expect(acks).toHaveLength(2);
    expect(chatsSent).toHaveLength(2); // never sent again
    a.client.send('after');
    await until(() => b.seen.length === 3, 5000, 'bob sees all three');
    expect(b.seen.map((m) => m.text)).toEqual(['first', 'ack lost', 'after']);
  });

  it('stops for good on a fatal join error and says why', async () => {
    const host = await startTestHost();
    cleanups.push(() => host.dispose());
    const a = makeClient(host.url, 'Alice');
    a.client.connect();
    await until(() => a.client.state.status === 'connected');
    const clash = makeClient(host.url, 'ALICE');
    clash.client.connect();
    await until(() => clash.client.state.status === 'closed');
    expect(clash.client.state).toMatchObject({ status: 'closed', code: 'name_taken' });
    await new Promise((r) => setTimeout(r, 300));
    expect(clash.states.filter((s) => s === 'connecting')).toHaveLength(1); // no retry loop
    // It can try again with another name.
    clash.client.connect({ name: 'Alicia' });
    await until(() => clash.client.state.status === 'connected');
    expect(clash.client.me?.name).toBe('Alicia');
  });

  it('joins a password room with the password and is refused without it', async () => {
    const host = await startTestHost({ password: 'open sesame' });
    cleanups.push(() => host.dispose());
    const without = makeClient(host.url, 'NoPass');
    without.client.connect();
    await until(() => without.client.state.status === 'closed');
    expect(without.client.state).toMatchObject({ code: 'password_required' });
    const wrong = makeClient(host.url, 'Wrong', { password: 'open says me' });
    wrong.client.connect();
    await until(() => wrong.client.state.status === 'closed');
    expect(wrong.client.state).toMatchObject({ code: 'bad_password', reason: 'Wrong password.' });
    const right = makeClient(host.url, 'Right', { password: 'open sesame' });
    right.client.connect();
    await until(() => right.client.state.status === 'connected');
  });

  it('notices a host that has gone silent through its own heartbeat', async () => {
    // A host that greets and then never says another word: what a dead Wi-Fi link looks like.
    const silent = new WebSocketServer({ port: 0, host: '127.0.0.1', path: '/ws' });
    await new Promise((r) => silent.once('listening', r));
    cleanups.push(() => new Promise((r) => silent.close(r)));
    silent.on('connection', (ws) => {
      ws.send(JSON.stringify({ type: 'hello', v: 1, room: 'Quiet', passwordRequired: false, nonce: 'n', salt: 's' }));
      ws.once('message', () => {
        ws.send(JSON.stringify({ type: 'welcome', you: { id: 'me', name: 'A', since: 0 }, room: 'Quiet', members: [], lastSeq: 0, historyId: 'h1', topic: '' }));
        ws.send(JSON.stringify({ type: 'history', messages: [], mode: 'latest', complete: true }));
      });
    });
    const port = (silent.address() as { port: number }).port;
    const a = makeClient(`ws://127.0.0.1:${port}/ws`, 'A', { heartbeatMs: 100 });
    const reasons: string[] = [];
    a.client.on('state', (s) => {
      if (s.status === 'reconnecting') reasons.push(s.reason);
    });
    a.client.connect();
    await until(() => a.client.state.status === 'connected');
    await until(() => reasons.length > 0, 3000, 'the client to give up on the silent host');
    expect(reasons[0]).toBe('no answer from the host');
  });

  it('keeps a quiet connection alive with its heartbeat, the host answering each ping', async () => {
    // (The client no longer reports round-trip times: nothing used them. What the heartbeat
    // is for stays checked: a host that answers is never taken for a silent one.)
    const host = await startTestHost();
    cleanups.push(() => host.dispose());
    const a = makeClient(host.url, 'Alice', { heartbeatMs: 50 });
    a.client.connect();
    await until(() => a.client.state.status === 'connected');
    await new Promise((r) => setTimeout(r, 400)); // eight intervals, three times the silence allowed
    expect(a.states).toEqual(['connecting', 'connected']);
  });
});

describe('the room password on the wire', () => {
  it('never appears in any frame, in either direction, nor does the key derived from it', async () => {
    const { derivePasswordKey } = await import('./password.ts');
    const password = 'correct horse battery staple';
    const host = await startTestHost({ password });
    cleanups.push(() => host.dispose());
    const wire: string[] = [];
    const client = new RoomClient({
      url: host.url,
      name: 'Careful',
      clientId: randomId(22),
      password,
      createSocket: (u) => {
        const ws = new WebSocket(u);
        const send = ws.send.bind(ws);
        ws.send = ((data: string) => {
          wire.push(String(data));
          send(data);
        }) as typeof ws.send;
        ws.on('message', (d) => wire.push(String(d)));
        return ws as unknown as SocketLike;
      },
    });
    cleanups.push(() => client.close());
    client.connect();
    await until(() => client.state.status === 'connected');
    client.send('hello');
    await until(() => client.pending.length === 0);
    const hello = wire.find((f) => f.includes('"hello"'))!;
    const salt = (JSON.parse(hello) as { salt: string }).salt;
    const keyHex = Buffer.from(derivePasswordKey(password, salt)).toString('hex');
    const everything = wire.join('\n');
    expect(wire.length).toBeGreaterThan(4);
    expect(everything).toContain('"proof"');
    for (const secret of [password, 'horse', Buffer.from(password).toString('base64'), Buffer.from(password).toString('hex'), keyHex]) {
      expect(everything.includes(secret), secret).toBe(false);
    }
  });
});

/** A socket the test drives by hand: it records what the client sends and delivers what the test says. */
class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: ClientFrame[] = [];
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  send(data: string): void {
    this.sent.push(JSON.parse(data) as ClientFrame);
  }
  close(): void {
    this.readyState = 3;
  }
  receive(frame: ServerFrame): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.({ code: 1006, reason: '' });
  }
  /** The chat frames sent so far, as their ids. */
  chats(): string[] {
    return this.sent.flatMap((f) => (f.type === 'chat' ? [f.id] : []));
  }
  joins(): Array<Extract<ClientFrame, { type: 'join' }>> {
    return this.sent.filter((f): f is Extract<ClientFrame, { type: 'join' }> => f.type === 'join');
  }
}

describe('RoomClient flow control and history (a fake socket)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function fakeClient(extra: Partial<ConstructorParameters<typeof RoomClient>[0]> = {}) {
    const sockets: FakeSocket[] = [];
    const client = new RoomClient({
      url: 'ws://fake/ws',
      name: 'Alice',
      clientId: randomId(22),
      createSocket: () => {
        const socket = new FakeSocket();
        sockets.push(socket);
        return socket;
      },
      random: () => 0,
      retryDelayMs: 100,
      backoff: { baseMs: 10, maxMs: 10 },
      ...extra,
    });
    cleanups.push(() => client.close());
    const socket = () => sockets.at(-1)!;
    /** Open the latest socket and answer its join: welcome, then a complete history page. */
    function join(welcome: { lastSeq?: number; historyId?: string } = {}, history: ChatMessage[] = [], mode: 'latest' | 'resume' = 'latest') {
      const s = socket();
      s.readyState = 1;
      s.onopen?.({});
      s.receive({ type: 'hello', v: PROTOCOL_VERSION, room: 'Fake', passwordRequired: false, nonce: 'n', salt: 's' });
      s.receive({
        type: 'welcome',
        you: { id: 'me', name: 'Alice', since: 0 },
        room: 'Fake',
        members: [{ id: 'me', name: 'Alice', since: 0 }],
        lastSeq: welcome.lastSeq ?? 0,
        historyId: welcome.historyId ?? 'h1',
        topic: '',
      });
      s.receive({ type: 'history', messages: history, mode, complete: true });
      return s;
    }
    return { client, socket, join };
  }

  function typed(client: RoomClient, count: number, text = (i: number) => `m${i}`): string[] {
    return Array.from({ length: count }, (_, i) => {
      const sent = client.send(text(i));
      if (!sent.ok) throw new Error(sent.error);
      return sent.id;
    });
  }

  it('never has more than the window on the wire, and lets the next one go on each ack, in the order typed', () => {
    const { client, join } = fakeClient({ window: { messages: 4, bytes: 1024 * 1024 } });
    const ids = typed(client, 10);
    client.connect();
    const s = join();
    expect(s.chats()).toEqual(ids.slice(0, 4));
    expect(client.inFlight).toBe(4);
    s.receive({ type: 'ack', id: ids[0]!, seq: 1 });
    expect(s.chats()).toEqual(ids.slice(0, 5));
    for (let i = 1; i < 10; i++) {
      s.receive({ type: 'ack', id: ids[i]!, seq: i + 1 });
      expect(client.inFlight).toBeLessThanOrEqual(4);
    }
    expect(s.chats()).toEqual(ids); // each sent once, in order
    expect(client.pending).toEqual([]);
  });

  it('counts bytes too: long messages go a few at a time, and one longer than the window still goes alone', () => {
    const { client, join } = fakeClient({ window: { messages: 16, bytes: 5000 } });
    const ids = typed(client, 4, (i) => (i === 3 ? 'é'.repeat(4000) : `${i}`.repeat(2000)));
    client.connect();
    const s = join();
    expect(s.chats()).toEqual(ids.slice(0, 2)); // two frames of ~2 KB fit in 5,000 bytes, three do not
    s.receive({ type: 'ack', id: ids[0]!, seq: 1 });
    s.receive({ type: 'ack', id: ids[1]!, seq: 2 });
    expect(s.chats()).toEqual(ids.slice(0, 3)); // the 8 KB one waits for the window to empty
    s.receive({ type: 'ack', id: ids[2]!, seq: 3 });
    expect(s.chats()).toEqual(ids);
  });

  it('on rate_limited without an id, sends everything on the wire again after the backoff, and nothing new before', () => {
    vi.useFakeTimers();
    const { client, join } = fakeClient({ window: { messages: 3, bytes: 1024 * 1024 } });
    const ids = typed(client, 5);
    const errors: string[] = [];
    client.on('error', (e) => errors.push(e.code));
    const failed: string[] = [];
    client.on('failed', (f) => failed.push(f.id));
    client.connect();
    const s = join();
    expect(s.chats()).toEqual(ids.slice(0, 3));
    s.receive({ type: 'error', code: 'rate_limited', message: 'slow down', ref: {} });
    vi.advanceTimersByTime(99);
    expect(s.chats()).toHaveLength(3); // held: nothing again, nothing new
    vi.advanceTimersByTime(1);
    expect(s.chats()).toEqual([...ids.slice(0, 3), ...ids.slice(0, 3)]); // the same ids, in order
    for (const [i, id] of ids.entries()) s.receive({ type: 'ack', id, seq: i + 1 });
    expect(s.chats().slice(6)).toEqual(ids.slice(3));
    expect(client.pending).toEqual([]);
    expect(errors).toEqual(['rate_limited']);
    expect(failed).toEqual([]); // "later", never "failed"
  });

  it('leaves the outbox alone when the host cannot answer a history request', () => {
    vi.useFakeTimers();
    const { client, join } = fakeClient({ window: { messages: 3, bytes: 1024 * 1024 } });
    const ids = typed(client, 5);
    client.connect();
    const s = join();
    s.receive({ type: 'error', code: 'rate_limited', message: 'at most 4 history requests may wait', ref: { type: 'fetch_history' } });
    s.receive({ type: 'error', code: 'store_unavailable', message: 'cannot read', ref: { type: 'fetch_history' } });
    s.receive({ type: 'ack', id: ids[0]!, seq: 1 });
    // Not held, nothing resent: the next message goes at once on the ack.
    expect(s.chats()).toEqual(ids.slice(0, 4));
    vi.advanceTimersByTime(10_000);
    expect(s.chats()).toEqual(ids.slice(0, 4));
  });

  it('on rate_limited or store_unavailable naming a message, sends that one again later; a message refused as invalid fails and is never retried', () => {
    vi.useFakeTimers();
    const { client, join } = fakeClient();
    const ids = typed(client, 3);
    const failed: string[] = [];
    client.on('failed', (f) => failed.push(f.id));
    client.connect();
    const s = join();
    s.receive({ type: 'error', code: 'store_unavailable', message: 'disk full', ref: { type: 'chat', id: ids[1]! } });
    s.receive({ type: 'error', code: 'no_such_member', message: 'nobody called "x"', ref: { type: 'chat', id: ids[2]! } });
    expect(failed).toEqual([ids[2]]);
    vi.advanceTimersByTime(300); // store_unavailable waits three times the delay
    expect(s.chats()).toEqual([...ids, ids[1]]);
    vi.advanceTimersByTime(60_000);
    expect(s.chats().filter((id) => id === ids[2])).toHaveLength(1);
    expect(client.pending.map((p) => p.id)).toEqual([ids[0], ids[1]]);
  });

  it('backs off longer while the host keeps saying "later", and starts short again after an ack', () => {
    vi.useFakeTimers();
    const { client, join } = fakeClient();
    const [id] = typed(client, 1);
    client.connect();
    const s = join();
    const limited = () => s.receive({ type: 'error', code: 'rate_limited', message: 'slow down', ref: { id: id! } });
    limited();
    vi.advanceTimersByTime(100);
    expect(s.chats()).toHaveLength(2);
    limited();
    vi.advanceTimersByTime(199);
    expect(s.chats()).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(s.chats()).toHaveLength(3);
    s.receive({ type: 'ack', id: id!, seq: 1 });
    const [next] = typed(client, 1);
    s.receive({ type: 'error', code: 'rate_limited', message: 'slow down', ref: { id: next! } });
    vi.advanceTimersByTime(100);
    expect(s.chats().at(-1)).toBe(next);
    expect(s.chats()).toHaveLength(5);
  });

  it('sends again, after the backoff, messages an older host dropped without a word (a later one was acked first)', () => {
    vi.useFakeTimers();
    const { client, join } = fakeClient();
    const ids = typed(client, 4);
    client.connect();
    const s = join();
    // The host took the first, dropped the second and third over its budget, took the fourth.
    s.receive({ type: 'ack', id: ids[0]!, seq: 1 });
    s.receive({ type: 'ack', id: ids[3]!, seq: 2 });
    expect(s.chats()).toHaveLength(4);
    vi.advanceTimersByTime(100);
    expect(s.chats()).toEqual([...ids, ids[1], ids[2]]);
  });

  it('sends a message again when its ack has not come for ackTimeoutMs on a live connection', () => {
    vi.useFakeTimers();
    const { client, join } = fakeClient({ ackTimeoutMs: 1000, heartbeatMs: 60_000 });
    const [id] = typed(client, 1);
    client.connect();
    const s = join();
    vi.advanceTimersByTime(999);
    expect(s.chats()).toEqual([id]);
    vi.advanceTimersByTime(1);
    expect(s.chats()).toEqual([id, id]); // the same id: the host acks a retry, it does not store it twice
    s.receive({ type: 'ack', id: id!, seq: 1 });
    vi.advanceTimersByTime(5000);
    expect(s.chats()).toEqual([id, id]);
  });

  it('after a reconnect, sends the outbox again from the start once history has settled what was stored', () => {
    const { client, join, socket } = fakeClient({ window: { messages: 2, bytes: 1024 * 1024 } });
    const ids = typed(client, 3);
    client.connect();
    const first = join();
    expect(first.chats()).toEqual(ids.slice(0, 2));
    first.drop();
    return until(() => socket() !== first, 1000, 'the reconnect').then(() => {
      // The resume shows the first one stored (its ack was lost): the rest goes, window by window.
      const stored: ChatMessage = { seq: 1, id: ids[0]!, from: { id: 'me', name: 'Alice' }, text: 'm0', ts: 1, kind: 'text' };
      const second = join({ lastSeq: 1 }, [stored], 'resume');
      expect(second.joins()[0]).toMatchObject({ since: 0, historyId: 'h1' });
      expect(second.chats()).toEqual(ids.slice(1, 3));
    });
  });

  it('starts again from seq 0 when the host has another history, and shows its messages', () => {
    const { client, join, socket } = fakeClient({ lastSeq: 50, historyId: 'old-history' });
    const resets: unknown[] = [];
    client.on('reset', (r) => resets.push(r));
    const live: number[] = [];
    client.on('message', (m) => live.push(m.seq));
    client.connect();
    const s = join({ lastSeq: 3, historyId: 'new-history' }, [1, 2, 3].map((seq) => ({ seq, id: `x${seq}`, from: { id: 'bob', name: 'Bob' }, text: 'hi', ts: 1, kind: 'text' as const })));
    expect(s.joins()[0]).toMatchObject({ since: 50, historyId: 'old-history' }); // what it knew, for the host to judge
    expect(resets).toEqual([{ reason: 'new_history', previousLastSeq: 50, historyId: 'new-history' }]);
    expect(client.historyId).toBe('new-history');
    expect(client.lastSeq).toBe(3);
    s.receive({ type: 'message', message: { seq: 4, id: 'x4', from: { id: 'bob', name: 'Bob' }, text: 'new', ts: 2, kind: 'text' } });
    expect(live).toEqual([4]); // not hidden as "already seen"
    expect(socket()).toBe(s);
  });

  it('starts again from seq 0 when the same history is behind what it saw (the host lost its tail)', () => {
    const { client, join } = fakeClient({ lastSeq: 40, historyId: 'h1' });
    const resets: unknown[] = [];
    client.on('reset', (r) => resets.push(r));
    const live: number[] = [];
    client.on('message', (m) => live.push(m.seq));
    client.connect();
    const s = join({ lastSeq: 10, historyId: 'h1' });
    expect(resets).toEqual([{ reason: 'behind', previousLastSeq: 40, historyId: 'h1' }]);
    s.receive({ type: 'message', message: { seq: 11, id: 'x11', from: { id: 'bob', name: 'Bob' }, text: 'new', ts: 2, kind: 'text' } });
    expect(live).toEqual([11]);
  });

  it('keeps its place when the history is the same one', () => {
    const { client, join } = fakeClient({ lastSeq: 5, historyId: 'h1' });
    const resets: unknown[] = [];
    client.on('reset', (r) => resets.push(r));
    client.connect();
    join({ lastSeq: 9, historyId: 'h1' });
    expect(resets).toEqual([]);
    expect(client.lastSeq).toBe(5);
  });

  it('can still talk when the host cannot read its history, and says so', () => {
    const { client, socket } = fakeClient();
    const errors: string[] = [];
    client.on('error', (e) => errors.push(`${e.code} ${e.ref.type}`));
    const [id] = typed(client, 1);
    client.connect();
    const s = socket();
    s.readyState = 1;
    s.onopen?.({});
    s.receive({ type: 'hello', v: PROTOCOL_VERSION, room: 'Fake', passwordRequired: false, nonce: 'n', salt: 's' });
    s.receive({ type: 'welcome', you: { id: 'me', name: 'Alice', since: 0 }, room: 'Fake', members: [], lastSeq: 7, historyId: 'h1', topic: '' });
    s.receive({ type: 'error', code: 'store_unavailable', message: 'history unavailable', ref: { type: 'join' } });
    expect(errors).toEqual(['store_unavailable join']);
    expect(s.chats()).toEqual([id]);
  });
});
