// The browsing side of LAN discovery on a hostile or messy network (issue #14): malformed
// packets, a port taken over by another host, forged announcements, floods, flapping rooms,
// junk in TXT records, and a browser started before its network was up. Every packet is sent
// inside namespaces these tests create (see netns.ts); forged ones by mdns-forge.ts.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Proc, collect, spawnHost } from '../support/cli.ts';
import { tempDir } from '../support/host.ts';
import { PROTOCOL_VERSION } from '../../common/protocol.ts';
import { canCreateNamespaces, createLab, createSwitchedLab, type Lab, type NetHost } from './netns.ts';

const namespacesOk = await canCreateNamespaces();
if (!namespacesOk) console.log('skipped: cannot create network namespaces (needs root / CAP_NET_ADMIN)');

// dns-packet comes with bonjour-service (through multicast-dns) and has no types of its own.
interface DnsRecord {
  name: string;
  type: 'PTR' | 'SRV' | 'TXT' | 'A';
  ttl: number;
  data: unknown;
}
const dnsPacket = createRequire(import.meta.url)('dns-packet') as {
  encode(packet: { type: 'response'; flags?: number; answers: DnsRecord[]; additionals?: DnsRecord[] }): Buffer;
};

const PROBE = fileURLToPath(new URL('./browse-probe.ts', import.meta.url));
const FORGE = fileURLToPath(new URL('./mdns-forge.ts', import.meta.url));
const SERVICE = '_hearth._tcp.local';

interface Forged {
  id: string;
  room: string | Buffer;
  port?: number;
  users?: string;
  host?: string;
  /** The A record's address (the forger's own by default). */
  address?: string;
}

/** One announcement of a room, as a Hearth host (or anyone) would send it. */
function announcement(f: Forged, from: string, ttl = 120): Buffer {
  const instance = `${typeof f.room === 'string' ? f.room.replace(/\./g, '-').slice(0, 40) : 'raw'} (${f.id.slice(0, 6)}).${SERVICE}`;
  const target = `${f.host ?? 'forger'}.local`;
  const txt = [Buffer.from(`v=${PROTOCOL_VERSION}`), Buffer.concat([Buffer.from('room='), Buffer.from(f.room)]), Buffer.from(`users=${f.users ?? '0'}`), Buffer.from('lock=0'), Buffer.from(`id=${f.id}`)];
  return dnsPacket.encode({
    type: 'response',
    flags: 0x400,
    answers: [
      { name: SERVICE, type: 'PTR', ttl, data: instance },
      { name: instance, type: 'SRV', ttl, data: { priority: 0, weight: 0, port: f.port ?? 47999, target } },
      { name: instance, type: 'TXT', ttl, data: txt },
    ],
    additionals: ttl > 0 ? [{ name: target, type: 'A', ttl, data: f.address ?? from }] : [],
  });
}

/** A 25-byte response whose one answer ends mid-record: it cannot be parsed. */
const MALFORMED = Buffer.concat([Buffer.from([0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0]), Buffer.from('\u0005hello\u0005local\u0000', 'latin1')]);

interface ProbeLine {
  event: string;
  ms: number;
  id?: string;
  room?: string;
  address?: string;
  port?: number;
  users?: number;
  state?: string;
  reason?: string;
  note?: string;
  why?: string;
  malformed?: number;
  rooms?: Array<{ id: string; room: string; address: string }>;
}

class Probe {
  readonly lines: string[] = [];
  readonly errors: string[] = [];
  readonly exit: Promise<number | null>;
  readonly #child;

