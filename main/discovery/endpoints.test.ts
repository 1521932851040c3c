import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { LocalAddress } from './addresses.ts';
import { describeMdnsError, Endpoints, serviceRecords, type DiscoveryStatus, type EndpointsOptions, type Link, type MdnsSocket, type OpenLink, type WorkingState } from './endpoints.ts';

/** A link's transport that sends nothing: a send fails while `sendError` is set. */
class FakeMdns extends EventEmitter implements MdnsSocket {
  sendError: NodeJS.ErrnoException | undefined;
  queries = 0;
  query(_packet: unknown, cb?: (error: Error | null) => void): void {
    this.queries++;
    cb?.(this.sendError ?? null);
  }
  respond(): void {}
}

/** The machine: its interfaces (in the lab's 10.231. range, the only one tests may use) and the links opened on them. */
class FakeSystem {
  addresses: LocalAddress[] = [];
  opened: Array<OpenLink & { mdns: FakeMdns; destroyed: boolean; fail(reason: string): void }> = [];
  /** Addresses whose next link fails its first send. */
  failing = new Set<string>();

  up(address: string): void {
    this.addresses = [...this.addresses, { address, family: 'IPv4', interface: `eth${this.addresses.length}`, kind: 'lan', prefix: 24 }];
  }
  down(address: string): void {
    this.addresses = this.addresses.filter((a) => a.address !== address);
  }
  open = (address: string, prefix: number, onError: (reason: string) => void): OpenLink => {
    const mdns = new FakeMdns();
    if (this.failing.has(address)) mdns.sendError = Object.assign(new Error('send ENETUNREACH'), { code: 'ENETUNREACH', syscall: 'send' });
    const link = {
      address,
      prefix,
      mdns,
      destroyed: false,
      fail: onError,
      destroy: async () => {
        link.destroyed = true;
      },
    };
    this.opened.push(link);
    return link;
  };
  links(address: string) {
    return this.opened.filter((l) => l.address === address);
  }
}

function endpoints<W extends WorkingState>(system: FakeSystem, options: Omit<EndpointsOptions<W>, 'system'>) {
  const e = new Endpoints<W>({ ...options, system: { addresses: () => system.addresses, open: system.open } });
  const statuses: DiscoveryStatus<W>[] = [];
  e.on('status', (s) => statuses.push(s));
  return { e, statuses };
}

const browsing = { working: 'browsing', initial: 'stopped', noInterface: 'offline' } as const;
const announcing = { working: 'announcing', initial: 'starting', noInterface: 'unavailable' } as const;

describe('describeMdnsError', () => {
  it('says in words what the socket calls failed with', () => {
    expect(describeMdnsError(Object.assign(new Error('x'), { code: 'EADDRINUSE' }))).toBe('port 5353 is used by another program');
    expect(describeMdnsError(Object.assign(new Error('x'), { code: 'EPERM' }))).toBe('not allowed to use multicast (port 5353)');
    expect(describeMdnsError(Object.assign(new Error('x'), { code: 'ENETUNREACH' }))).toBe('no multicast route on this network');
    expect(describeMdnsError(Object.assign(new Error('x'), { code: 'ENODEV' }))).toBe('the network interface went away');
    expect(describeMdnsError(new Error('something else'))).toBe('something else');
  });
});

describe('serviceRecords', () => {
  it('shapes PTR, SRV and TXT records through bonjour-service, without its A and AAAA records', () => {
    const records = serviceRecords({ instance: 'Kitchen (abc123)', type: 'hearth', port: 47800, txt: { v: '2', room: 'Kitchen' } }, 'vm.local');
    expect(new Set(records.map((r) => r.type))).toEqual(new Set(['PTR', 'SRV', 'TXT']));
    expect(records.find((r) => r.type === 'SRV')).toMatchObject({ name: 'Kitchen (abc123)._hearth._tcp.local', data: { target: 'vm.local', port: 47800 } });
  });
});

describe('Endpoints with no interface', () => {
  it('is offline, or unavailable, as its owner says, and stopped after stop()', async () => {
    const system = new FakeSystem();
    const b = endpoints(system, { ...browsing, interfaces: ['hearth-test0'] });
    expect(b.e.status).toEqual({ state: 'stopped' });
    await b.e.follow(1000);
    expect(b.e.status).toEqual({ state: 'offline', reason: 'hearth-test0 has no IPv4 address yet (discovery starts when it gets one)' });
    const a = endpoints(system, announcing);
    expect(a.e.status).toEqual({ state: 'starting' });
    await a.e.follow(1000);
    expect(a.e.status).toEqual({ state: 'unavailable', reason: 'no network with an IPv4 address yet (discovery starts when one comes up)' });
    await Promise.all([a.e.stop(), b.e.stop()]);
    expect(b.statuses.at(-1)).toEqual({ state: 'stopped' });
    expect(a.statuses.at(-1)).toEqual({ state: 'stopped' });
  });
});

