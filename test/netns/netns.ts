// Test hosts for LAN tests: network namespaces joined by veth pairs or by a bridge, with
// multicast enabled, so mDNS runs between "machines" without ever touching the real
// network. Every namespace and link this makes is removed by cleanup().
import { execFile, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

// The tools these tests drive (ip, iptables, avahi-daemon) live in sbin, which a non-login
// shell's PATH (CI's, for one) may leave out; without it they would report "skipped".
const path = (process.env['PATH'] ?? '').split(':');
for (const dir of ['/usr/sbin', '/sbin']) if (!path.includes(dir)) path.push(dir);
process.env['PATH'] = path.join(':');

export interface NetHost {
  /** The namespace name (ip netns exec NAME …). */
  name: string;
  /** Address of this host on each link, by link name. */
  addresses: Record<string, string>;
  /** Spawn a process inside this host. */
  spawn(command: string, args: string[], options?: SpawnOptions): ChildProcess;
  exec(command: string, args: string[]): Promise<{ stdout: string; stderr: string }>;
}

export interface Lab {
  hosts: Record<string, NetHost>;
  /** Take a link down or up (fault injection). */
  setLink(host: string, link: string, up: boolean): Promise<void>;
  cleanup(): Promise<void>;
}

/** Whether this process may create network namespaces (root with CAP_NET_ADMIN). */
export async function canCreateNamespaces(): Promise<boolean> {
  const probe = `hearth-probe-${process.pid}`;
  try {
    await run('ip', ['netns', 'add', probe]);
    await run('ip', ['netns', 'del', probe]);
    return true;
  } catch {
    return false;
  }
}

async function ip(...args: string[]): Promise<void> {
  await run('ip', args);
}

async function inNs(ns: string, ...args: string[]): Promise<void> {
  await run('ip', ['netns', 'exec', ns, ...args]);
}

let labCounter = 0;

/**
 * Build a lab on one shared segment: every host is plugged into a bridge that lives in its
 * own "switch" namespace; host i gets 10.231.<subnet>.<i+1>/24 on the link named "lan".
 */
export async function createSwitchedLab(hostNames: string[]): Promise<Lab> {
  const tag = `${process.pid % 10_000}${labCounter++}`;
  const sw = `hearth-${tag}-switch`;
  const created: string[] = [];
  const hosts: Record<string, NetHost> = {};
  const subnet = 100 + (labCounter % 100);
  const cleanup = async () => {
    for (const ns of created.splice(0)) await ip('netns', 'del', ns).catch(() => {});
  };
  try {
    await ip('netns', 'add', sw);
    created.push(sw);
    await inNs(sw, 'ip', 'link', 'add', 'br0', 'type', 'bridge');
    await inNs(sw, 'ip', 'link', 'set', 'br0', 'up');
    for (const [i, h] of hostNames.entries()) {
      const ns = `hearth-${tag}-${h}`;
      await ip('netns', 'add', ns);
      created.push(ns);
      await inNs(ns, 'ip', 'link', 'set', 'lo', 'up');
      const hostIf = `h${tag}${i}`.slice(0, 15);
      const swIf = `s${tag}${i}`.slice(0, 15);
      await ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', swIf);
      await ip('link', 'set', swIf, 'netns', sw);
      await inNs(sw, 'ip', 'link', 'set', swIf, 'master', 'br0', 'up');
      await ip('link', 'set', hostIf, 'netns', ns);
      const address = `10.231.${subnet}.${i + 1}`;
      await inNs(ns, 'ip', 'addr', 'add', `${address}/24`, 'dev', hostIf);
      await inNs(ns, 'ip', 'link', 'set', hostIf, 'multicast', 'on', 'up');
      await inNs(ns, 'ip', 'route', 'add', '224.0.0.0/4', 'dev', hostIf);
      hosts[h] = makeHost(ns);
      hosts[h].addresses['lan'] = address;
    }
  } catch (error) {
    await cleanup();
    throw error;
  }
  return {
    hosts,
    async setLink() {
      throw new Error('setLink is for point-to-point labs');
    },
    cleanup,
  };
}

/**
 * Build a lab. `links` joins pairs of hosts point-to-point ("a-b": hosts a and b share a
 * /24); each link gets subnet 10.231.<n>.0/24 with the first host at .1 and the second at .2.
 */
export async function createLab(hostNames: string[], links: Array<[string, string]>): Promise<Lab> {
  const tag = `${process.pid % 10_000}${labCounter++}`;
  const nsName = (h: string) => `hearth-${tag}-${h}`;
  const created: string[] = [];
  const hosts: Record<string, NetHost> = {};
  const cleanup = async () => {
    for (const ns of created.splice(0)) await ip('netns', 'del', ns).catch(() => {});
  };
  try {
    for (const h of hostNames) {
      const ns = nsName(h);
      await ip('netns', 'add', ns);
      created.push(ns);
      await inNs(ns, 'ip', 'link', 'set', 'lo', 'up');
      hosts[h] = makeHost(ns);
    }
    for (const [index, [a, b]] of links.entries()) {
      const subnet = 10 + index + (labCounter % 20) * 10;
      const ifA = `v${tag}${index}a`.slice(0, 15);
      const ifB = `v${tag}${index}b`.slice(0, 15);
      await ip('link', 'add', ifA, 'type', 'veth', 'peer', 'name', ifB);
      for (const [host, iface, octet] of [[a, ifA, 1], [b, ifB, 2]] as const) {
        const ns = nsName(host);
        const address = `10.231.${subnet}.${octet}`;
        await ip('link', 'set', iface, 'netns', ns);
        await inNs(ns, 'ip', 'addr', 'add', `${address}/24`, 'dev', iface);
        await inNs(ns, 'ip', 'link', 'set', iface, 'multicast', 'on', 'up');
        hosts[host]!.addresses[`${a}-${b}`] = address;
      }
    }
    // A multicast route on every host's first link, so mDNS has somewhere to go.
    for (const h of hostNames) {
      const ns = nsName(h);
      const { stdout } = await run('ip', ['netns', 'exec', ns, 'ip', '-o', 'link', 'show']);
      const first = stdout.split('\n').map((l) => /^\d+: ([^:@]+)/.exec(l)?.[1]).find((n) => n && n !== 'lo');
      if (first) await inNs(ns, 'ip', 'route', 'add', '224.0.0.0/4', 'dev', first).catch(() => {});
    }
  } catch (error) {
    await cleanup();
    throw error;
  }
  return {
    hosts,
    async setLink(host, link, up) {
      const ns = nsName(host);
      const { stdout } = await run('ip', ['netns', 'exec', ns, 'ip', '-o', 'addr', 'show']);
      const address = hosts[host]!.addresses[link];
      const iface = stdout.split('\n').find((l) => address && l.includes(` ${address}/`))?.split(/\s+/)[1];
      if (!iface) throw new Error(`no interface for ${link} on ${host}`);
      await inNs(ns, 'ip', 'link', 'set', iface, up ? 'up' : 'down');
    },
    cleanup,
  };
}

function makeHost(ns: string): NetHost {
  return {
    name: ns,
    addresses: {},
    spawn: (command, args, options = {}) => spawn('ip', ['netns', 'exec', ns, command, ...args], { stdio: 'pipe', ...options }),
    exec: (command, args) => run('ip', ['netns', 'exec', ns, command, ...args]),
  };
}
