// RoomClient against a real host: joining, retries, reconnect with resume, fatal errors.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { startHost } from '../main/host/server.ts';
import { MemoryHistoryStore } from '../main/host/store.ts';
import { startTestHost, until } from '../test/support/host.ts';
import { RoomClient, type ConnectionState, type SocketLike } from './client.ts';
import { randomId } from './ids.ts';
import type { ChatMessage } from './protocol.ts';

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
        ws.send(JSON.stringify({ type: 'welcome', you: { id: 'me', name: 'A', since: 0 }, room: 'Quiet', members: [], lastSeq: 0, topic: '' }));
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

  it('measures round-trip time from its heartbeat', async () => {
    const host = await startTestHost();
    cleanups.push(() => host.dispose());
    const a = makeClient(host.url, 'Alice', { heartbeatMs: 50 });
    const rtts: number[] = [];
    a.client.on('rtt', (ms) => rtts.push(ms));
    a.client.connect();
    await until(() => rtts.length >= 2, 3000, 'heartbeat round trips');
    expect(rtts.every((ms) => ms >= 0 && ms < 1000)).toBe(true);
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
