// Attack 4: connections the room has let go of, still talking. A kicked client keeps
// sending in the moment between `kicked` and the end of the close handshake; a replaced
// connection (its person joined again from another socket) was never told so, because it
// stopped reading. Neither may say, rename or type anything in the room any more, and
// neither may keep a name.
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { randomId } from '../../common/ids.ts';
import { PROTOCOL_VERSION, type ServerFrame } from '../../common/protocol.ts';
import { FrameClient, startTestHost } from '../support/host.ts';

type TestHost = Awaited<ReturnType<typeof startTestHost>>;
let host: TestHost;
const clients: FrameClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await host?.dispose();
});

async function join(name: string, clientId?: string): Promise<FrameClient> {
  const client = await FrameClient.join(host.url, name, clientId ? { clientId } : {});
  clients.push(client);
  return client;
}

/** Try to join as `name` with a fresh identity: 'joined', or the join_error code. */
async function tryJoin(name: string): Promise<string> {
  const client = await FrameClient.connect(host.url);
  clients.push(client);
  client.send({ type: 'join', v: PROTOCOL_VERSION, name, clientId: randomId(22) });
  const reply = await client.nextOf(['welcome', 'join_error']);
  client.close();
  return reply.type === 'welcome' ? 'joined' : reply.code;
}

/** Stop reading: this socket never learns that the host let it go. */
function stopReading(client: FrameClient): void {
  (client.ws as unknown as { _socket: Socket })._socket.pause();
}

const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));
const roomNoise = (client: FrameClient) => client.frames.filter((f) => f.type === 'message' || f.type === 'renamed' || f.type === 'typing');

describe('a kicked person is gone at once, whatever it sends on the way out', () => {
  it('stores and shows nothing it sends after `kicked`, and frees its name right away', async () => {
    host = await startTestHost();
    const watcher = await join('Watcher');
    const mallory = await join('Mallory');
    const admin = await FrameClient.connect(host.url);
    clients.push(admin);
    await watcher.next('member_joined');
    const storedBefore = host.room.history.count();

    // The moment `kicked` arrives, before the close frame behind it is even read: talk.
    let stillOpen: boolean | undefined;
    mallory.ws.on('message', (data) => {
      if (!String(data).startsWith('{"type":"kicked"')) return;
      stillOpen = mallory.ws.readyState === WebSocket.OPEN;
      mallory.send({ type: 'chat', id: 'parting-shot', text: 'you cannot kick me' });
      mallory.send({ type: 'rename', name: 'Mallory2' });
      mallory.send({ type: 'typing', active: true });
      mallory.send({ type: 'chat', id: 'parting-shot-2', text: 'still here' });
    });
    admin.send({ type: 'admin', token: host.room.adminToken, action: 'kick', target: 'Mallory' });
    await admin.next('admin_done');
    expect((await watcher.next('member_left')).reason).toBe('kicked');
    // Its name is free at once.
    expect.soft(await tryJoin('Mallory'), 'joining as "Mallory" right after the kick').toBe('joined');
    await mallory.waitClosed();
    await settle();

    expect(stillOpen, 'the kicked client sent while its socket was still open').toBe(true);
    expect.soft(roomNoise(watcher), 'messages, renames and typing the watcher saw from the kicked client').toEqual([]);
    expect.soft(host.room.history.count(), 'messages stored').toBe(storedBefore);
    expect.soft(await tryJoin('Mallory2'), 'joining as the name the kicked client renamed itself to').toBe('joined');
  });
});

describe('a replaced connection cannot act for its person', () => {
  it('ignores a rename from the socket that was replaced: the name stays, no impostor can take it', async () => {
    host = await startTestHost();
    const watcher = await join('Watcher');
    const first = await join('Carol');
    await watcher.next('member_joined');
    stopReading(first);
    const second = await join('Carol', first.clientId); // Carol again, from another socket: it takes over
    await settle(100);

    first.send({ type: 'rename', name: 'Mallory' });
    await settle();

    expect.soft(roomNoise(watcher), 'what the watcher saw after the takeover').toEqual([]);
    expect.soft(host.room.people().map((p) => p.name).sort(), 'people in the room').toEqual(['Carol', 'Watcher']);
    expect.soft(second.closed, 'the connection that took over').toBeUndefined();
    expect.soft(await tryJoin('Carol'), 'an impostor joining as "Carol"').toBe('name_taken');
    expect.soft(await tryJoin('Mallory'), 'someone joining as "Mallory"').toBe('joined');
  });

  it('leaves no name behind after 200 replace-and-rename cycles', async () => {
    // Each replaced socket lingers until the host's close times out: allow them all.
    host = await startTestHost({ maxConnectionsPerAddress: 500 });
    const watcher = await join('Watcher');
    const clientId = randomId(22);
    let current = await join('Carol', clientId);
    for (let i = 0; i < 200; i++) {
      stopReading(current);
      const next = await join('Carol', clientId);
      current.send({ type: 'rename', name: `Ghost ${i}` });
      current = next;
    }
    await settle(500);

    expect.soft(host.room.memberCount, 'members').toBe(2);
    expect.soft(watcher.frames.filter((f): f is Extract<ServerFrame, { type: 'renamed' }> => f.type === 'renamed').length, 'renames the watcher saw').toBe(0);
    // Every name the replaced sockets asked for is free: the room keeps names of members only.
    const refused: string[] = [];
    for (let i = 0; i < 200; i += 20) {
      const reply = await tryJoin(`Ghost ${i}`);
      if (reply !== 'joined') refused.push(`Ghost ${i}: ${reply}`);
    }
    expect.soft(refused, 'names refused to newcomers').toEqual([]);
    expect.soft(await tryJoin('Carol'), 'an impostor joining as "Carol"').toBe('name_taken');
  });
});
