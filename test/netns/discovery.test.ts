// LAN discovery between real (namespaced) machines: mDNS only ever runs inside network
// namespaces these tests create, joined by veth pairs or a bridge. Each scenario prints
// its timings. Where namespaces cannot be made, the suite says so and is skipped.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Proc } from '../support/cli.ts';
import { labSession } from './lab-session.ts';
import { canCreateNamespaces, createLab, createSwitchedLab, type Lab } from './netns.ts';
import type { RoomListing } from '../../common/ipc.ts';
import { PROTOCOL_VERSION } from '../../common/protocol.ts';

const namespacesOk = await canCreateNamespaces();
if (!namespacesOk) console.log('skipped: cannot create network namespaces (needs root / CAP_NET_ADMIN)');
const zeroconfOk = (() => {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import zeroconf'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const { cleanups, track, host, timing } = labSession('discovery');

/** One line of `hearth rooms --json`: a listing, and with --watch the event and when. */
type RoomLine = RoomListing & { event?: string; ms?: number };

function watch(netns: string): Proc {
  return track(new Proc(['rooms', '--watch', '--json'], {}, netns));
}

/** Rooms events printed so far by a `hearth rooms --watch --json`. */
function events(proc: Proc): RoomLine[] {
  return proc.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as RoomLine);
}

async function waitForEvent(proc: Proc, match: (e: RoomLine) => boolean, timeoutMs: number, what: string): Promise<RoomLine> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = events(proc).find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; saw: ${proc.lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(!namespacesOk)('discovery across network namespaces', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await createLab(['a', 'b'], [['a', 'b']]);
  });
  afterAll(async () => lab?.cleanup());

  it('lists a host from another machine within a second, and people there chat across the link', async () => {
    const { a, b } = lab.hosts as Record<'a' | 'b', NonNullable<Lab['hosts'][string]>>;
    await host(a.name, ['--room', 'Kitchen', '--port', '47800']);
    const watcher = watch(b.name);
    const up = await waitForEvent(watcher, (e) => e.event === 'up' && e.room === 'Kitchen', 5000, 'Kitchen to appear');
    timing(`1. room listed in the other namespace ${up.ms} ms after browsing started`);
    expect(up.ms).toBeLessThanOrEqual(1000);
    expect(up).toMatchObject({ address: a.addresses['a-b'], port: 47800, users: 0, lock: false, v: PROTOCOL_VERSION });
    expect(up.id).toMatch(/^[a-z0-9]{10,32}$/);

    const once = track(new Proc(['rooms', '--json'], {}, b.name));
    expect(await once.exit).toBe(0);
    const listed = once.lines.map((l) => JSON.parse(l) as RoomLine);
    expect(listed).toEqual([expect.objectContaining({ room: 'Kitchen', address: a.addresses['a-b'], port: 47800, id: up.id })]);

    const local = track(new Proc(['join', '127.0.0.1:47800', '--name', 'Al'], {}, a.name));
    await local.waitForLine(/Joined "Kitchen" as Al/);
    const remote = track(new Proc(['join', `${up.address}:${up.port}`, '--name', 'Bea'], {}, b.name));
    await remote.waitForLine(/Joined "Kitchen" as Bea/);
    local.write('hello from a');
    await remote.waitForLine(/Al: hello from a/);
    remote.write('hello from b');
    await local.waitForLine(/Bea: hello from b/);

    // 2. The users count in TXT follows joins and leaves (throttled to one update a second).
    const two = await waitForEvent(watcher, (e) => e.event === 'update' && e.users === 2, 5000, 'users=2');
    timing(`2. users=2 announced ${two.ms! - up.ms!} ms after the room appeared`);
    remote.write('/quit');
    await remote.exit;
    const before = Date.now();
    await waitForEvent(watcher, (e) => e.event === 'update' && e.users === 1 && (e.ms ?? 0) > (two.ms ?? 0), 5000, 'users=1');
    timing(`2. users=1 announced ${Date.now() - before} ms after a leave`);
  });

  it('drops a room at once on a graceful stop, and within 30 s when the host is killed', async () => {
    const { a, b } = lab.hosts as Record<'a' | 'b', NonNullable<Lab['hosts'][string]>>;
    const watcher = watch(b.name);
    const first = await host(a.name, ['--room', 'Graceful', '--port', '47801']);
    await waitForEvent(watcher, (e) => e.event === 'up' && e.room === 'Graceful', 5000, 'Graceful up');
    const stoppedAt = Date.now();
    first.kill('SIGINT');
    await waitForEvent(watcher, (e) => e.event === 'down' && e.room === 'Graceful', 3000, 'Graceful down');
    const gracefulMs = Date.now() - stoppedAt;
    timing(`3. graceful stop: gone from the list after ${gracefulMs} ms`);
    expect(gracefulMs).toBeLessThanOrEqual(1000);

    const victim = await host(a.name, ['--room', 'Doomed', '--port', '47802']);
    await waitForEvent(watcher, (e) => e.event === 'up' && e.room === 'Doomed', 5000, 'Doomed up');
    const killedAt = Date.now();
    victim.kill('SIGKILL');
    await waitForEvent(watcher, (e) => e.event === 'down' && e.room === 'Doomed', 35_000, 'Doomed down');
    const killedMs = Date.now() - killedAt;
    timing(`3. kill -9: gone from the list after ${killedMs} ms`);
    expect(killedMs).toBeLessThanOrEqual(30_000);
  }, 60_000);

  it('keeps working when discovery cannot: hosting and joining by address go on', async () => {
    const { a, b } = lab.hosts as Record<'a' | 'b', NonNullable<Lab['hosts'][string]>>;
    // Another program holds port 5353 exclusively (no SO_REUSEADDR), as some mDNS daemons do.
    const blocker = a.spawn('/usr/bin/python3', [
      '-c',
      'import socket,time,sys\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\ns.bind(("0.0.0.0",5353))\nprint("bound",flush=True)\ntime.sleep(60)',
    ]);
    cleanups.push(() => blocker.kill('SIGKILL'));
    await new Promise<void>((resolve) => blocker.stdout!.once('data', () => resolve()));
    const room = await host(a.name, ['--room', 'Quiet', '--port', '47803']);
    await room.waitForLine(/LAN discovery unavailable: port 5353 is used by another program\. People can still join/);
    const remote = track(new Proc(['join', `${a.addresses['a-b']}:47803`, '--name', 'Bea'], {}, b.name));
    await remote.waitForLine(/Joined "Quiet" as Bea/);
    const local = track(new Proc(['join', '127.0.0.1:47803', '--name', 'Al'], {}, a.name));
    await local.waitForLine(/Joined/);
    remote.write('still works');
    await local.waitForLine(/Bea: still works/);

    // A browser that cannot listen says why instead of listing nothing.
    const rooms = track(new Proc(['rooms'], {}, a.name));
    expect(await rooms.exit).toBe(1);
    expect(rooms.errLines.join('\n')).toMatch(/discovery unavailable: port 5353 is used by another program/);
  });
});

