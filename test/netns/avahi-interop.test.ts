// Avahi's own clients find Hearth rooms (the other direction, Hearth listing what Avahi and
// python-zeroconf publish, is in discovery.test.ts). Avahi runs inside the namespaces with a
// private D-Bus, and `avahi-browse --resolve` must get a reachable address: on a host with
// two links, each neighbour the address of the link it shares with the host.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../common/protocol.ts';
import { labSession } from './lab-session.ts';
import { canCreateNamespaces, createLab, type NetHost } from './netns.ts';
import { interfaceOf, startAvahi, type AvahiService } from './neighbours.ts';

const namespacesOk = await canCreateNamespaces();
const succeeds = (script: string) => new Promise<boolean>((resolve) => execFile('sh', ['-c', script], (error) => resolve(!error)));
const avahiOk = (await succeeds('command -v avahi-daemon')) && (await succeeds('command -v avahi-browse')) && (await succeeds('command -v dbus-daemon'));
if (!namespacesOk) console.log('skipped: cannot create network namespaces (needs root / CAP_NET_ADMIN)');
else if (!avahiOk) console.log('skipped: Avahi interop (apt-get install avahi-daemon avahi-utils dbus)');

const { cleanups, host } = labSession('avahi');

async function lab(hosts: string[], links: Array<[string, string]>): Promise<Record<string, NetHost>> {
  const made = await createLab(hosts, links);
  cleanups.push(() => made.cleanup());
  return made.hosts;
}

async function hearthHost(netns: string, args: string[]): Promise<void> {
  await (await host(netns, args)).waitForLine(/Announced on the LAN/);
}

async function avahiOn(host: NetHost, address: string) {
  const avahi = await startAvahi(host, await interfaceOf(host, address), `avahi-${host.name.slice(-6)}`, { dbus: true });
  cleanups.push(() => avahi.stop());
  return avahi;
}

/** Browse until the room shows up resolved (Avahi's first answer may come before the host's). */
async function resolveRoom(avahi: Awaited<ReturnType<typeof avahiOn>>, room: string): Promise<AvahiService> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = (await avahi.browse('_hearth._tcp', 4000)).find((s) => s.txt.includes(`room=${room}`));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`avahi-browse never resolved "${room}"`);
  }
}

describe.skipIf(!namespacesOk || !avahiOk)('Avahi finds Hearth rooms', () => {
  it('avahi-browse resolves a room with its address, port and TXT', async () => {
    const { a, b } = await lab(['a', 'b'], [['a', 'b']]);
    const avahi = await avahiOn(b!, b!.addresses['a-b']!);
    await hearthHost(a!.name, ['--room', 'Kitchen', '--port', '47881']);
    const room = await resolveRoom(avahi, 'Kitchen');
    expect(room.address).toBe(a!.addresses['a-b']);
    expect(room.port).toBe(47881);
    expect(room.name).toMatch(/^Kitchen \(/);
    expect(room.txt).toEqual(expect.arrayContaining([`v=${PROTOCOL_VERSION}`, 'lock=0', 'users=0']));
    // The host name Avahi resolved points at the host too (it was probed, not assumed).
    expect(room.hostName).toMatch(/\.local$/);
  }, 40_000);

  it('on a two-link host, each neighbour resolves the address of its own link', async () => {
    const { a, b, c } = await lab(['a', 'b', 'c'], [['a', 'b'], ['a', 'c']]);
    const onB = await avahiOn(b!, b!.addresses['a-b']!);
    const onC = await avahiOn(c!, c!.addresses['a-c']!);
    await hearthHost(a!.name, ['--room', 'Two links', '--port', '47882']);
    const [fromB, fromC] = await Promise.all([resolveRoom(onB, 'Two links'), resolveRoom(onC, 'Two links')]);
    expect(fromB.address).toBe(a!.addresses['a-b']);
    expect(fromC.address).toBe(a!.addresses['a-c']);
  }, 40_000);
});
