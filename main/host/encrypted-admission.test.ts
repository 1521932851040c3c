// Encrypted rooms at the door, on a real host over real TLS (127.0.0.1): a room opened
// encrypted-only refuses a plain join with a sentence and changes nothing, and /health says
// so beforehand; a password proof bound to the channel gets a client through to the host it
// pinned, while the same proof relayed by a man in the middle (test/support/mitm-proxy.ts)
// that the client was tricked into trusting is refused by the real host.
import { get as httpGet } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { type ClientOptions } from 'ws';
import { RoomClient, type ConnectionState, type SocketLike } from '../../common/client.ts';
import { randomId } from '../../common/ids.ts';
import { CloseCode, PROTOCOL_VERSION } from '../../common/protocol.ts';
import { ENCRYPTION_REQUIRED } from '../../common/wording.ts';
import { pinnedTlsConnect } from '../discovery/identity-probe.ts';
import { startMitmProxy, type MitmProxy } from '../../test/support/mitm-proxy.ts';
import { FrameClient, startTestHost, tempDir, until } from '../../test/support/host.ts';
import { loadOrCreateIdentity, type HostIdentity } from './identity.ts';
import { MemoryHistoryStore } from './store/index.ts';
import { startHost } from './server.ts';

type TestHost = Awaited<ReturnType<typeof startTestHost>>;

const hostDir = tempDir('hearth-host-id-');
const proxyDir = tempDir('hearth-mitm-id-');
let hostIdentity: HostIdentity;
let proxyIdentity: HostIdentity;

beforeAll(async () => {
  // Two real identities as Hearth makes them: the room's, and the impostor's.
  hostIdentity = await loadOrCreateIdentity(hostDir.path);
  proxyIdentity = await loadOrCreateIdentity(proxyDir.path);
});
afterAll(() => {
  hostDir.remove();
  proxyDir.remove();
});

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function host(extra: Parameters<typeof startTestHost>[0] = {}): Promise<TestHost> {
  const started = await startTestHost({ tls: { key: hostIdentity.key, cert: hostIdentity.cert }, ...extra });
  cleanups.push(() => started.dispose());
  return started;
}

function health(port: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    httpGet({ host: '127.0.0.1', port, path: '/health', timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(JSON.parse(body) as Record<string, unknown>));
    }).on('error', reject);
  });
}

/** A RoomClient as the app and `hearth join` make one: wss, the certificate pinned, the proof bound to it. */
function pinnedClient(port: number, fingerprint: string, name: string, password?: string): { client: RoomClient; states: ConnectionState[] } {
  const states: ConnectionState[] = [];
  const client = new RoomClient({
    url: `wss://127.0.0.1:${port}/ws`,
    name,
    clientId: randomId(22),
    password,
    channelFingerprint: fingerprint,
    // ws types createConnection as net.createConnection's overloads; it calls it with its TLS options.
    createSocket: (url) => new WebSocket(url, { createConnection: pinnedTlsConnect(fingerprint) as unknown as ClientOptions['createConnection'] }) as unknown as SocketLike,
    backoff: { baseMs: 50, maxMs: 200 },
  });
  client.on('state', (state) => states.push(state));
  cleanups.push(() => client.close());
  client.connect();
  return { client, states };
}

/** The first state that is connected or closed: how the join ended. */
async function outcome(states: ConnectionState[], what: string): Promise<ConnectionState> {
  const ended = (s: ConnectionState) => s.status === 'connected' || s.status === 'closed';
  await until(() => states.some(ended), 15_000, what);
  return states.find(ended)!;
}

