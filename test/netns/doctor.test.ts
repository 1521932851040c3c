// `hearth doctor` inside a namespace "machine" (issue #14, "Why can't they see my room?"):
// a link with no multicast route is reported with the route to add and does not fail the
// check; a room port refused on an address (an iptables REJECT inside the namespace) is
// reported with where to look, and the check exits 1.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Proc, spawnHost } from '../support/cli.ts';
import { tempDir } from '../support/host.ts';
import { canCreateNamespaces, createLab, type Lab, type NetHost } from './netns.ts';

const namespacesOk = await canCreateNamespaces();
if (!namespacesOk) console.log('skipped: cannot create network namespaces (needs root / CAP_NET_ADMIN)');

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function room(host: NetHost, port: number): Promise<void> {
  const data = tempDir();
  const started = await spawnHost(['--data', data.path, '--room', 'Doctor', '--port', String(port)], { netns: host.name, mdns: true });
  cleanups.push(async () => {
    started.proc.kill('SIGKILL');
    await started.proc.exit;
    data.remove();
  });
}

/** Runs `hearth doctor` in the namespace to its end (bounded), with its output. */
async function doctor(host: NetHost, port: number): Promise<{ code: number | null; out: string }> {
  const proc = new Proc(['doctor', '--port', String(port)], {}, host.name);
  const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
  const code = await proc.exit;
  clearTimeout(timer);
  return { code, out: proc.lines.join('\n') };
}

async function interfaceOf(host: NetHost, address: string): Promise<string> {
  const { stdout } = await host.exec('ip', ['-o', 'addr', 'show']);
  const name = stdout.split('\n').find((l) => l.includes(` ${address}/`))?.split(/\s+/)[1];
  if (!name) throw new Error(`no interface with ${address}`);
  return name;
}

describe.skipIf(!namespacesOk)('hearth doctor', () => {
  let lab: Lab;
  let a: NetHost;
  beforeEach(async () => {
    lab = await createLab(['a', 'b'], [['a', 'b']]);
    a = lab.hosts['a']!;
    cleanups.push(() => lab.cleanup());
  });

  it('names a link with no multicast route and the route to add; nothing blocks: exit 0', async () => {
    const address = a.addresses['a-b']!;
    const iface = await interfaceOf(a, address);
    await a.exec('ip', ['route', 'del', '224.0.0.0/4']);
    await room(a, 47870);
    const { code, out } = await doctor(a, 47870);
    expect(out).toContain(`${iface} ${address}\n`);
    expect(out).toContain(`[ok] The room answers at http://${address}:47870/.`);
    expect(out).toContain('[ok] Multicast can be sent here, so rooms are announced on this network.');
    expect(out).toContain('[warning] This machine has no multicast route');
    expect(out).toContain(`→ If rooms on this network do not show up, add one: sudo ip route add 224.0.0.0/4 dev ${iface}.`);
    expect(out).toContain('Nothing found that keeps people out.');
    // Not a terminal: no colour.
    expect(out).not.toContain('\u001b[');
    expect(code).toBe(0);
  });

  it('says the room port is refused on an address, and where to look: exit 1', async () => {
    const address = a.addresses['a-b']!;
    await room(a, 47871);
    await a.exec('iptables', ['-A', 'INPUT', '-d', address, '-p', 'tcp', '--dport', '47871', '-j', 'REJECT']);
    const { code, out } = await doctor(a, 47871);
    expect(out).toContain(`[blocks] Nothing answers at http://${address}:47871/, even from this machine, so people cannot join there.`);
    expect(out).toContain('→ Look for a rule refusing TCP port 47871 (sudo iptables -S; sudo nft list ruleset)');
    expect(out).toContain('Something keeps people out: see the [blocks] lines above.');
    expect(code).toBe(1);
  });
});