  constructor(host: NetHost, options: object = {}) {
    this.#child = spawn('ip', ['netns', 'exec', host.name, process.execPath, PROBE, JSON.stringify(options)], { stdio: 'pipe' });
    collect(this.#child.stdout, this.lines);
    collect(this.#child.stderr, this.errors);
    this.exit = new Promise((resolve) => this.#child.once('exit', (code) => resolve(code)));
  }

  events(): ProbeLine[] {
    return this.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as ProbeLine);
  }

  ask(what: 'counters' | 'rooms'): void {
    this.#child.stdin.write(`${what}\n`);
  }

  async waitFor(match: (e: ProbeLine) => boolean, timeoutMs: number, what: string): Promise<ProbeLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events().find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; saw:\n${this.lines.join('\n')}\n${this.errors.join('\n')}`);
      await sleep(25);
    }
  }

  stop(): void {
    this.#child.kill('SIGKILL');
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function probe(host: NetHost, options: object = {}): Probe {
  const p = new Probe(host, options);
  cleanups.push(async () => {
    p.stop();
    await p.exit;
  });
  return p;
}

/** Send packets from `host` (bounded rounds); resolves when the forger is done. */
function forge(host: NetHost, packets: Buffer[], rounds = 1, gapMs = 50): Promise<void> {
  const child = host.spawn(process.execPath, [FORGE, JSON.stringify({ interface: host.addresses['lan'] ?? Object.values(host.addresses)[0], packets: packets.map((p) => p.toString('base64')), rounds, gapMs })]);
  const errors: string[] = [];
  collect(child.stderr!, errors);
  cleanups.push(() => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`forger failed: ${errors.join('\n')}`)))));
}

async function hearthHost(netns: string, args: string[], mdns = true): Promise<Proc> {
  const data = tempDir();
  const started = await spawnHost(['--data', data.path, ...args], { netns, mdns });
  cleanups.push(async () => {
    started.proc.kill('SIGKILL');
    await started.proc.exit;
    data.remove();
  });
  return started.proc;
}

describe.skipIf(!namespacesOk)('browsing a messy LAN', () => {
  let lab: Lab;
  let a: NetHost, b: NetHost, c: NetHost;
  beforeAll(async () => {
    lab = await createSwitchedLab(['a', 'b', 'c']);
    ({ a, b, c } = lab.hosts as Record<'a' | 'b' | 'c', NetHost>);
  });
  afterAll(async () => lab?.cleanup());

  it('1. a malformed packet is dropped and counted, not a broken link', async () => {
    const watcher = probe(b);
    await watcher.waitFor((e) => e.event === 'status' && e.state === 'browsing', 5000, 'browsing');
    await forge(c, [MALFORMED], 3);
    await hearthHost(a.name, ['--room', 'After', '--port', '47860']);
    await watcher.waitFor((e) => e.event === 'up' && e.room === 'After', 5000, 'a room announced after the bad packets');
    watcher.ask('counters');
    const counters = await watcher.waitFor((e) => e.event === 'counters', 3000, 'counters');
    expect(watcher.events().filter((e) => e.event === 'status' && e.state !== 'browsing')).toEqual([]);
    expect(counters.malformed).toBeGreaterThanOrEqual(1);
  });

  it('4. a room whose port another host took is dropped: /health must be the same host id', async () => {
    // Stale after 6 s of silence: the other room is up on the port by then.
    const watcher = probe(b, { staleMs: 6000, healthIntervalMs: 500 });
    const first = await hearthHost(a.name, ['--room', 'Original', '--port', '47861']);
    const up = await watcher.waitFor((e) => e.event === 'up' && e.room === 'Original', 5000, 'Original up');
    first.kill('SIGKILL');
    await first.exit;
    // Another room of the same name on the same machine and port, not announced: it answers /health.
    await hearthHost(a.name, ['--room', 'Original', '--port', '47861'], false);
    const down = await watcher.waitFor((e) => e.event === 'down' && e.id === up.id, 20_000, 'Original down');
    console.log(`browse: a room replaced on its port left the list ${down.ms - up.ms} ms after it appeared (${down.why})`);
  }, 30_000);

  it('7. a forged announcement of a room id never moves the row to the forger', async () => {
    const watcher = probe(b, { staleMs: 2000, healthIntervalMs: 500 });
    const real = await hearthHost(a.name, ['--room', 'Real', '--port', '47862']);
    const up = await watcher.waitFor((e) => e.event === 'up' && e.room === 'Real', 5000, 'Real up');
    expect(up.address).toBe(a.addresses['lan']);
    const forger = forge(c, [announcement({ id: up.id!, room: 'Real', port: 47999 }, c.addresses['lan']!)], 40, 250);
    await sleep(3000);
    // The real host dies; the forger goes on claiming its id.
    real.kill('SIGKILL');
    await watcher.waitFor((e) => e.event === 'down' && e.id === up.id, 15_000, 'Real down once its host is gone');
    await forger;
    const atForger = watcher.events().filter((e) => (e.event === 'up' || e.event === 'update') && e.address === c.addresses['lan']);
    expect(atForger).toEqual([]);
  }, 30_000);

  it('6. caps rows per source address, says so, and damps a flapping room', async () => {
    const watcher = probe(b);
    await watcher.waitFor((e) => e.event === 'status' && e.state === 'browsing', 5000, 'browsing');
    const flood = Array.from({ length: 40 }, (_, i) => announcement({ id: `flood${String(i).padStart(4, '0')}`, room: `Flood ${i}` }, c.addresses['lan']!));
    await forge(c, flood, 2, 10);
    await sleep(500);
    const ups = watcher.events().filter((e) => e.event === 'up' && e.room?.startsWith('Flood'));
    expect(ups).toHaveLength(16);
    const said = await watcher.waitFor((e) => e.event === 'status' && /not shown|limit/i.test(e.note ?? ''), 2000, 'a note about the cap');
    console.log(`browse: 40 rooms from one address: 16 listed; status says "${said.note}"`);

    // From another address: c is at its cap.
    const flapper = { id: 'flapper001', room: 'Flapper' };
    const flaps = [announcement(flapper, a.addresses['lan']!), announcement(flapper, a.addresses['lan']!, 0)];
    await forge(a, flaps, 8, 300);
    const flapUps = watcher.events().filter((e) => e.event === 'up' && e.id === 'flapper001');
    expect(flapUps.length).toBeGreaterThanOrEqual(1);
    expect(flapUps.length).toBeLessThanOrEqual(3);
  }, 30_000);

  it('10. junk in TXT and SRV never reaches the list or the terminal', async () => {
    const from = c.addresses['lan']!;
    const rooms: Forged[] = [
      { id: 'junkansi01', room: 'Evil\u001b[31mRed\u001b[0m\r\nline two', host: 'bad\u001b[2Jhost' },
      { id: 'junkport00', room: 'Port Zero', port: 0 },
      { id: 'junkinvis1', room: '\u200b\u2800\u3164 \u200d' },
      { id: 'junkusers1', room: 'Crowded', users: '99999999999' },
      { id: 'junkcut001', room: Buffer.from([...Buffer.from('Fire '), 0xf0, 0x9f, 0x94]) },
      { id: 'junklong01', room: `${'x'.repeat(63)}🔥 and more` },
    ];
    const forger = forge(c, rooms.map((r) => announcement(r, from)), 15, 100);
    await sleep(300);
    const json = new Proc(['rooms', '--json', '--timeout', '2500'], {}, b.name);
    const plain = new Proc(['rooms', '--timeout', '2500'], { FORCE_COLOR: '1', NO_COLOR: '' }, b.name);
    expect(await json.exit).toBe(0);
    expect(await plain.exit).toBe(0);
    await forger;
    const listed = json.lines.map((l) => JSON.parse(l) as { id: string; room: string; host: string; users: number; port: number });
    expect(listed.map((r) => r.id).sort()).toEqual(['junkansi01', 'junkcut001', 'junklong01']);
    const byId = Object.fromEntries(listed.map((r) => [r.id, r]));
    expect(byId['junkansi01']!.room).toBe('EvilRed line two');
    expect(byId['junkansi01']!.host).not.toMatch(/\p{Cc}/u);
    expect(byId['junkcut001']!.room).toBe('Fire');
    for (const r of listed) expect(r.room.isWellFormed()).toBe(true);
    // Only our own styling (bold room names) may reach the terminal: no screen clears, no colours from the network.
    expect(plain.lines.join('\n')).toContain('EvilRed line two');
    const ourBold = new RegExp(String.raw`\x1b\[(?:1|22)m`, 'g');
    for (const line of plain.lines) expect(line.replace(ourBold, '')).not.toMatch(/\p{Cc}/u);
  }, 30_000);
});

describe.skipIf(!namespacesOk)('a browser started before its network', () => {
  it('5. waits instead of exiting, browses an interface that comes up within 5 s, drops one that goes', async () => {
    const lab = await createLab(['a', 'b'], [['a', 'b']]);
    cleanups.push(() => lab.cleanup());
    const { a, b } = lab.hosts as Record<'a' | 'b', NetHost>;
    const address = b.addresses['a-b']!;
    const device = (await b.exec('ip', ['-o', 'addr', 'show'])).stdout.split('\n').find((l) => l.includes(` ${address}/`))!.split(/\s+/)[1]!;
    await b.exec('ip', ['addr', 'del', `${address}/24`, 'dev', device]);

    const watcher = probe(b, { followIntervalMs: 500 });
    const cli = new Proc(['rooms', '--watch', '--json'], {}, b.name);
    cleanups.push(async () => {
      cli.kill('SIGKILL');
      await cli.exit;
    });
    await hearthHost(a.name, ['--room', 'Later', '--port', '47870']);
    await sleep(1500);
    expect(cli.child.exitCode).toBeNull();
    expect(watcher.events().filter((e) => e.event === 'up')).toEqual([]);

    const cameUp = Date.now();
    await b.exec('ip', ['addr', 'add', `${address}/24`, 'dev', device]);
    await watcher.waitFor((e) => e.event === 'up' && e.room === 'Later', 10_000, 'Later once the address is there');
    const tookMs = Date.now() - cameUp;
    console.log(`browse: a browser started offline listed a room ${tookMs} ms after its interface got an address`);
    expect(tookMs).toBeLessThanOrEqual(8000);
    await cli.waitForLine(/"room":"Later"/, 10_000);

    await b.exec('ip', ['addr', 'del', `${address}/24`, 'dev', device]);
    await watcher.waitFor((e) => e.event === 'status' && e.state === 'offline', 5000, 'offline again');
    expect(watcher.errors.join('\n')).toBe('');
    expect(cli.child.exitCode).toBeNull();
  }, 40_000);
});
