import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type ChatMessage } from '../../common/protocol.ts';
import { derivePasswordKey, passwordProof } from '../../common/password.ts';
import { FrameClient, startTestHost, tempDir, until } from '../../test/support/host.ts';
import { MemoryHistoryStore, SqliteHistoryStore, StoreError, type NewMessage } from './store/index.ts';

type TestHost = Awaited<ReturnType<typeof startTestHost>>;
let host: TestHost;
const clients: FrameClient[] = [];

async function join(name: string, extra: Parameters<typeof FrameClient.join>[2] = {}): Promise<FrameClient> {
  const client = await FrameClient.join(host.url, name, extra);
  clients.push(client);
  return client;
}

async function connect(): Promise<FrameClient> {
  const client = await FrameClient.connect(host.url);
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await host?.dispose();
});

describe('names', () => {
  it('trims names and refuses one already taken, whatever its case', async () => {
    host = await startTestHost();
    const alice = await join('  Alice  ');
    expect(alice.welcome?.you.name).toBe('Alice');

    const other = await connect();
    other.send({ type: 'join', v: PROTOCOL_VERSION, name: 'aLICE', clientId: other.clientId });
    const refused = await other.next('join_error');
    expect(refused.code).toBe('name_taken');
    expect(refused.reason).toMatch(/already taken/);

    // The connection stays open so the person can pick another name.
    other.send({ type: 'join', v: PROTOCOL_VERSION, name: 'Alicia', clientId: other.clientId });
    expect((await other.next('welcome')).you.name).toBe('Alicia');
  });

  it('refuses names that are too long or hold control or invisible characters', async () => {
    host = await startTestHost();
    for (const name of ['x'.repeat(33), 'bad\u0007bell', 'zero\u200Bwidth', 'rtl\u202Eevil', '\u0000']) {
      const client = await connect();
      client.send({ type: 'join', v: PROTOCOL_VERSION, name, clientId: client.clientId });
      const refused = await client.next('join_error');
      expect(refused.code, JSON.stringify(name)).toBe('name_invalid');
    }
    // 32 characters (emoji count as one each) is fine.
    const ok = await join('🔥'.repeat(32));
    expect(ok.closed).toBeUndefined();
  });

  it('counts a lookalike as taken, and says whose name it looks like', async () => {
    host = await startTestHost();
    await join('Alice');
    const cyrillic = await connect();
    cyrillic.send({ type: 'join', v: PROTOCOL_VERSION, name: '\u0410lice', clientId: cyrillic.clientId });
    const refused = await cyrillic.next('join_error');
    expect(refused.code).toBe('name_taken');
    expect(refused.reason).toBe('"\u0410lice" looks too much like "Alice", who is already here. Pick another name.');
    const bob = await join('Bob');
    bob.send({ type: 'rename', name: 'AIice' }); // capital i
    expect((await bob.next('error')).message).toBe('"AIice" looks too much like "Alice", who is already here');
  });

  it('gives a friendly name to someone who gave none', async () => {
    host = await startTestHost();
    const client = await join('');
    expect(client.welcome?.you.name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+( \d+)?$/);
  });

  it('renames with the same rules and tells everyone', async () => {
    host = await startTestHost();
    const alice = await join('Alice');
    const bob = await join('Bob');
    bob.send({ type: 'rename', name: 'ALICE' });
    expect((await bob.next('error')).code).toBe('name_taken');
    bob.send({ type: 'rename', name: 'x'.repeat(40) });
    expect((await bob.next('error')).code).toBe('name_invalid');
    bob.send({ type: 'rename', name: 'Robert' });
    const renamed = await alice.next('renamed');
    expect(renamed).toMatchObject({ from: 'Bob', to: 'Robert' });
    // The old name is free again.
    const another = await join('bob');
    expect(another.closed).toBeUndefined();
  });
});