describe.skipIf(!namespacesOk)('discovery on a shared segment', () => {
  it('lists two hosts with the same room name as two rooms, and evicts neither', async () => {
    const lab = await createSwitchedLab(['a', 'b', 'c']);
    cleanups.push(() => lab.cleanup());
    const { a, b, c } = lab.hosts as Record<'a' | 'b' | 'c', NonNullable<Lab['hosts'][string]>>;
    const watcher = watch(b.name);
    await host(a.name, ['--room', 'Lobby', '--port', '47810']);
    await host(c.name, ['--room', 'Lobby', '--port', '47811']);
    await waitForEvent(watcher, (e) => e.event === 'up' && e.address === c.addresses['lan'], 5000, 'second Lobby');
    await waitForEvent(watcher, (e) => e.event === 'up' && e.address === a.addresses['lan'], 5000, 'first Lobby');
    await new Promise((r) => setTimeout(r, 4000));
    const ups = events(watcher).filter((e) => e.event === 'up' && e.room === 'Lobby');
    expect(new Set(ups.map((e) => e.id)).size).toBe(2);
    expect(events(watcher).filter((e) => e.event === 'down')).toEqual([]);
    timing('4. two hosts named "Lobby": both listed, none evicted after 4 s');
  }, 30_000);
});

describe.skipIf(!namespacesOk)('a host with two links', () => {
  it('is seen from both links, each with an address that reaches it', async () => {
    const lab = await createLab(['a', 'b', 'c'], [
      ['a', 'b'],
      ['a', 'c'],
    ]);
    cleanups.push(() => lab.cleanup());
    const { a, b, c } = lab.hosts as Record<'a' | 'b' | 'c', NonNullable<Lab['hosts'][string]>>;
    await host(a.name, ['--room', 'Bridge', '--port', '47820']);
    for (const [viewer, link] of [
      [b, 'a-b'],
      [c, 'a-c'],
    ] as const) {
      const watcher = watch(viewer.name);
      const up = await waitForEvent(watcher, (e) => e.event === 'up' && e.room === 'Bridge', 5000, `Bridge from ${link}`);
      expect(up.address).toBe(a.addresses[link]);
      const { stdout } = await viewer.exec('curl', ['-s', '--max-time', '3', `http://${up.address}:${up.port}/health`]);
      expect(JSON.parse(stdout)).toMatchObject({ app: 'hearth', room: 'Bridge' });
      timing(`5. two links: seen across ${link} at ${up.address} after ${up.ms} ms, /health reachable`);
    }
  }, 30_000);

  it('announces only where --interface says', async () => {
    const lab = await createLab(['a', 'b', 'c'], [
      ['a', 'b'],
      ['a', 'c'],
    ]);
    cleanups.push(() => lab.cleanup());
    const { a, b, c } = lab.hosts as Record<'a' | 'b' | 'c', NonNullable<Lab['hosts'][string]>>;
    const room = await host(a.name, ['--room', 'OneSide', '--port', '47821', '--interface', a.addresses['a-b']!]);
    const announced = await room.waitForLine(/Announced on the LAN as/);
    expect(announced).toContain(`(${a.addresses['a-b']})`);
    const fromB = watch(b.name);
    const fromC = watch(c.name);
    await waitForEvent(fromB, (e) => e.event === 'up' && e.room === 'OneSide', 5000, 'OneSide from b');
    await new Promise((r) => setTimeout(r, 2500));
    expect(events(fromC).filter((e) => e.event !== 'status')).toEqual([]);
  }, 30_000);
});