describe('Endpoints, browsing (a failed link is left open)', () => {
  it('opens one link per interface, follows them as they come and go, and names the working ones', async () => {
    const system = new FakeSystem();
    const opened: string[] = [];
    const closed: string[] = [];
    const { e, statuses } = endpoints(system, { ...browsing, onOpen: (l) => opened.push(l.address), onClose: (l) => closed.push(l.address) });
    system.up('10.231.0.2');
    await e.sync();
    expect(e.status).toEqual({ state: 'browsing', interfaces: ['10.231.0.2'] });
    expect(system.links('10.231.0.2')[0]!.mdns.queries).toBe(1); // the first question, which tests the link
    system.up('10.231.1.2');
    await e.sync();
    expect(e.status).toEqual({ state: 'browsing', interfaces: ['10.231.0.2', '10.231.1.2'] });
    system.down('10.231.0.2');
    await e.sync();
    expect(e.status).toEqual({ state: 'browsing', interfaces: ['10.231.1.2'] });
    expect(system.links('10.231.0.2')[0]!.destroyed).toBe(true);
    expect({ opened, closed }).toEqual({ opened: ['10.231.0.2', '10.231.1.2'], closed: ['10.231.0.2'] });
    system.down('10.231.1.2');
    await e.sync();
    expect(statuses.at(-1)).toMatchObject({ state: 'offline' });
    await e.stop();
  });

  it('keeps a link that cannot send open, asks nothing more through it, and reports why', async () => {
    const system = new FakeSystem();
    system.up('10.231.0.2');
    system.up('10.231.1.2');
    system.failing.add('10.231.1.2');
    const ready: string[] = [];
    const { e } = endpoints(system, { ...browsing, onReady: (l) => ready.push(l.address) });
    await e.sync();
    expect(e.status).toEqual({ state: 'browsing', interfaces: ['10.231.0.2'] });
    expect(ready).toEqual(['10.231.0.2']);
    expect(e.healthyLinks().map((l) => l.address)).toEqual(['10.231.0.2']);
    expect(e.links().map((l) => l.address)).toEqual(['10.231.0.2', '10.231.1.2']);
    system.down('10.231.0.2');
    await e.sync();
    await e.sync();
    expect(e.status).toEqual({ state: 'unavailable', reason: 'no multicast route on this network' });
    expect(system.links('10.231.1.2')).toHaveLength(1); // not opened again
    expect(system.links('10.231.1.2')[0]!.destroyed).toBe(false);
    // A later error keeps the first reason.
    system.links('10.231.1.2')[0]!.fail('the network interface went away');
    expect(e.status).toEqual({ state: 'unavailable', reason: 'no multicast route on this network' });
    await e.stop();
    expect(system.links('10.231.1.2')[0]!.destroyed).toBe(true);
  });

  it('adds its owner’s note to a working status', async () => {
    const system = new FakeSystem();
    system.up('10.231.0.2');
    const list = { note: undefined as string | undefined };
    const { e } = endpoints(system, { ...browsing, note: () => list.note });
    await e.sync();
    expect(e.status).toEqual({ state: 'browsing', interfaces: ['10.231.0.2'] });
    list.note = '3 rooms not shown';
    expect(e.refreshStatus()).toEqual({ state: 'browsing', interfaces: ['10.231.0.2'], note: '3 rooms not shown' });
    await e.stop();
  });
});

describe('Endpoints, announcing (a failed link is closed and tried again)', () => {
  it('is starting until its owner says a link works, then names it', async () => {
    const system = new FakeSystem();
    system.up('10.231.0.2');
    const announced = new Set<Link>();
    const { e } = endpoints(system, { ...announcing, isWorking: (l) => announced.has(l) });
    await e.sync();
    expect(e.status).toEqual({ state: 'starting' });
    announced.add(e.links()[0]!);
    e.works('10.231.0.2');
    expect(e.status).toEqual({ state: 'announcing', interfaces: ['10.231.0.2'] });
    await e.stop();
  });

  it('closes a failed link, opens it again after retryMs, and stays unavailable until it works', async () => {
    const system = new FakeSystem();
    system.up('10.231.0.2');
    system.failing.add('10.231.0.2');
    const announced = new Set<Link>();
    const closed: string[] = [];
    const { e, statuses } = endpoints(system, { ...announcing, retryMs: 30, isWorking: (l) => announced.has(l), onClose: (l) => closed.push(l.address) });
    await e.sync();
    expect(e.status).toEqual({ state: 'unavailable', reason: 'no multicast route on this network' });
    expect(system.links('10.231.0.2')[0]!.destroyed).toBe(true);
    expect(closed).toEqual(['10.231.0.2']);
    await e.sync();
    expect(system.links('10.231.0.2')).toHaveLength(1); // not before retryMs
    system.failing.clear();
    await new Promise((r) => setTimeout(r, 40));
    await e.sync();
    expect(system.links('10.231.0.2')).toHaveLength(2);
    expect(e.status).toEqual({ state: 'unavailable', reason: 'no multicast route on this network' }); // no flap while it probes
    announced.add(system.links('10.231.0.2')[1]!);
    e.works('10.231.0.2');
    expect(e.status).toEqual({ state: 'announcing', interfaces: ['10.231.0.2'] });
    expect(statuses.map((s) => s.state)).toEqual(['unavailable', 'announcing']);
    await e.stop();
  });

  it('lets stop() send goodbyes through the links before they close', async () => {
    const system = new FakeSystem();
    system.up('10.231.0.2');
    const { e } = endpoints(system, announcing);
    await e.sync();
    let openDuringFarewell: boolean | undefined;
    await e.stop(async (links) => {
      openDuringFarewell = links.length === 1 && !system.links('10.231.0.2')[0]!.destroyed;
    });
    expect(openDuringFarewell).toBe(true);
    expect(system.links('10.231.0.2')[0]!.destroyed).toBe(true);
    expect(e.status).toEqual({ state: 'stopped' });
  });

  it('knows the machine’s own addresses as of its last look', async () => {
    const system = new FakeSystem();
    system.up('10.231.0.2');
    const { e } = endpoints(system, announcing);
    await e.sync();
    expect(e.isOwnAddress('10.231.0.2')).toBe(true);
    expect(e.isOwnAddress('10.231.0.9')).toBe(false);
    await e.stop();
  });
});
