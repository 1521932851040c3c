// Rooms found without multicast (issue #14, "Beyond multicast"): a host that does not
// announce itself (as if the network filtered mDNS) is found by scanning the subnet for
// /health, on request (`hearth rooms --scan`) and by a browser that found nothing by
// itself; and a scan of a silent /22 ends by its deadline. Everything runs inside
// namespaces these tests create (netns.ts).
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Proc, collect, spawnHost } from '../support/cli.ts';
import { tempDir } from '../support/host.ts';
import { canCreateNamespaces, createSwitchedLab, type Lab, type NetHost } from './netns.ts';

const run = promisify(execFile);
const namespacesOk = await canCreateNamespaces();
if (!namespacesOk) console.log('skipped: cannot create network namespaces (needs root / CAP_NET_ADMIN)');

const PROBE = fileURLToPath(new URL('./browse-probe.ts', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ProbeLine {
  event: string;
  ms: number;
  room?: string;
  address?: string;
  subnets?: string[];
  found?: number;
  asked?: number;
  planned?: number;
  tookMs?: number;
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** browse-probe.ts inside namespace `ns`, with these BrowseOptions. */
function probe(ns: string, options: object) {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, PROBE, JSON.stringify(options)], { stdio: 'pipe' });
  const lines: string[] = [];
  const errors: string[] = [];
  collect(child.stdout, lines);
  collect(child.stderr, errors);
  const exit = new Promise((resolve) => child.once('exit', resolve));
  cleanups.push(async () => {
    child.kill('SIGKILL');
    await exit;
  });
  const events = () => lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as ProbeLine);
  return {
    events,
    ask: (what: 'scan' | 'rooms') => child.stdin.write(`${what}\n`),
    async waitFor(match: (e: ProbeLine) => boolean, timeoutMs: number, what: string): Promise<ProbeLine> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events().find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; saw:\n${lines.join('\n')}\n${errors.join('\n')}`);
        await sleep(25);
      }
    },
  };
}

function track(proc: Proc): Proc {
  cleanups.push(async () => {
    proc.kill('SIGKILL');
    await proc.exit;
  });
  return proc;
}

describe.skipIf(!namespacesOk)('finding rooms without multicast', () => {
  let lab: Lab;
  let a: NetHost, b: NetHost;
  let subnet: string;
  let stopHost: () => Promise<void>;
  beforeAll(async () => {
    lab = await createSwitchedLab(['a', 'b']);
    ({ a, b } = lab.hosts as Record<'a' | 'b', NetHost>);
    subnet = `${a.addresses['lan']!.split('.').slice(0, 3).join('.')}.0/24`;
    // --no-mdns: to everyone else this host is what a filtered network makes of any host.
    const data = tempDir();
    const { proc } = await spawnHost(['--data', data.path, '--room', 'Attic', '--port', '47800'], { netns: a.name, mdns: false });
    stopHost = async () => {
      proc.kill('SIGKILL');
      await proc.exit;
      data.remove();
    };
  }, 30_000);
  afterAll(async () => {
    await stopHost?.();
    await lab?.cleanup();
  });

  it('`hearth rooms --scan` finds a room that is not announced, within 5 s', async () => {
    // The premise: multicast alone does not see it.
    const plain = track(new Proc(['rooms', '--json', '--timeout', '1500'], {}, b.name));
    expect(await plain.exit).toBe(0);
    expect(plain.lines.filter((l) => l.includes('Attic'))).toEqual([]);

    const watching = track(new Proc(['rooms', '--scan', '--watch', '--json'], {}, b.name));
    const up = JSON.parse(await watching.waitForLine(/"event":"up".*"room":"Attic"/, 15_000)) as ProbeLine;
    expect(up.address).toBe(a.addresses['lan']);
    expect(up.ms).toBeLessThanOrEqual(5000);
    const done = JSON.parse(await watching.waitForLine(/"event":"scan","state":"done"/, 15_000)) as ProbeLine;
    expect(done).toMatchObject({ subnets: [subnet], found: 1, asked: 253, planned: 253 });
    console.log(`scan: a room that does not announce was listed ${up.ms} ms after \`hearth rooms --scan --watch\` started; the /24 took ${done.ms} ms`);

    const once = track(new Proc(['rooms', '--scan', '--json', '--timeout', '0'], {}, b.name));
    expect(await once.exit).toBe(0);
    const rooms = once.lines.map((l) => JSON.parse(l) as ProbeLine);
    expect(rooms).toMatchObject([{ room: 'Attic', address: a.addresses['lan'] }]);
    expect(once.errLines).toContain(`hearth rooms: Found 1 room by scanning ${subnet}.`);
  }, 40_000);

  it('a browser that found nothing scans by itself, and /health keeps the row', async () => {
    const watcher = probe(b.name, { autoScan: { afterMs: 1000, everyMs: 60_000 }, staleMs: 1500, healthIntervalMs: 500 });
    const up = await watcher.waitFor((e) => e.event === 'up' && e.room === 'Attic', 10_000, 'Attic found by the automatic scan');
    expect(up.address).toBe(a.addresses['lan']);
    expect(up.ms).toBeLessThanOrEqual(1000 + 5000);
    expect(up.ms).toBeGreaterThanOrEqual(1000);
    // Never announced, so only /health keeps it: several rounds past staleMs, it is still listed.
    await sleep(4000);
    expect(watcher.events().filter((e) => e.event === 'down')).toEqual([]);
    // One automatic scan: the list has not been empty since.
    expect(watcher.events().filter((e) => e.event === 'scan' && (e as { state?: string }).state === 'scanning')).toHaveLength(1);
    console.log(`scan: a browser that found nothing by multicast listed the room ${up.ms} ms after it started (automatic scan after 1 s)`);
  }, 30_000);

  it('a scan of a silent /22 ends by its 5 s deadline', async () => {
    // A namespace whose only link is a /22 where nothing answers: its peer, in a second
    // namespace, has no address, so every ARP request goes unanswered (a quiet LAN).
    const tag = `${process.pid % 10_000}`;
    const ns = `hearth-${tag}-scan22`;
    const sink = `hearth-${tag}-sink22`;
    for (const name of [ns, sink]) {
      await run('ip', ['netns', 'add', name]);
      cleanups.push(() => run('ip', ['netns', 'del', name]).catch(() => {}));
    }
    await run('ip', ['link', 'add', `q${tag}a`, 'type', 'veth', 'peer', 'name', `q${tag}b`]);
    await run('ip', ['link', 'set', `q${tag}a`, 'netns', ns]);
    await run('ip', ['link', 'set', `q${tag}b`, 'netns', sink]);
    for (const [name, args] of [
      [ns, ['link', 'set', 'lo', 'up']],
      [ns, ['addr', 'add', '10.231.252.9/22', 'dev', `q${tag}a`]],
      [ns, ['link', 'set', `q${tag}a`, 'up']],
      [sink, ['link', 'set', `q${tag}b`, 'up']],
    ] as const) {
      await run('ip', ['netns', 'exec', name, 'ip', ...args]);
    }
    const watcher = probe(ns, { autoScan: false });
    await watcher.waitFor((e) => e.event === 'status', 5000, 'the browser started');
    watcher.ask('scan');
    const done = await watcher.waitFor((e) => e.event === 'scanned', 10_000, 'the scan to end');
    expect(done.subnets).toEqual(['10.231.252.0/22']);
    expect(done.planned).toBe(1021);
    expect(done.found).toBe(0);
    expect(done.tookMs).toBeLessThanOrEqual(5000 + 500); // the deadline, and a loaded machine's lag
    expect(done.asked).toBeGreaterThan(500);
    console.log(`scan: a silent /22 asked ${done.asked} of ${done.planned} addresses in ${done.tookMs} ms`);
  }, 30_000);
});