describe.skipIf(!namespacesOk || !zeroconfOk)('interop with python3-zeroconf', () => {
  it('is seen by zeroconf, and sees a room zeroconf publishes', async () => {
    const lab = await createLab(['a', 'b'], [['a', 'b']]);
    cleanups.push(() => lab.cleanup());
    const { a, b } = lab.hosts as Record<'a' | 'b', NonNullable<Lab['hosts'][string]>>;
    await host(a.name, ['--room', 'Interop', '--port', '47830']);
    const browse = `
import time, json
from zeroconf import Zeroconf, ServiceBrowser, ServiceListener
found = {}
class L(ServiceListener):
    def add_service(self, zc, type_, name):
        info = zc.get_service_info(type_, name, 3000)
        if info:
            found[name] = {"port": info.port, "addresses": info.parsed_addresses(), "txt": {k.decode(): (v or b"").decode() for k, v in info.properties.items()}}
    def update_service(self, zc, type_, name): pass
    def remove_service(self, zc, type_, name): pass
zc = Zeroconf(interfaces=["${b.addresses['a-b']}"])
ServiceBrowser(zc, "_hearth._tcp.local.", L())
deadline = time.time() + 8
while not found and time.time() < deadline: time.sleep(0.1)
print(json.dumps(found), flush=True)
zc.close()
`;
    const py = b.spawn('/usr/bin/python3', ['-c', browse]);
    let out = '';
    py.stdout!.on('data', (d) => (out += d));
    await new Promise((resolve) => py.once('exit', resolve));
    const found = JSON.parse(out.trim() || '{}') as Record<string, { port: number; addresses: string[]; txt: Record<string, string> }>;
    const entry = Object.entries(found).find(([name]) => name.startsWith('Interop ('));
    expect(entry, out).toBeDefined();
    expect(entry![1]).toMatchObject({ port: 47830, txt: { v: String(PROTOCOL_VERSION), room: 'Interop', users: '0', lock: '0' } });
    expect(entry![1].addresses).toContain(a.addresses['a-b']);
    timing('6. python3-zeroconf resolved Hearth\'s _hearth._tcp with its TXT');

    const publish = `
import socket, time
from zeroconf import Zeroconf, ServiceInfo
info = ServiceInfo("_hearth._tcp.local.", "Py Room (py0001)._hearth._tcp.local.", addresses=[socket.inet_aton("${a.addresses['a-b']}")], port=47999,
    properties={"v": "1", "room": "Py Room", "users": "3", "lock": "1", "id": "pyroom0001"}, server="pyhost.local.")
zc = Zeroconf(interfaces=["${a.addresses['a-b']}"])
zc.register_service(info)
print("registered", flush=True)
time.sleep(20)
`;
    const publisher = a.spawn('/usr/bin/python3', ['-c', publish]);
    cleanups.push(() => publisher.kill('SIGKILL'));
    await new Promise<void>((resolve) => publisher.stdout!.once('data', () => resolve()));
    const watcher = watch(b.name);
    const py2 = await waitForEvent(watcher, (e) => e.event === 'up' && e.room === 'Py Room', 8000, 'Py Room');
    expect(py2).toMatchObject({ id: 'pyroom0001', users: 3, lock: true, port: 47999, host: 'pyhost', address: a.addresses['a-b'] });
    timing(`6. Hearth listed a room published by python3-zeroconf after ${py2.ms} ms`);
  }, 40_000);
});

if (namespacesOk && !zeroconfOk) {
  console.log('skipped: interop with python3-zeroconf (apt-get install python3-zeroconf)');
}

