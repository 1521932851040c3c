// The announcing side of LAN discovery on a network that is not clean (issue 14): a
// malformed packet, two links, the cache-flush bit, repeated announcements and goodbyes
// under 25% loss, an Avahi neighbour holding our host name, and addresses that come and
// change. mDNS only ever runs inside namespaces these tests create; each test prints what
// it measured.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { collect, Proc } from '../support/cli.ts';
import type { RoomListing } from '../../common/ipc.ts';
import { canCreateNamespaces, createLab, type Lab, type NetHost } from './netns.ts';
import { labSession } from './lab-session.ts';
import { interfaceOf, loseOutgoingMdns, sniff, startAvahi, type HeardPacket, type MdnsRecord } from './neighbours.ts';

const LOSS_ROUNDS = fileURLToPath(new URL('./loss-rounds.ts', import.meta.url));
const namespacesOk = await canCreateNamespaces();
if (!namespacesOk) console.log('skipped: cannot create network namespaces (needs root / CAP_NET_ADMIN)');
const succeeds = (script: string) => new Promise<boolean>((resolve) => execFile('sh', ['-c', script], (error) => resolve(!error)));
const avahiOk = await succeeds('command -v avahi-daemon');
const zeroconfOk = await succeeds("/usr/bin/python3 -c 'import zeroconf'");
const iptablesOk = await succeeds('command -v iptables');
if (!avahiOk) console.log('skipped: the Avahi neighbour (apt-get install avahi-daemon)');
if (!iptablesOk) console.log('skipped: the 25% loss figures (apt-get install iptables)');
if (!zeroconfOk) console.log('skipped: the python-zeroconf cache check (apt-get install python3-zeroconf)');

const { cleanups, track, host, timing } = labSession('announce');

type RoomLine = RoomListing & { event?: string; ms?: number };

async function lab(hosts: string[], links: Array<[string, string]>): Promise<Record<string, NetHost>> {
  const made: Lab = await createLab(hosts, links);
  cleanups.push(() => made.cleanup());
  return made.hosts as Record<string, NetHost>;
}

function watch(netns: string): Proc {
  return track(new Proc(['rooms', '--watch', '--json'], {}, netns));
}

function events(proc: Proc): RoomLine[] {
  return proc.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as RoomLine);
}

async function until<T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined && found !== false) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const waitForEvent = (proc: Proc, match: (e: RoomLine) => boolean, timeoutMs: number, what: string) =>
  until(() => events(proc).find(match), timeoutMs, `${what}; saw: ${[...proc.lines, ...proc.errLines].join('\n')}`);

const records = (p: HeardPacket): MdnsRecord[] => [...(p.answers ?? []), ...(p.additionals ?? [])];
const hearthSrv = (p: HeardPacket, room: string): MdnsRecord | undefined =>
  p.type === 'response' ? records(p).find((r) => r.type === 'SRV' && r.name.startsWith(`${room} (`)) : undefined;

/** Several measurements from one process in a namespace (test/netns/loss-rounds.ts). */
function lossRounds(on: NetHost, args: string[]): { lines: string[]; write(line: string): void } {
  const child = on.spawn(process.execPath, [LOSS_ROUNDS, ...args], { env: { ...process.env } });
  cleanups.push(() => child.kill('SIGKILL'));
  const lines: string[] = [];
  collect(child.stdout!, lines);
  collect(child.stderr!, lines);
  return { lines, write: (line) => child.stdin!.write(`${line}\n`) };
}
const jsonLines = (proc: { lines: string[] }): Array<Record<string, unknown>> =>
  proc.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

