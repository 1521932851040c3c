import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RoomClient, type SocketLike } from '../../common/client.ts';
import { hostIdOf, shortFingerprint } from '../../common/identity.ts';
import type { HostingInfo } from '../../common/ipc.ts';
import { randomId } from '../../common/ids.ts';
import { MAX_CANDIDATES, parseInvite } from '../../common/invite.ts';
import { tempDir, until } from '../../test/support/host.ts';
import { servicesHosting } from '../../test/support/services.ts';
import { ENCRYPTION_REQUIRED } from '../../common/wording.ts';
import { pinnedTlsConnect } from '../discovery/identity-probe.ts';
import { CERT_FILE } from '../host/identity.ts';
import { AppServices, slug } from './services.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function services(): AppServices {
  const dir = tempDir();
  // Off the LAN: mDNS is tested inside network namespaces (test/netns).
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

  it('shares one link that carries every address of this machine and the host id /health names', async () => {
    const s = services();
    const started = await s.handlers['host:start']({ room: 'Kitchen' });
    if (!started.ok) throw new Error(started.error);
    const { joinUrl, addresses, localUrl } = started.value;
    const invite = parseInvite(joinUrl);
    if (!invite.ok) throw new Error(invite.reason);
    // A machine with no network shares its loopback link: only it can join.
    const expected = addresses.length > 0 ? addresses.map((a) => a.url).slice(0, MAX_CANDIDATES) : [localUrl];
    expect(invite.invite.candidates.map((c) => c.httpUrl)).toEqual(expected);
    const health = (await (await fetch(`${localUrl}health`)).json()) as { id: string };
    expect(invite.invite.hostId).toBe(health.id);
  });

  const hostKitchen = () => servicesHosting('Kitchen', cleanups);

  it('shows the host\'s identity, kept in the data folder: the short form and the full fingerprint, in the hosting info and the dashboard', async () => {
    const { dir, s, started } = await hostKitchen();
    const cert = new X509Certificate(readFileSync(join(dir.path, CERT_FILE)));
    const fingerprint = cert.fingerprint256.replaceAll(':', '').toLowerCase();
    expect(started.identity).toEqual({ short: shortFingerprint(fingerprint), sha256: cert.fingerprint256 });
    const health = (await (await fetch(`${started.localUrl}health`)).json()) as { id: string };
    expect(health.id).toBe(hostIdOf(fingerprint));
    const dashboard = await s.handlers['dashboard:get'](null);
    expect(dashboard.ok && dashboard.value?.snapshot.identity).toEqual(started.identity);
  });

  it('pins its own room for its own window (loopback and every address), and checks a room’s identity before a join', async () => {
    const { dir, s, started } = await hostKitchen();
    const fingerprint = new X509Certificate(readFileSync(join(dir.path, CERT_FILE))).fingerprint256.replaceAll(':', '').toLowerCase();
    for (const name of ['127.0.0.1', 'localhost', '[::1]', ...started.addresses.map((a) => a.address)]) {
      expect([...s.pins.fingerprints(name)], name).toEqual([fingerprint]);
    }
    // Another app on this machine joins it: first use, remembered in its known_hosts, pinned.
    const guest = services();
    expect(await guest.handlers['room:identity']({ host: '127.0.0.1', port: started.port })).toEqual({ ok: true, value: { kind: 'first-use', fingerprint } });
    expect(guest.pins.fingerprints('127.0.0.1').has(fingerprint)).toBe(true);
    expect(await guest.handlers['room:identity']({ host: '127.0.0.1', port: started.port })).toMatchObject({ ok: true, value: { kind: 'trusted', via: 'known' } });
    expect(await guest.handlers['room:trust']({ host: '127.0.0.1', port: started.port, fingerprint })).toEqual({ ok: true, value: null });
  });

  it('hosts an encrypted-only room: a plain join is refused with a sentence, its own window joins pinned over wss', async () => {
    const s = services();
    const started = await s.handlers['host:start']({ room: 'Vault', encryptedOnly: true });
    if (!started.ok) throw new Error(started.error);
    expect(started.value.encryptedOnly).toBe(true);
    const health = (await (await fetch(`${started.value.localUrl}health`)).json()) as { encryptedOnly?: boolean };
    expect(health.encryptedOnly).toBe(true);
    const join = (url: string, createConnection?: ReturnType<typeof pinnedTlsConnect>) => {
      const client = new RoomClient({
        url,
        name: 'Guest',
        clientId: randomId(22),
        createSocket: (u) => new WebSocket(u, createConnection ? { createConnection: createConnection as never } : {}) as unknown as SocketLike,
      });
      cleanups.push(() => client.close());
      client.connect();
      return client;
    };
    const plain = join(`ws://127.0.0.1:${started.value.port}/ws`);
    await until(() => plain.state.status === 'closed');
    expect(plain.state).toMatchObject({ status: 'closed', reason: ENCRYPTION_REQUIRED });
    const own = [...s.pins.fingerprints('127.0.0.1')][0]!;
    const secure = join(`wss://127.0.0.1:${started.value.port}/ws`, pinnedTlsConnect(own));
    await until(() => secure.state.status === 'connected');
  });

  it('switches "Encrypted connections only" while hosting: on disconnects whoever joined plain, off lets them in again; the panel hears it', async () => {
    const s = services();
    const events: Array<HostingInfo | null> = [];
    s.on('host:changed', (info) => events.push(info && { ...info }));
    const activity: string[] = [];
    s.on('dashboard:activity', (entry) => activity.push(entry.text));
    expect(await s.handlers['host:set-encrypted-only']({ on: true })).toEqual({ ok: false, error: 'You are not hosting a room.' });
    const started = await s.handlers['host:start']({ room: 'Kitchen' });
    if (!started.ok) throw new Error(started.error);
    const plainJoin = (name: string) => {
      const client = new RoomClient({ url: `ws://127.0.0.1:${started.value.port}/ws`, name, clientId: randomId(22), createSocket: (u) => new WebSocket(u) as unknown as SocketLike });
      cleanups.push(() => client.close());
      client.connect();
      return client;
    };
    const health = async () => ((await (await fetch(`${started.value.localUrl}health`)).json()) as { encryptedOnly?: boolean }).encryptedOnly;
    const bo = plainJoin('Bo');
    await until(() => bo.state.status === 'connected');

    const on = await s.handlers['host:set-encrypted-only']({ on: true });
    expect(on).toMatchObject({ ok: true, value: { room: 'Kitchen', encryptedOnly: true } });
    expect(events.at(-1)).toMatchObject({ encryptedOnly: true });
    expect(await s.handlers['host:status'](null)).toMatchObject({ value: { encryptedOnly: true } });
    await until(() => bo.state.status === 'closed');
    expect(bo.state).toEqual({ status: 'closed', reason: ENCRYPTION_REQUIRED, code: 'encryption_required' });
    expect(activity).toContain('Encrypted connections only: on. 1 person without encryption was disconnected: Bo');
    expect(await health()).toBe(true);

    const off = await s.handlers['host:set-encrypted-only']({ on: false });
    expect(off).toMatchObject({ ok: true, value: { encryptedOnly: false } });
    expect(events.at(-1)).toMatchObject({ encryptedOnly: false });
    expect(await health()).toBeUndefined();
    const cy = plainJoin('Cy');
    await until(() => cy.state.status === 'connected');
  });

  it('refuses a switch request that does not say on or off, with a sentence', async () => {
    const s = services();
    const started = await s.handlers['host:start']({ room: 'Kitchen' });
    if (!started.ok) throw new Error(started.error);
    for (const bad of [null, {}, { on: 'yes' }] as unknown[]) {
      expect(await s.handlers['host:set-encrypted-only'](bad as { on: boolean })).toEqual({
        ok: false,
        error: 'Say whether the room takes encrypted connections only (on: true or false).',
      });
    }
    expect(await s.handlers['host:status'](null)).toMatchObject({ value: { encryptedOnly: false } });
  });

  it('refuses to host with a damaged identity, saying what to move to start over', async () => {
    const { dir, s } = await hostKitchen();
    await s.handlers['host:stop'](null);
    writeFileSync(join(dir.path, CERT_FILE), 'damaged');
    expect(await s.handlers['host:start']({ room: 'Kitchen' })).toEqual({
      ok: false,
      error:
        `Cannot open the room: ${join(dir.path, CERT_FILE)} is not a certificate Hearth can read (damaged?). ` +
        `To start over with a new identity (its fingerprint changes: people who compare it will see a new one), move host-key.pem and host-cert.pem out of ${dir.path}.`,
    });
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

  it('scans on request, asking the rooms joined before even where no subnet can be scanned', async () => {
    const hosting = services();
    const hosted = await hosting.handlers['host:start']({ room: 'Attic' });
    if (!hosted.ok) throw new Error(hosted.error);
    const dir = tempDir();
    // Discovery on, but outside a namespace HEARTH_MDNS_ONLY leaves it no interface: nothing multicasts, no subnet is scanned.
    const s = new AppServices({ dataDir: dir.path, mdns: true });
    cleanups.push(() => dir.remove());
    cleanups.push(() => s.shutdown());
    await s.start();
    await s.handlers['settings:update']({ rememberRoom: { address: `127.0.0.1:${hosted.value.port}`, room: 'Attic', lastJoined: 1 } });
    const snapshots: string[] = [];
    s.on('rooms:changed', (snapshot) => snapshot.scan && snapshots.push(snapshot.scan.state));
    expect(await s.handlers['rooms:scan'](null)).toEqual({ ok: true, value: { state: 'done', subnets: [], found: 1, asked: 1, planned: 1 } });
    const listed = await s.handlers['rooms:list'](null);
    expect(listed.ok && listed.value).toMatchObject({ rooms: [{ room: 'Attic', address: '127.0.0.1', port: hosted.value.port }], scan: { state: 'done', found: 1 } });
    expect(snapshots[0]).toBe('scanning');
    expect(snapshots.at(-1)).toBe('done');
    expect(await services().handlers['rooms:scan'](null)).toEqual({ ok: false, error: 'Discovery is off. Join rooms by address.' });
  });

  it('gives every room a safe, distinct history folder', () => {
    expect(slug('Kitchen')).toMatch(/^kitchen-[a-z0-9]+$/);
    expect(slug('../../etc')).toMatch(/^etc-[a-z0-9]+$/);
    expect(slug('Café')).not.toBe(slug('Cafe'));
    expect(slug('🔥🔥')).toMatch(/^room-[a-z0-9]+$/);
  });
});