describe('encrypted-only rooms', () => {
  it('refuse a plain join first, with the sentence, and close it; nobody is added and nothing is stored', async () => {
    const room = await host({ encryptedOnly: true, password: 'secret' });
    const plain = await FrameClient.connect(room.url);
    plain.send({ type: 'join', v: PROTOCOL_VERSION, name: 'Eve', clientId: plain.clientId });
    const refusal = await plain.next('join_error');
    expect(refusal).toEqual({ type: 'join_error', code: 'encryption_required', reason: ENCRYPTION_REQUIRED });
    await until(() => plain.closed !== undefined, 5000, 'the refused connection to close');
    expect(plain.closed?.code).toBe(CloseCode.joinRefused);
    expect(room.room.memberCount).toBe(0);
    expect(room.room.history.count()).toBe(0);
    expect(room.room.people()).toEqual([]);
  });

  it('admit the same join over TLS', async () => {
    const room = await host({ encryptedOnly: true });
    const { states } = pinnedClient(room.port, room.fingerprint!, 'Ada');
    expect(await outcome(states, 'the TLS join')).toEqual({ status: 'connected' });
    expect(room.room.people()).toMatchObject([{ name: 'Ada', encrypted: true }]);
  });

  it('say so in /health, so a browser on plain http is told before anyone types; an ordinary room does not', async () => {
    const strict = await host({ encryptedOnly: true });
    expect(await health(strict.port)).toMatchObject({ tls: true, encryptedOnly: true });
    const open = await host();
    expect(await health(open.port)).not.toHaveProperty('encryptedOnly');
  });

  it('tell a RoomClient on plain ws the sentence, and it does not try again', async () => {
    const room = await host({ encryptedOnly: true });
    const states: ConnectionState[] = [];
    const client = new RoomClient({ url: room.url, name: 'Bo', clientId: randomId(22), createSocket: (u) => new WebSocket(u) as unknown as SocketLike });
    cleanups.push(() => client.close());
    client.on('state', (s) => states.push(s));
    client.connect();
    expect(await outcome(states, 'the plain client to be refused')).toEqual({ status: 'closed', reason: ENCRYPTION_REQUIRED, code: 'encryption_required' });
    await new Promise((r) => setTimeout(r, 300));
    expect(states.filter((s) => s.status === 'connecting')).toHaveLength(1);
  });

  it('cannot be started without TLS: it would refuse everyone', async () => {
    await expect(startHost({ room: 'No TLS', store: new MemoryHistoryStore(), port: 0, bind: '127.0.0.1', encryptedOnly: true })).rejects.toThrow(/encryptedOnly needs tls/);
  });
});

/** A RoomClient on plain ws, as a browser on the room's http link joins. */
function plainClient(url: string, name: string): { client: RoomClient; states: ConnectionState[] } {
  const states: ConnectionState[] = [];
  const client = new RoomClient({ url, name, clientId: randomId(22), createSocket: (u) => new WebSocket(u) as unknown as SocketLike, backoff: { baseMs: 50, maxMs: 200 } });
  client.on('state', (s) => states.push(s));
  cleanups.push(() => client.close());
  client.connect();
  return { client, states };
}