describe.skipIf(!namespacesOk)('announcing a room on a real network', () => {
  it('1. keeps announcing after a malformed mDNS packet', async () => {
    const { a, b } = await lab(['a', 'b'], [['a', 'b']]);
    const neighbour = await sniff(b!, b!.addresses['a-b']!);
    cleanups.push(() => neighbour.stop());
    const room = await host(a!.name, ['--room', 'Sturdy', '--port', '47860']);
    const watcher = watch(b!.name);
    await waitForEvent(watcher, (e) => e.event === 'up' && e.room === 'Sturdy', 5000, 'Sturdy up');
    // 25 bytes: a response whose one SRV record claims 16 bytes of data and has none.
    neighbour.sendRaw(Buffer.from('000084000000000100000000016100002100010000007800' + '10', 'hex'));
    await new Promise((r) => setTimeout(r, 500));
    const bea = track(new Proc(['join', `${a!.addresses['a-b']}:47860`, '--name', 'Bea'], {}, b!.name));
    await bea.waitForLine(/Joined "Sturdy" as Bea/);
    await waitForEvent(watcher, (e) => e.event === 'update' && e.users === 1, 5000, 'users=1 announced after the bad packet');
    expect([...room.lines, ...room.errLines].join('\n')).not.toMatch(/unavailable/);
  }, 30_000);

  it('3. answers each link with that link\'s address only, with or without --interface', async () => {
    const { a, b, c } = await lab(['a', 'b', 'c'], [['a', 'b'], ['a', 'c']]);
    const onB = await sniff(b!, b!.addresses['a-b']!);
    const onC = await sniff(c!, c!.addresses['a-c']!);
    cleanups.push(() => onB.stop(), () => onC.stop());
    await host(a!.name, ['--room', 'Split', '--port', '47861']);
    const target = await until(() => onB.packets.map((p) => hearthSrv(p, 'Split')).find(Boolean), 5000, 'Split announced on a-b');
    const name = (target.data as { target: string }).target;
    for (const s of [onB, onC]) s.send({ type: 'query', questions: [{ name, type: 'A' }] });
    await new Promise((r) => setTimeout(r, 1500));
    const addressesHeard = (s: typeof onB) =>
      new Set(s.packets.filter((p) => p.type === 'response').flatMap((p) => records(p).filter((r) => r.type === 'A').map((r) => String(r.data))));
    expect([...addressesHeard(onB)]).toEqual([a!.addresses['a-b']]);
    expect([...addressesHeard(onC)]).toEqual([a!.addresses['a-c']]);

    const onlyB = await sniff(b!, b!.addresses['a-b']!);
    cleanups.push(() => onlyB.stop());
    await host(a!.name, ['--room', 'Narrow', '--port', '47862', '--interface', a!.addresses['a-b']!]);
    await until(() => onlyB.packets.map((p) => hearthSrv(p, 'Narrow')).find(Boolean), 5000, 'Narrow announced');
    await new Promise((r) => setTimeout(r, 500));
    const narrow = onlyB.packets.filter((p) => hearthSrv(p, 'Narrow')).flatMap((p) => records(p).filter((r) => r.type === 'A').map((r) => r.data));
    expect(new Set(narrow)).toEqual(new Set([a!.addresses['a-b']]));
  }, 30_000);

  it('9. sets the cache-flush bit on SRV, TXT and A, so a neighbour replaces the old TXT', async () => {
    const { a, b } = await lab(['a', 'b'], [['a', 'b']]);
    const neighbour = await sniff(b!, b!.addresses['a-b']!);
    cleanups.push(() => neighbour.stop());
    await host(a!.name, ['--room', 'Fresh', '--port', '47863']);
    const announcement = await until(() => neighbour.packets.find((p) => hearthSrv(p, 'Fresh')), 5000, 'Fresh announced');
    const byType = (type: string) => records(announcement).filter((r) => r.type === type);
    for (const type of ['SRV', 'TXT', 'A']) {
      expect(byType(type).length, type).toBeGreaterThan(0);
      for (const r of byType(type)) expect(r.flush, `${type} ${r.name}`).toBe(true);
    }
    for (const r of byType('PTR')) expect(r.flush, `PTR ${r.name}`).toBeFalsy();
    const bea = track(new Proc(['join', `${a!.addresses['a-b']}:47863`, '--name', 'Bea'], {}, b!.name));
    await bea.waitForLine(/Joined "Fresh" as Bea/);
    const txtWith = (value: string) => (p: HeardPacket) =>
      p.type === 'response' && records(p).some((r) => r.type === 'TXT' && r.flush === true && JSON.stringify(r.data).includes(value));
    await until(() => neighbour.packets.find(txtWith('users=1')), 5000, 'users=1 with the flush bit');
  }, 30_000);

  it.skipIf(!zeroconfOk)('9. python-zeroconf keeps only the new TXT after a join (users=0 is flushed)', async () => {
    const { a, b } = await lab(['a', 'b'], [['a', 'b']]);
    await host(a!.name, ['--room', 'Flushed', '--port', '47868']);
    const script = `
import time, json
from zeroconf import Zeroconf, ServiceBrowser, ServiceListener, DNSText, current_time_millis
zc = Zeroconf(interfaces=["${b!.addresses['a-b']}"])
names = []
class L(ServiceListener):
    def add_service(self, zc, type_, name): names.append(name)
    def update_service(self, zc, type_, name): pass
    def remove_service(self, zc, type_, name): pass
ServiceBrowser(zc, "_hearth._tcp.local.", L())
deadline = time.time() + 8
while not names and time.time() < deadline: time.sleep(0.05)
print(json.dumps({"found": names}), flush=True)
input()
# The update goes out within the host's 1 s throttle, and a flushed record expires 1 s after
# the new one arrives (RFC 6762 §10.2): wait for one TXT, up to 8 s. Without the bit both stay for 4,500 s.
deadline = time.time() + 8
while True:
    now = current_time_millis()
    texts = [r.text.decode("utf8", "replace") for r in zc.cache.entries_with_name(names[0].lower()) if isinstance(r, DNSText) and not r.is_expired(now)]
    if (len(texts) == 1 and "users=1" in texts[0]) or time.time() > deadline: break
    time.sleep(0.1)
print(json.dumps({"txt": texts}), flush=True)
zc.close()
`;
    const py = b!.spawn('/usr/bin/python3', ['-c', script]);
    cleanups.push(() => py.kill('SIGKILL'));
    const out: string[] = [];
    collect(py.stdout!, out);
    const found = await until(() => out.find((l) => l.includes('"found"')), 10_000, 'zeroconf to find Flushed');
    expect(JSON.parse(found).found).toHaveLength(1);
    const bea = track(new Proc(['join', `${a!.addresses['a-b']}:47868`, '--name', 'Bea'], {}, b!.name));
    await bea.waitForLine(/Joined "Flushed" as Bea/);
    py.stdin!.write('\n');
    const cached = await until(() => out.find((l) => l.includes('"txt"')), 12_000, 'zeroconf cache');
    const texts = (JSON.parse(cached) as { txt: string[] }).txt;
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain('users=1');
  }, 30_000);

  it('8. announces at least twice one second apart, and says goodbye more than once', async () => {
    const { a, b } = await lab(['a', 'b'], [['a', 'b']]);
    const neighbour = await sniff(b!, b!.addresses['a-b']!);
    cleanups.push(() => neighbour.stop());
    const room = await host(a!.name, ['--room', 'Twice', '--port', '47864']);
    const unsolicited = () => neighbour.packets.filter((p) => hearthSrv(p, 'Twice') && hearthSrv(p, 'Twice')!.ttl > 0);
    await until(() => unsolicited().length >= 2 || undefined, 2500, 'a second announcement within 2.5 s');
    const [first, second] = unsolicited() as [HeardPacket, HeardPacket];
    expect(second.t - first.t).toBeGreaterThanOrEqual(900);
    expect(second.t - first.t).toBeLessThanOrEqual(1500);
    room.kill('SIGINT');
    await room.exit;
    const goodbyes = neighbour.packets.filter((p) => hearthSrv(p, 'Twice') && hearthSrv(p, 'Twice')!.ttl === 0);
    expect(goodbyes.length).toBeGreaterThanOrEqual(2);
    timing(`8. announcements ${second.t - first.t} ms apart; ${goodbyes.length} goodbyes`);
  }, 30_000);

  it.skipIf(!iptablesOk)('8. with 25% loss: a running room is found within a second', async () => {
    const { a, b } = await lab(['a', 'b'], [['a', 'b']]);
    await loseOutgoingMdns(a!, 0.25);
    await host(a!.name, ['--room', 'Lossy', '--port', '47870']);
    const finder = lossRounds(b!, ['finder', b!.addresses['a-b']!, 'Lossy', '8']);
    await until(() => (jsonLines(finder).length >= 8 ? true : undefined), 25_000, '8 rounds of finding Lossy');
    const found = jsonLines(finder).map((l) => l['ms'] as number);
    timing(`8. 25% loss, found by a new browser: median ${median(found)} ms, max ${Math.max(...found)} ms (${found.join(', ')})`);
    // The goal (≤ 1 s median, ≤ 2 s max) is a figure, printed above and kept in
    // docs/platforms.md; asserted here is what separates a repeated announcement from a
    // single one (median 1.4 s before) and stays true on a loaded 2-core machine.
    expect(median(found)).toBeLessThanOrEqual(1000);
    // A round gives up at 8 s (loss-rounds.ts). All four answers to the browser's questions
    // (0, 1, 3, 7 s) lost is 0.25^4 ≈ 0.4 % a round, about 3 % over eight rounds: one such
    // round happened on a clean-clone CI run (session 6); two would mean repeats do not help.
    expect(found.filter((ms) => ms >= 8000).length).toBeLessThanOrEqual(1);
  }, 30_000);

  it.skipIf(!iptablesOk)('8. with 25% loss: a stopped room leaves every list within a second', async () => {
    const { a, b } = await lab(['a', 'b'], [['a', 'b']]);
    await loseOutgoingMdns(a!, 0.25);
    const watcher = watch(b!.name);
    const rooms = lossRounds(a!, ['rooms', a!.addresses['a-b']!, '8', '47871']);
    await until(() => [...Array(8).keys()].every((i) => events(watcher).some((e) => e.event === 'up' && e.room === `Leaving ${i}`)) || undefined, 20_000, `every room listed; rooms said ${rooms.lines.join(' ')}; watcher saw ${watcher.lines.join(' ')}`);
    const gone: number[] = [];
    for (let i = 0; i < 8; i++) {
      const stoppedAt = Date.now();
      rooms.write(String(i));
      // All four goodbyes lost (1 in 256 at 25%) leaves it to the liveness check (≈ 8 s).
      await waitForEvent(watcher, (e) => e.event === 'down' && e.room === `Leaving ${i}`, 12_000, `Leaving ${i} gone`);
      gone.push(Date.now() - stoppedAt);
    }
    timing(`8. 25% loss, graceful stop: median ${median(gone)} ms, max ${Math.max(...gone)} ms (${gone.join(', ')})`);
    // Goal ≤ 1 s (the figure above); a single goodbye left 3 of 8 listed for 11–12 s.
    expect(median(gone)).toBeLessThanOrEqual(1000);
    expect(gone.filter((ms) => ms > 3000).length).toBeLessThanOrEqual(1);
  }, 60_000);

  it.skipIf(!avahiOk)('2. probes its host name: an Avahi neighbour keeps the name, Hearth takes a free one', async () => {
    const { a, b } = await lab(['a', 'b'], [['a', 'b']]);
    const machine = hostname().split('.')[0]!.replace(/[^A-Za-z0-9-]/g, '-') || 'hearth';
    const avahi = await startAvahi(b!, await interfaceOf(b!, b!.addresses['a-b']!), machine);
    cleanups.push(() => avahi.stop());
    const neighbour = await sniff(b!, b!.addresses['a-b']!);
    cleanups.push(() => neighbour.stop());
    await host(a!.name, ['--room', 'Polite', '--port', '47865']);
    const srv = await until(() => neighbour.packets.map((p) => hearthSrv(p, 'Polite')).find(Boolean), 5000, 'Polite announced');
    const target = (srv.data as { target: string }).target;
    expect(target).not.toBe(`${machine}.local`);
    expect(target).toMatch(new RegExp(`^${machine}-\\d+\\.local$`));
    neighbour.send({ type: 'query', questions: [{ name: `${machine}.local`, type: 'A' }] });
    neighbour.send({ type: 'query', questions: [{ name: target, type: 'A' }] });
    await new Promise((r) => setTimeout(r, 1500));
    const answersFor = (name: string) =>
      neighbour.packets.filter((p) => p.type === 'response').flatMap((p) => records(p).filter((r) => r.type === 'A' && r.name === name && r.ttl > 0).map((r) => String(r.data)));
    expect(new Set(answersFor(`${machine}.local`))).toEqual(new Set([b!.addresses['a-b']]));
    expect(new Set(answersFor(target))).toEqual(new Set([a!.addresses['a-b']]));
    expect(avahi.lines.join('\n')).not.toMatch(/conflict/i);
    timing(`2. Avahi kept ${machine}.local; Hearth announced ${target}`);
  }, 30_000);

  it('5. says once that port 5353 is taken, and announces when it is free again', async () => {
    const { a, b } = await lab(['a', 'b'], [['a', 'b']]);
    // Another program holds port 5353 exclusively (no SO_REUSEADDR), then quits.
    const blocker = a!.spawn('/usr/bin/python3', [
      '-c',
      'import socket,time\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\ns.bind(("0.0.0.0",5353))\nprint("bound",flush=True)\ntime.sleep(60)',
    ]);
    cleanups.push(() => blocker.kill('SIGKILL'));
    await new Promise<void>((resolve) => blocker.stdout!.once('data', () => resolve()));
    const room = await host(a!.name, ['--room', 'Patient', '--port', '47867']);
    await room.waitForLine(/LAN discovery unavailable: port 5353 is used by another program/);
    await new Promise((r) => setTimeout(r, 6000));
    expect(room.lines.filter((l) => /discovery unavailable/.test(l))).toHaveLength(1);
    const freedAt = Date.now();
    blocker.kill('SIGKILL');
    const watcher = watch(b!.name);
    await waitForEvent(watcher, (e) => e.event === 'up' && e.room === 'Patient', 10_000, 'Patient up once 5353 is free');
    timing(`5. port 5353 freed: listed after ${Date.now() - freedAt} ms`);
  }, 30_000);

  it('5. follows addresses: announced once the network comes up, and at the new address after a change', async () => {
    const { a, b } = await lab(['a', 'b'], [['a', 'b']]);
    const first = a!.addresses['a-b']!;
    const iface = await interfaceOf(a!, first);
    await a!.exec('ip', ['addr', 'del', `${first}/24`, 'dev', iface]);
    const room = await host(a!.name, ['--room', 'Roaming', '--port', '47866']);
    await room.waitForLine(/LAN discovery unavailable/);
    const watcher = watch(b!.name);
    await new Promise((r) => setTimeout(r, 500));
    let changedAt = Date.now();
    await a!.exec('ip', ['addr', 'add', `${first}/24`, 'dev', iface]);
    const up = await waitForEvent(watcher, (e) => e.event === 'up' && e.room === 'Roaming', 5000, 'Roaming up once the network is up');
    expect(up.address).toBe(first);
    timing(`5. network came up: listed after ${Date.now() - changedAt} ms`);

    const moved = first.replace(/\.\d+$/, '.3');
    changedAt = Date.now();
    await a!.exec('ip', ['addr', 'del', `${first}/24`, 'dev', iface]);
    await a!.exec('ip', ['addr', 'add', `${moved}/24`, 'dev', iface]);
    await waitForEvent(watcher, (e) => (e.event === 'up' || e.event === 'update') && e.room === 'Roaming' && e.address === moved, 5000, 'Roaming at its new address');
    timing(`5. address changed: listed at the new address after ${Date.now() - changedAt} ms`);
    expect([...room.lines, ...room.errLines].join('\n')).not.toMatch(/no multicast route/);
  }, 30_000);
});