describe('messages', () => {
  it('acks with a seq and broadcasts to everyone, in one order for all', async () => {
    host = await startTestHost();
    const senders = await Promise.all(['A', 'B', 'C', 'D'].map((n) => join(n)));
    const perSender = 25;
    for (let i = 0; i < perSender; i++) {
      senders.forEach((s, k) => s.send({ type: 'chat', id: `m${k}-${i}`, text: `${k}:${i}` }));
    }
    const total = perSender * senders.length;
    const seen: number[][] = [];
    for (const s of senders) {
      const seqs: number[] = [];
      const texts = new Map<string, number>();
      for (let i = 0; i < total; i++) {
        const { message } = await s.next('message');
        seqs.push(message.seq);
        const [sender, n] = message.text.split(':').map(Number) as [number, number];
        // Each sender's own messages arrive in the order it sent them.
        expect(n).toBe((texts.get(String(sender)) ?? -1) + 1);
        texts.set(String(sender), n);
      }
      seen.push(seqs);
    }
    for (const seqs of seen) {
      expect(seqs).toEqual(seen[0]);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(total);
    }
    // Every sender got an ack per message.
    for (const s of senders) {
      for (let i = 0; i < perSender; i++) await s.next('ack');
    }
  });

  it('stores and broadcasts a retried message once, acking the retry with the same seq', async () => {
    host = await startTestHost();
    const alice = await join('Alice');
    const bob = await join('Bob');
    alice.send({ type: 'chat', id: 'same-id', text: 'hello' });
    alice.send({ type: 'chat', id: 'same-id', text: 'hello' });
    const first = await alice.next('ack');
    await bob.next('message');
    alice.send({ type: 'chat', id: 'same-id', text: 'hello' });
    const retry = await alice.next('ack');
    expect(retry.seq).toBe(first.seq);
    alice.send({ type: 'chat', id: 'after', text: 'marker' });
    const next = await bob.next('message');
    expect(next.message.text).toBe('marker');
    expect(host.room.memberCount).toBe(2);
  });

  it('acks a retry that comes after a resume with the original seq, even after a restart', async () => {
    const dataDir = tempDir();
    try {
      host = await startTestHost({ store: SqliteHistoryStore.inDirectory(dataDir.path) });
      const alice = await join('Alice');
      const bob = await join('Bob');
      alice.send({ type: 'chat', id: 'first', text: 'seen' });
      const seen = await alice.next('ack');
      await bob.next('message');
      // Stored and broadcast, but as far as Alice knows it was never acked.
      alice.send({ type: 'chat', id: 'lost-ack', text: 'only once' });
      const original = await bob.next('message');
      await host.dispose();

      host = await startTestHost({ store: SqliteHistoryStore.inDirectory(dataDir.path) });
      const back = await join('Alice', { clientId: alice.clientId, since: seen.seq });
      const bobAgain = await join('Bob', { clientId: bob.clientId, since: original.message.seq });
      back.send({ type: 'chat', id: 'lost-ack', text: 'only once' });
      expect((await back.next('ack')).seq).toBe(original.message.seq);
      back.send({ type: 'chat', id: 'after', text: 'marker' });
      expect((await bobAgain.next('message')).message.text).toBe('marker');
      const carol = await join('Carol');
      expect((await carol.next('history')).messages.map((m) => m.text)).toEqual(['seen', 'only once', 'marker']);
    } finally {
      dataDir.remove();
    }
  });

  it('recognises a retry even when the client is too far behind to resume', async () => {
    const store = new MemoryHistoryStore();
    host = await startTestHost({ store });
    const alice = await join('Alice');
    // Stored, but its ack lost; then more than a resume can carry arrives.
    alice.send({ type: 'chat', id: 'lost-ack', text: 'only once' });
    const stored = await alice.next('ack');
    const historyId = alice.welcome!.historyId;
    alice.close();
    store.append(Array.from({ length: 10_001 }, (_, i) => ({ id: `f${i}`, clientId: 'filler-client-000001', from: { id: 'filler', name: 'Filler' }, text: `${i}`, ts: 1, kind: 'text' as const })));
    const back = await join('Alice', { clientId: alice.clientId, since: 0, historyId });
    expect((await back.next('history')).mode).toBe('latest');
    back.send({ type: 'chat', id: 'lost-ack', text: 'only once' });
    expect((await back.next('ack')).seq).toBe(stored.seq);
    expect(store.count()).toBe(10_002);
  });

  it('refuses empty, too long and ill-formed text with an error naming the frame', async () => {
    host = await startTestHost();
    const alice = await join('Alice');
    const cases: Array<[string, RegExp]> = [
      ['   ', /empty/],
      ['x'.repeat(4001), /longer than 4000/],
      ['bad \ud800 surrogate', /valid Unicode/],
      ['nul \u0000 byte', /control/],
    ];
    for (const [text, why] of cases) {
      alice.send({ type: 'chat', id: 'bad', text });
      const error = await alice.next('error');
      expect(error.code).toBe('bad_frame');
      expect(error.message).toMatch(why);
      expect(error.ref).toEqual({ type: 'chat', id: 'bad' });
    }
    // 4000 characters of emoji (8000 UTF-16 units) is within the limit.
    alice.send({ type: 'chat', id: 'long', text: '😀'.repeat(4000) });
    expect((await alice.next('ack')).id).toBe('long');
  });

  it('keeps /me actions and text with HTML as plain data', async () => {
    host = await startTestHost();
    const alice = await join('Alice');
    alice.send({ type: 'chat', id: 'a1', text: 'waves', action: true });
    alice.send({ type: 'chat', id: 'a2', text: '<img src=x onerror=alert(1)>' });
    const first = await alice.next('message');
    const second = await alice.next('message');
    expect(first.message).toMatchObject({ kind: 'action', text: 'waves' });
    expect(second.message.text).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('a store that cannot write', () => {
  it('refuses messages with a clear error instead of acking them, and recovers', async () => {
    class FlakyStore extends MemoryHistoryStore {
      failing = false;
      override append(batch: readonly NewMessage[]) {
        if (this.failing) throw new StoreError('full', 'database or disk is full');
        return super.append(batch);
      }
    }
    const store = new FlakyStore();
    host = await startTestHost({ store });
    const alice = await join('Alice');
    const bob = await join('Bob');
    store.failing = true;
    alice.send({ type: 'chat', id: 'lost', text: 'will not fit' });
    const error = await alice.next('error');
    expect(error).toMatchObject({ code: 'store_unavailable', ref: { type: 'chat', id: 'lost' } });
    expect(error.message).toMatch(/disk full/);
    store.failing = false;
    alice.send({ type: 'chat', id: 'lost', text: 'will not fit' });
    expect((await alice.next('ack')).id).toBe('lost');
    expect((await bob.next('message')).message.text).toBe('will not fit');
    expect(alice.frames.some((f) => f.type === 'ack')).toBe(false);
  });
});

describe('history', () => {
  it('sends the last 200 messages on join, oldest first', async () => {
    host = await startTestHost({ rateLimit: { burst: 1000, perSecond: 1000 } });
    const alice = await join('Alice');
    for (let i = 1; i <= 250; i++) alice.send({ type: 'chat', id: `m${i}`, text: `n${i}` });
    for (let i = 1; i <= 250; i++) await alice.next('ack');
    const bob = await join('Bob');
    const history = await bob.next('history');
    expect(history.mode).toBe('latest');
    expect(history.messages).toHaveLength(200);
    expect(history.messages[0]!.text).toBe('n51');
    expect(history.messages.at(-1)!.text).toBe('n250');
  });

  it('resumes after a dropped connection with exactly what was missed', async () => {
    host = await startTestHost({ rateLimit: { burst: 1000, perSecond: 1000 } });
    const alice = await join('Alice');
    const bob = await join('Bob');
    alice.send({ type: 'chat', id: 'before', text: 'before' });
    const seen = await bob.next('message');
    bob.ws.terminate();
    await until(() => host.room.memberCount === 1, 5000, 'bob to leave');
    for (let i = 0; i < 30; i++) alice.send({ type: 'chat', id: `missed${i}`, text: `missed ${i}` });
    for (let i = 0; i < 30; i++) await alice.next('ack');

    const back = await join('Bob', { clientId: bob.clientId, since: seen.message.seq });
    const history = await back.next('history');
    expect(history.mode).toBe('resume');
    expect(history.messages.map((m) => m.text)).toEqual(Array.from({ length: 30 }, (_, i) => `missed ${i}`));
    alice.send({ type: 'chat', id: 'live', text: 'live' });
    expect((await back.next('message')).message.text).toBe('live');
  });

  it('answers a resume that is too old with the latest page, and splits long resumes into chunks', async () => {
    host = await startTestHost({ rateLimit: { burst: 20_000, perSecond: 20_000 } });
    const alice = await join('Alice');
    for (let i = 0; i < 1200; i++) alice.send({ type: 'chat', id: `m${i}`, text: `m${i}` });
    for (let i = 0; i < 1200; i++) await alice.next('ack');

    const resumer = await join('Bob', { since: 1 });
    const chunks = [];
    for (;;) {
      const chunk = await resumer.next('history');
      chunks.push(chunk);
      if (chunk.complete) break;
    }
    expect(chunks.map((c) => c.messages.length)).toEqual([500, 500, 199]);
    expect(chunks.every((c) => c.mode === 'resume')).toBe(true);

    // A since the host never issued (another host's history) gets the latest page.
    const stranger = await join('Carol', { since: 999_999 });
    const page = await stranger.next('history');
    expect(page.mode).toBe('latest');
    expect(page.messages).toHaveLength(200);
  });

  it('pages back through older history', async () => {
    host = await startTestHost({ rateLimit: { burst: 1000, perSecond: 1000 } });
    const alice = await join('Alice');
    for (let i = 1; i <= 300; i++) alice.send({ type: 'chat', id: `m${i}`, text: `n${i}` });
    for (let i = 1; i <= 300; i++) await alice.next('ack');
    const bob = await join('Bob');
    const latest = await bob.next('history');
    bob.send({ type: 'fetch_history', before: latest.messages[0]!.seq, limit: 150 });
    const older = await bob.next('history');
    expect(older.mode).toBe('older');
    expect(older.messages.map((m) => m.text)).toEqual(Array.from({ length: 100 }, (_, i) => `n${i + 1}`));
    expect(older.exhausted).toBe(true);
  });
});

describe('presence', () => {
  it('sends the member list on join and tells others about joins and leaves', async () => {
    host = await startTestHost();
    const alice = await join('Alice');
    const bob = await join('Bob');
    expect(bob.welcome?.members.map((m) => m.name).sort()).toEqual(['Alice', 'Bob']);
    expect((await alice.next('member_joined')).member.name).toBe('Bob');
    bob.close();
    const left = await alice.next('member_left');
    expect(left.member.name).toBe('Bob');
    expect(left.reason).toBe('left');
  });

  it('relays typing, throttled, and switches it off by itself', async () => {
    host = await startTestHost({ typingTimeoutMs: 300 });
    const alice = await join('Alice');
    const bob = await join('Bob');
    for (let i = 0; i < 10; i++) bob.send({ type: 'typing', active: true });
    const on = await alice.next('typing');
    expect(on).toMatchObject({ user: { name: 'Bob' }, active: true });
    const off = await alice.next('typing', 2000);
    expect(off.active).toBe(false);
    expect(alice.frames.filter((f) => f.type === 'typing')).toHaveLength(0);
  });

  it('repeats a steady "typing" so it does not fade while someone keeps typing', async () => {
    host = await startTestHost({ typingTimeoutMs: 400, typingIntervalMs: 50 });
    const alice = await join('Alice');
    const bob = await join('Bob');
    // Bob's client says "typing" every 100 ms for a second: the room hears it every 200 ms
    // (half the timeout), not once, and not every 100 ms.
    for (let i = 0; i < 10; i++) {
      bob.send({ type: 'typing', active: true });
      await new Promise((r) => setTimeout(r, 100));
    }
    const typing = alice.frames.filter((f) => f.type === 'typing');
    expect(typing.every((f) => f.type === 'typing' && f.active)).toBe(true);
    expect(typing.length).toBeGreaterThanOrEqual(4);
    expect(typing.length).toBeLessThanOrEqual(7);
  });

  it('lets a reconnecting client take over its own name without a leave and join', async () => {
    host = await startTestHost();
    const alice = await join('Alice');
    const bob = await join('Bob');
    await alice.next('member_joined');
    const again = await join('Bob', { clientId: bob.clientId });
    expect((await bob.waitClosed()).code).toBe(4004);
    expect(host.room.memberCount).toBe(2);
    again.send({ type: 'chat', id: 'x', text: 'still me' });
    expect((await alice.next('message')).message.from.name).toBe('Bob');
    expect(alice.frames.some((f) => f.type === 'member_left' || f.type === 'member_joined')).toBe(false);
  });
});

describe('private messages', () => {
  it('reach only the two people, live and in history', async () => {
    host = await startTestHost();
    const alice = await join('Alice');
    const bob = await join('Sunny Otter');
    const carol = await join('Carol');
    alice.send({ type: 'private', id: 'p1', to: 'sunny otter', text: 'just for you' });
    alice.send({ type: 'chat', id: 'c1', text: 'for everyone' });
    expect((await alice.next('ack')).id).toBe('p1');
    const toBob = await bob.next('message');
    expect(toBob.message).toMatchObject({ text: 'just for you', to: { name: 'Sunny Otter' }, from: { name: 'Alice' } });
    expect((await alice.next('message')).message.text).toBe('just for you');
    expect((await carol.next('message')).message.text).toBe('for everyone');

    const dave = await join('Dave');
    const history = await dave.next('history');
    expect(history.messages.map((m: ChatMessage) => m.text)).toEqual(['for everyone']);

    alice.send({ type: 'private', id: 'p2', to: 'nobody', text: 'hello?' });
    const error = await alice.next('error');
    expect(error).toMatchObject({ code: 'no_such_member', ref: { type: 'private', id: 'p2' } });
  });
});

describe('moderation', () => {
  it('refuses admin actions without the token', async () => {
    host = await startTestHost();
    const mallory = await join('Mallory');
    const victim = await join('Victim');
    // One character off (never the token itself: a random token may end in 'x').
    const offByOne = host.room.adminToken.slice(0, -1) + (host.room.adminToken.endsWith('x') ? 'y' : 'x');
    for (const token of ['wrong', offByOne, host.room.adminToken.slice(1)]) {
      mallory.send({ type: 'admin', token, action: 'kick', target: 'Victim' });
      expect((await mallory.next('error')).code).toBe('forbidden');
    }
    mallory.send({ type: 'admin', token: 'nope', action: 'clear_history' });
    expect((await mallory.next('error')).code).toBe('forbidden');
    expect(victim.closed).toBeUndefined();
    expect(host.room.memberCount).toBe(2);
  });

  it('tells an admin why an action was refused, with a code that says which kind', async () => {
    host = await startTestHost();
    const admin = await join('Host');
    const token = host.room.adminToken;
    admin.send({ type: 'admin', token, action: 'kick', target: 'Nobody' });
    expect(await admin.next('error')).toMatchObject({ code: 'no_such_member', message: 'nobody called "Nobody" is here', ref: { type: 'admin' } });
    admin.send({ type: 'admin', token, action: 'unban', target: 'Nobody' });
    expect(await admin.next('error')).toMatchObject({ code: 'no_such_member', message: 'Nobody is not banned' });
    admin.send({ type: 'admin', token, action: 'topic', topic: 'bell \u0007 ringer' });
    expect(await admin.next('error')).toMatchObject({ code: 'admin_refused', message: 'a topic cannot contain control characters' });
  });

  it('kicks with a reason, and a ban keeps the person out', async () => {
    host = await startTestHost();
    const admin = await join('Host');
    const troll = await join('Troll');
    admin.send({ type: 'admin', token: host.room.adminToken, action: 'kick', target: 'troll', reason: 'calm down' });
    expect(await troll.next('kicked')).toMatchObject({ reason: 'calm down', banned: false });
    expect((await troll.waitClosed()).code).toBe(4001);
    expect((await admin.next('member_left')).reason).toBe('kicked');

    const back = await join('Troll', { clientId: troll.clientId });
    admin.send({ type: 'admin', token: host.room.adminToken, action: 'ban', target: 'Troll' });
    expect((await back.next('kicked')).banned).toBe(true);
    await back.waitClosed();

    const again = await connect();
    again.send({ type: 'join', v: PROTOCOL_VERSION, name: 'Troll2', clientId: troll.clientId });
    expect((await again.next('join_error')).code).toBe('banned');
  });

  it('clears history for everyone', async () => {
    host = await startTestHost();
    const admin = await join('Host');
    admin.send({ type: 'chat', id: 'a', text: 'secret' });
    await admin.next('ack');
    admin.send({ type: 'admin', token: host.room.adminToken, action: 'clear_history' });
    expect((await admin.next('cleared')).lastSeq).toBe(1);
    const late = await join('Late');
    expect((await late.next('history')).messages).toEqual([]);
    admin.send({ type: 'chat', id: 'b', text: 'after' });
    expect((await admin.next('ack')).seq).toBe(2); // seqs are never reused
  });
});

describe('passwords', () => {
  it('needs the right proof, never the password itself', async () => {
    host = await startTestHost({ password: 'hunter2' });
    const guest = await connect();
    expect(guest.hello?.passwordRequired).toBe(true);
    guest.send({ type: 'join', v: PROTOCOL_VERSION, name: 'Guest', clientId: guest.clientId });
    expect((await guest.next('join_error')).code).toBe('password_required');

    const friend = await connect();
    const key = derivePasswordKey('hunter2', friend.hello!.salt);
    const proof = passwordProof(key, friend.hello!.nonce, friend.clientId);
    friend.send({ type: 'join', v: PROTOCOL_VERSION, name: 'Friend', clientId: friend.clientId, proof });
    expect((await friend.next('welcome')).you.name).toBe('Friend');

    // A proof is bound to its connection's nonce: replaying it elsewhere fails.
    const replay = await connect();
    replay.send({ type: 'join', v: PROTOCOL_VERSION, name: 'Replay', clientId: friend.clientId, proof });
    expect((await replay.next('join_error')).code).toBe('bad_password');

    const intruder = await connect();
    const badKey = derivePasswordKey('hunter3', intruder.hello!.salt);
    intruder.send({
      type: 'join',
      v: PROTOCOL_VERSION,
      name: 'Intruder',
      clientId: intruder.clientId,
      proof: passwordProof(badKey, intruder.hello!.nonce, intruder.clientId),
    });
    expect((await intruder.next('join_error')).code).toBe('bad_password');
    expect((await intruder.waitClosed()).code).toBe(4005);
  });

  it('locks out an address after repeated wrong passwords', async () => {
    host = await startTestHost({ password: 'right' });
    const codes: string[] = [];
    let key: Uint8Array | undefined;
    for (let i = 0; i < 7; i++) {
      const c = await connect();
      const hi = c.hello!;
      key ??= derivePasswordKey('wrong', hi.salt);
      c.send({ type: 'join', v: PROTOCOL_VERSION, name: `x${i}`, clientId: c.clientId, proof: passwordProof(key, hi.nonce, c.clientId) });
      codes.push((await c.next('join_error')).code);
    }
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('bad_password'));
    expect(codes.slice(5)).toContain('too_many_attempts');
  });

  it('refuses a client speaking another protocol version', async () => {
    host = await startTestHost();
    const old = await connect();
    old.send({ type: 'join', v: PROTOCOL_VERSION + 1, name: 'Future', clientId: old.clientId });
    const refused = await old.next('join_error');
    expect(refused.code).toBe('version_mismatch');
    expect(refused.reason).toMatch(/older Hearth/);
  });
});

describe('dashboard figures and host moderation', () => {
  it('tracks people, messages, rejects and an activity log', async () => {
    host = await startTestHost();
    const alice = await join('Alice');
    const bob = await join('Bob');
    alice.send({ type: 'chat', id: 'a1', text: 'hi' });
    alice.send({ type: 'chat', id: 'a2', text: 'again' });
    await bob.next('message');
    await bob.next('message');
    bob.sendRaw('not json');
    await bob.next('error');
    const people = host.room.people();
    expect(people.find((p) => p.name === 'Alice')).toMatchObject({ messages: 2, address: '127.0.0.1', typing: false });
    expect(host.room.stats.counters()).toMatchObject({ people: 2, peak: 2, messagesTotal: 2, rejectedBadInput: 1 });
    const kinds = host.room.stats.activity().map((a) => a.kind);
    expect(kinds).toEqual(['host', 'join', 'join', 'bad_frame']);
    expect(host.room.stats.activity().at(-1)!.text).toMatch(/Bad frame from Bob \(127\.0\.0\.1\): frame is not valid JSON/);
  });

  it('sets a topic everyone sees, and locks and unlocks the room for newcomers', async () => {
    host = await startTestHost();
    const alice = await join('Alice');
    expect(host.room.moderate({ action: 'topic', topic: '  Pizza   at 7 ' })).toEqual({ ok: true, detail: 'topic set: Pizza at 7' });
    expect((await alice.next('topic')).topic).toBe('Pizza at 7');
    const late = await join('Late');
    expect(late.welcome?.topic).toBe('Pizza at 7');
    expect(host.room.moderate({ action: 'topic', topic: 'x'.repeat(201) })).toMatchObject({ ok: false });

    expect(host.room.moderate({ action: 'lock', password: 'sesame' })).toMatchObject({ ok: true });
    expect(host.room.passwordRequired).toBe(true);
    const locked = await connect();
    expect(locked.hello?.passwordRequired).toBe(true);
    locked.send({ type: 'join', v: PROTOCOL_VERSION, name: 'Newcomer', clientId: locked.clientId });
    expect((await locked.next('join_error')).code).toBe('password_required');
    const key = derivePasswordKey('sesame', locked.hello!.salt);
    locked.send({ type: 'join', v: PROTOCOL_VERSION, name: 'Newcomer', clientId: locked.clientId, proof: passwordProof(key, locked.hello!.nonce, locked.clientId) });
    expect((await locked.next('welcome')).you.name).toBe('Newcomer');
    expect(alice.closed).toBeUndefined(); // people already inside stay

    expect(host.room.moderate({ action: 'unlock' })).toMatchObject({ ok: true });
    const open = await join('Open');
    expect(open.welcome).toBeDefined();
    expect(host.room.stats.activity().map((a) => a.kind)).toEqual(expect.arrayContaining(['topic', 'lock']));
  });
});

describe('the welcome frame', () => {
  it('is exactly what the schema describes, with every member, after renames too', async () => {
    const { parseServerFrame } = await import('../../common/protocol.ts');
    host = await startTestHost();
    const alice = await join('Alice');
    await join('Bob');
    alice.send({ type: 'rename', name: 'Alicia "the great"' });
    await alice.next('renamed');
    host.room.moderate({ action: 'topic', topic: 'Quotes "and" \\ slashes' });
    const raw = new FrameClient(host.url);
    clients.push(raw);
    const hello = await raw.next('hello');
    void hello;
    const texts: string[] = [];
    raw.ws.on('message', (d) => texts.push(d.toString()));
    raw.send({ type: 'join', v: PROTOCOL_VERSION, name: 'Carol', clientId: raw.clientId });
    await raw.next('welcome');
    const welcome = parseServerFrame(texts.find((t) => t.includes('"welcome"'))!);
    expect(welcome).toMatchObject({ type: 'welcome', you: { name: 'Carol' }, topic: 'Quotes "and" \\ slashes' });
    expect('members' in welcome && welcome.members.map((m) => m.name).sort()).toEqual(['Alicia "the great"', 'Bob', 'Carol']);
  });
});