describe('encrypted connections only, switched while the room is open', () => {
  it('turned on: whoever joined plain is told the sentence and disconnected for good; the encrypted stay; /health and the activity follow', async () => {
    const room = await host();
    const ada = pinnedClient(room.port, room.fingerprint!, 'Ada');
    expect(await outcome(ada.states, 'the TLS join')).toEqual({ status: 'connected' });
    const bo = plainClient(room.url, 'Bo');
    expect(await outcome(bo.states, 'the plain join')).toEqual({ status: 'connected' });
    const left: string[] = [];
    ada.client.on('member_left', ({ member }) => left.push(member.name));

    expect(room.room.setEncryptedOnly(true)).toEqual(['Bo']);

    await until(() => bo.states.at(-1)?.status === 'closed', 5000, 'the plain member to be disconnected');
    expect(bo.states.at(-1)).toEqual({ status: 'closed', reason: ENCRYPTION_REQUIRED, code: 'encryption_required' });
    await until(() => left.includes('Bo'), 5000, 'the others to see Bo go');
    // A refusal is final: the client does not come back.
    await new Promise((r) => setTimeout(r, 400));
    expect(bo.states.filter((s) => s.status === 'connecting' || s.status === 'reconnecting')).toHaveLength(1);
    expect(ada.states.at(-1)).toEqual({ status: 'connected' });
    expect(room.room.people()).toMatchObject([{ name: 'Ada', encrypted: true }]);
    expect(await health(room.port)).toMatchObject({ encryptedOnly: true });
    expect(room.room.stats.activity().map((a) => a.text)).toContain('Encrypted connections only: on. 1 person without encryption was disconnected: Bo');
    // A new plain join is refused at the door, as in a room opened that way.
    const eve = plainClient(room.url, 'Eve');
    expect(await outcome(eve.states, 'the late plain join')).toMatchObject({ status: 'closed', code: 'encryption_required' });
  });

  it('turned off: plain joins come in again, and /health stops saying it', async () => {
    const room = await host({ encryptedOnly: true });
    expect(await outcome(plainClient(room.url, 'Bo').states, 'the refused join')).toMatchObject({ status: 'closed', code: 'encryption_required' });

    expect(room.room.setEncryptedOnly(false)).toEqual([]);

    expect(await health(room.port)).not.toHaveProperty('encryptedOnly');
    expect(await outcome(plainClient(room.url, 'Cy').states, 'the plain join after')).toEqual({ status: 'connected' });
    expect(room.room.people()).toMatchObject([{ name: 'Cy', encrypted: false }]);
    expect(room.room.stats.activity().map((a) => a.text)).toContain('Encrypted connections only: off. Browsers on the link can join again');
  });

  it('turning it on again, or on with nobody plain, disconnects nobody', async () => {
    const room = await host({ encryptedOnly: true });
    expect(room.room.setEncryptedOnly(true)).toEqual([]);
    expect(room.room.setEncryptedOnly(false)).toEqual([]);
    expect(room.room.setEncryptedOnly(true)).toEqual([]);
    expect(room.room.stats.activity().map((a) => a.text)).toContain('Encrypted connections only: on. Everyone here is encrypted');
  });

  it('cannot be turned on in a room without TLS: it would refuse everyone', async () => {
    const plainRoom = await startTestHost();
    cleanups.push(() => plainRoom.dispose());
    expect(() => plainRoom.room.setEncryptedOnly(true)).toThrow(/needs TLS/);
    expect(plainRoom.room.encryptedOnly).toBe(false);
  });
});

describe('password proofs bound to the channel', () => {
  let proxy: MitmProxy;
  let room: TestHost;

  beforeAll(async () => {
    room = await startTestHost({ tls: { key: hostIdentity.key, cert: hostIdentity.cert }, password: 'secret' });
    proxy = await startMitmProxy(proxyIdentity, { host: '127.0.0.1', port: room.port });
  });
  afterAll(async () => {
    await proxy.close();
    await room.dispose();
  });

  it('a client tricked into pinning a man in the middle sends a proof the real host refuses, with the right password', async () => {
    const { states } = pinnedClient(proxy.port, proxy.fingerprint, 'Ada', 'secret');
    expect(await outcome(states, 'the relayed join to end')).toMatchObject({ status: 'closed', code: 'bad_password' });
    // It went through the proxy, and the refusal is the real host's, read by the proxy on its
    // way back (the client's frames are masked on the wire, the host's are not).
    expect(proxy.handshakes).toBeGreaterThan(0);
    expect(proxy.saw('"code":"bad_password"')).toBe(true);
    expect(room.room.memberCount).toBe(0);
  });

  it('the same client, pinning the real host, joins with that password', async () => {
    expect(room.fingerprint).toBe(hostIdentity.fingerprint);
    const { states } = pinnedClient(room.port, room.fingerprint!, 'Ada', 'secret');
    expect(await outcome(states, 'the direct join')).toEqual({ status: 'connected' });
    expect(room.room.people()).toMatchObject([{ name: 'Ada', encrypted: true }]);
  });
});
