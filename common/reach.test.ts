// Real hosts on 127.0.0.1; a port nobody listens on stands for an address on a network this
// machine is not on, and a socket that never answers for one whose packets go nowhere.
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../test/support/cli.ts';
import { startTestHost } from '../test/support/host.ts';
import { parseInvite, type Invite } from './invite.ts';
import { reachedSentence, reachRoom } from './reach.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const fetchImpl = (url: string, init: { signal: unknown; mode?: 'no-cors' }) => fetch(url, init as RequestInit);

async function host(room: string, hostId: string) {
  const h = await startTestHost({ room, hostId });
  cleanups.push(() => h.dispose());
  return `127.0.0.1:${h.port}`;
}

async function silentPort(): Promise<string> {
  const sockets: Socket[] = [];
  const server: Server = createTcpServer((socket) => sockets.push(socket));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise((r) => server.close(r));
  });
  return `127.0.0.1:${(server.address() as { port: number }).port}`;
}

function invite(first: string, others: string[], id?: string): Invite {
  const fields = [...(others.length ? [`via=${others.join(',')}`] : []), ...(id ? [`id=${id}`] : [])];
  const parsed = parseInvite(`http://${first}/${fields.length ? `#${fields.join('&')}` : ''}`);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.invite;
}

describe('reachRoom', () => {
  it('passes a dead address and another room to reach the one the link names, and says so', async () => {
    const kitchen = await host('Kitchen', 'kitchen0001');
    const office = await host('Office', 'office00001');
    const dead = `127.0.0.1:${await freePort()}`;
    const result = await reachRoom(invite(dead, [office, kitchen], 'kitchen0001'), fetchImpl);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.address.display).toBe(kitchen);
    expect(result.health).toMatchObject({ id: 'kitchen0001', room: 'Kitchen' });
    expect(reachedSentence(result)).toBe(`Reached the room at ${kitchen}; tried first: ${dead} (no answer), ${office} (another room, “Office”).`);
  });

  it('prefers the earlier address when several answer as the room', async () => {
    const first = await host('Kitchen', 'kitchen0001');
    const second = await host('Kitchen', 'kitchen0001');
    const result = await reachRoom(invite(first, [second], 'kitchen0001'), fetchImpl);
    expect(result.ok && result.address.display).toBe(first);
    expect(result.ok && reachedSentence(result)).toBe(`Reached the room at ${first}.`);
  });

  it('takes the first Hearth room when the link names no host', async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    const office = await host('Office', 'office00001');
    const result = await reachRoom(invite(dead, [office]), fetchImpl);
    expect(result.ok && result.health.room).toBe('Office');
  });

  it('lists every address with why when none is the room', async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    const office = await host('Office', 'office00001');
    const silent = await silentPort();
    const started = Date.now();
    const result = await reachRoom(invite(dead, [office, silent], 'kitchen0001'), fetchImpl, 500);
    // Every address is asked at once, each for at most its timeout.
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result).toEqual({
      ok: false,
      reason: `None of the 3 addresses in this link answered as the room: ${dead} (no answer), ${office} (another room, “Office”), ${silent} (no answer). Join one of the host's networks (its Wi-Fi, cable or VPN), or ask the host for an address you can reach.`,
    });
  });

  it('does not wait out a silent first address once a later one has answered', async () => {
    const silent = await silentPort();
    const kitchen = await host('Kitchen', 'kitchen0001');
    const started = Date.now();
    const result = await reachRoom(invite(silent, [kitchen], 'kitchen0001'), fetchImpl, 10_000);
    expect(result.ok && result.address.display).toBe(kitchen);
    expect(result.ok && reachedSentence(result)).toBe(`Reached the room at ${kitchen}; tried first: ${silent} (no answer).`);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('says what one address said, as before links carried several', async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    expect(await reachRoom(invite(dead, []), fetchImpl)).toEqual({ ok: false, reason: `Nothing is answering at ${dead}. Is the room still open?` });
    const office = await host('Office', 'office00001');
    expect(await reachRoom(invite(office, [], 'kitchen0001'), fetchImpl)).toEqual({
      ok: false,
      reason: `${office} is another Hearth room now (“Office”), not the one in this link. To join it anyway, type the address alone.`,
    });
  });
});
