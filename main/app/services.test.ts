import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RoomClient, type SocketLike } from '../../common/client.ts';
import type { HostingInfo } from '../../common/ipc.ts';
import { randomId } from '../../common/ids.ts';
import { tempDir, until } from '../../test/support/host.ts';
import { AppServices, slug } from './services.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function services(): AppServices {
  const dir = tempDir();
  // Off the LAN: mDNS is tested inside network namespaces (e2e/netns).
  const s = new AppServices({ dataDir: dir.path, mdns: false, defaultPort: 0 });
  cleanups.push(() => dir.remove());
  cleanups.push(() => s.shutdown());
  return s;
}

describe('AppServices', () => {
  it('hosts a room, tells listeners, and others can join it', async () => {
    const s = services();
    const events: Array<HostingInfo | null> = [];
    s.on('host:changed', (info) => events.push(info));
    const started = await s.handlers['host:start']({ room: '  Kitchen  ', password: 'pw' });
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    expect(started.value).toMatchObject({ room: 'Kitchen', passwordProtected: true, discovery: { state: 'off' } });
    expect(started.value.localUrl).toBe(`http://127.0.0.1:${started.value.port}/`);
    expect(started.value.adminToken.length).toBeGreaterThan(20);
    expect(events).toHaveLength(1);
    expect((await s.handlers['host:status'](null)).ok && (await s.handlers['host:status'](null))).toMatchObject({ value: { room: 'Kitchen' } });

    const client = new RoomClient({
      url: `ws://127.0.0.1:${started.value.port}/ws`,
      name: 'Guest',
      clientId: randomId(22),
      password: 'pw',
      createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
    });
    cleanups.push(() => client.close());
    client.connect();
    await until(() => client.state.status === 'connected');

    expect(await s.handlers['host:start']({ room: 'Another' })).toMatchObject({ ok: false, error: /already hosting "Kitchen"/ });
    await s.handlers['host:stop'](null);
    expect(events.at(-1)).toBeNull();
    await until(() => client.state.status === 'reconnecting');
  });

  it('shows the dashboard its own member and the bans, and never kicks or bans that member', async () => {
    const s = services();
    const started = await s.handlers['host:start']({ room: 'Kitchen' });
    if (!started.ok) throw new Error(started.error);
    const join = (name: string, clientId: string) => {
      const client = new RoomClient({
        url: `ws://127.0.0.1:${started.value.port}/ws`,
        name,
        clientId,
        createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      });
      cleanups.push(() => client.close());
      client.connect();
      return client;
    };
    // The app's own window joins with the settings' client id.
    const own = join('Hilda', s.settings.get().clientId);
    const guest = join('Guest', randomId(22));
    await until(() => own.state.status === 'connected' && guest.state.status === 'connected');

    const dashboard = async () => {
      const got = await s.handlers['dashboard:get'](null);
      if (!got.ok || !got.value) throw new Error('no dashboard');
      return got.value.snapshot;
    };
    expect((await dashboard()).hostMemberId).toBe(own.me!.id);
    expect(await s.handlers['room:moderate']({ action: 'kick', target: 'Hilda' })).toEqual({ ok: false, error: 'You cannot remove yourself.' });
    expect(await s.handlers['room:moderate']({ action: 'ban', target: own.me!.id })).toEqual({ ok: false, error: 'You cannot remove yourself.' });
    expect(own.state.status).toBe('connected');

    expect(await s.handlers['room:moderate']({ action: 'ban', target: 'Guest', reason: 'spam' })).toEqual({ ok: true, value: 'Banned Guest: spam' });
    expect((await dashboard()).bans).toEqual([{ name: 'Guest', userId: expect.any(String), address: null, reason: 'spam', at: expect.any(Number), by: 'Hilda' }]);
    expect(await s.handlers['room:moderate']({ action: 'unban', target: 'guest' })).toEqual({ ok: true, value: 'Unbanned Guest' });
    expect((await dashboard()).bans).toEqual([]);
  });

  it('explains a room it cannot open', async () => {
    const s = services();
    expect(await s.handlers['host:start']({ room: '   ' })).toEqual({ ok: false, error: 'Give the room a name.' });
    expect(await s.handlers['host:start']({ room: 'x'.repeat(65) })).toMatchObject({ ok: false, error: /at most 64/ });
    expect(await s.handlers['host:start']({ room: 'bad\u0007bell' })).toMatchObject({ ok: false, error: /control characters/ });
    const first = await s.handlers['host:start']({ room: 'One' });
    if (!first.ok) throw new Error(first.error);
    const other = services();
    expect(await other.handlers['host:start']({ room: 'Two', port: first.value.port })).toEqual({
      ok: false,
      error: `Port ${first.value.port} is already in use. Pick another port.`,
    });
  });

  it('keeps settings: a valid name, and the rooms joined before, newest first', async () => {
    const s = services();
    const initial = await s.handlers['settings:get'](null);
    expect(initial.ok && initial.value.clientId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await s.handlers['settings:update']({ displayName: 'x'.repeat(40) })).toMatchObject({ ok: false, error: /longer than 32/ });
    expect(await s.handlers['settings:update']({ displayName: ' Zoë ' })).toMatchObject({ ok: true, value: { displayName: 'Zoë' } });
    for (let i = 0; i < 10; i++) await s.handlers['settings:update']({ rememberRoom: { address: `10.0.0.${i}:47800`, room: `R${i}`, lastJoined: i } });
    await s.handlers['settings:update']({ rememberRoom: { address: '10.0.0.3:47800', room: 'R3 again', lastJoined: 99 } });
    const after = await s.handlers['settings:get'](null);
    if (!after.ok) throw new Error(after.error);
    expect(after.value.recentRooms).toHaveLength(8);
    expect(after.value.recentRooms[0]).toMatchObject({ room: 'R3 again' });
    expect(after.value.recentRooms.filter((r) => r.address === '10.0.0.3:47800')).toHaveLength(1);
  });

  it('reports discovery as off when it is off', async () => {
    const s = services();
    expect(await s.handlers['rooms:list'](null)).toEqual({ ok: true, value: { rooms: [], discovery: { state: 'off', detail: 'Discovery is off. Join rooms by address.' } } });
  });

  it('gives every room a safe, distinct history folder', () => {
    expect(slug('Kitchen')).toMatch(/^kitchen-[a-z0-9]+$/);
    expect(slug('../../etc')).toMatch(/^etc-[a-z0-9]+$/);
    expect(slug('Café')).not.toBe(slug('Cafe'));
    expect(slug('🔥🔥')).toMatch(/^room-[a-z0-9]+$/);
  });
});
