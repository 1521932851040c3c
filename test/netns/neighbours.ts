// What the announcing tests put beside a Hearth host inside a namespace lab: a packet
// sniffer that can also send (mdns-sniff.ts), Avahi with its own config and runtime
// directory, packet loss on a link, and address changes. Every one of them lives inside a
// namespace the test made, and is undone by the lab's cleanup or by the returned stop().
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collect } from '../support/cli.ts';
import type { NetHost } from './netns.ts';

const SNIFF = fileURLToPath(new URL('./mdns-sniff.ts', import.meta.url));

export interface MdnsRecord {
  name: string;
  type: string;
  ttl: number;
  flush?: boolean;
  data: unknown;
}
export interface HeardPacket {
  t: number;
  /** Milliseconds on this test's clock (Date.now()) when the packet was read. */
  at: number;
  from: string;
  type: 'query' | 'response';
  questions: Array<{ name: string; type: string }>;
  answers: MdnsRecord[];
  authorities: MdnsRecord[];
  additionals: MdnsRecord[];
}

export interface Sniffer {
  packets: HeardPacket[];
  send(packet: object): void;
  sendRaw(bytes: Buffer): void;
  stop(): Promise<void>;
}

/** Listen (and talk) on a host's link address as a plain mDNS neighbour. */
export async function sniff(host: NetHost, address: string): Promise<Sniffer> {
  const child = host.spawn(process.execPath, [SNIFF, address]);
  const lines: string[] = [];
  const packets: HeardPacket[] = [];
  let seen = 0;
  collect(child.stdout!, lines);
  const parse = () => {
    for (; seen < lines.length; seen++) {
      const value = JSON.parse(lines[seen]!) as HeardPacket & { ready?: boolean };
      if (!value.ready) packets.push({ ...value, at: Date.now() });
    }
  };
  child.stdout!.on('data', () => setImmediate(parse));
  const deadline = Date.now() + 5000;
  while (!lines.some((l) => l.includes('"ready"'))) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`mdns-sniff did not start on ${address}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    packets,
    send: (packet) => child.stdin!.write(`${JSON.stringify(packet)}\n`),
    sendRaw: (bytes) => child.stdin!.write(`${JSON.stringify({ raw: bytes.toString('base64') })}\n`),
    stop: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** The name of the interface that holds this address inside the host. */
export async function interfaceOf(host: NetHost, address: string): Promise<string> {
  const { stdout } = await host.exec('ip', ['-o', 'addr', 'show']);
  const name = stdout.split('\n').find((l) => l.includes(` ${address}/`))?.split(/\s+/)[1];
  if (!name) throw new Error(`no interface holds ${address} in ${host.name}`);
  return name;
}

/**
 * Drop this share of the mDNS packets the host sends (iptables' statistic match: this
 * kernel has no netem). Loss on the announcing side: announcements, answers and goodbyes.
 */
export async function loseOutgoingMdns(host: NetHost, share: number): Promise<void> {
  await host.exec('iptables', ['-A', 'OUTPUT', '-p', 'udp', '--dport', '5353', '-m', 'statistic', '--mode', 'random', '--probability', String(share), '-j', 'DROP']);
}

export interface Avahi {
  lines: string[];
  /**
   * With { dbus: true }: what `avahi-browse -rpt TYPE` resolves (its '=' lines), as Avahi's
   * own clients see the network.
   */
  browse(type: string, timeoutMs: number): Promise<AvahiService[]>;
  stop(): Promise<void>;
}

/** One service as avahi-browse resolved it. */
export interface AvahiService {
  iface: string;
  name: string;
  hostName: string;
  address: string;
  port: number;
  txt: string[];
}

/**
 * avahi-daemon on one interface of a host, under the given host name, with its own config
 * and its own /run/avahi-daemon (a private mount), so several can run at once and none
 * touches the machine's real network or D-Bus.
 */
export async function startAvahi(host: NetHost, iface: string, hostName: string, options: { dbus?: boolean } = {}): Promise<Avahi> {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-avahi-'));
  const conf = join(dir, 'avahi-daemon.conf');
  // Avahi's clients (avahi-browse) reach the daemon over the D-Bus system bus: a private bus,
  // its socket in this folder, never the machine's.
  const bus = options.dbus ? await startPrivateBus(host, dir) : undefined;
  const env = bus ? { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: bus.address } : process.env;
  writeFileSync(
    conf,
    [
      '[server]',
      `host-name=${hostName}`,
      'domain-name=local',
      'use-ipv4=yes',
      'use-ipv6=no',
      `allow-interfaces=${iface}`,
      `enable-dbus=${bus ? 'yes' : 'no'}`,
      'ratelimit-interval-usec=0',
      '[wide-area]',
      'enable-wide-area=no',
      '[publish]',
      'publish-hinfo=no',
      'publish-workstation=no',
      '',
    ].join('\n'),
  );
  const script = `mount -t tmpfs none /run/avahi-daemon 2>/dev/null || { mkdir -p /run/avahi-daemon && mount -t tmpfs none /run/avahi-daemon; }; exec avahi-daemon --no-drop-root --no-chroot --no-rlimits --no-proc-title -f ${conf}`;
  const child = host.spawn('unshare', ['-m', 'sh', '-c', script], { env });
  const lines: string[] = [];
  collect(child.stderr!, lines);
  collect(child.stdout!, lines);
  const deadline = Date.now() + 10_000;
  while (!lines.some((l) => /Server startup complete/.test(l))) {
    if (Date.now() > deadline || child.exitCode !== null) {
      await bus?.stop();
      throw new Error(`avahi-daemon did not start:\n${lines.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    lines,
    browse: async (type, timeoutMs) => {
      if (!bus) throw new Error('startAvahi(…, { dbus: true }) to browse');
      const browser = host.spawn('avahi-browse', ['--resolve', '--parsable', '--terminate', type], { env });
      const out: string[] = [];
      collect(browser.stdout!, out);
      const timer = setTimeout(() => browser.kill('SIGKILL'), timeoutMs);
      await new Promise((r) => browser.once('exit', r));
      clearTimeout(timer);
      return out.filter((l) => l.startsWith('=;')).map(parseResolved);
    },
    stop: async () => {
      await stopChild(child);
      await bus?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A D-Bus system bus of our own, listening on a socket in dir. */
async function startPrivateBus(host: NetHost, dir: string): Promise<{ address: string; stop(): Promise<void> }> {
  const socket = join(dir, 'system_bus_socket');
  const config = join(dir, 'bus.conf');
  writeFileSync(
    config,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=${socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default"><allow user="*"/><allow own="*"/><allow send_destination="*"/><allow receive_sender="*"/></policy>
</busconfig>
`,
  );
  const daemon = host.spawn('dbus-daemon', [`--config-file=${config}`, '--nofork', '--print-address']);
  const out: string[] = [];
  collect(daemon.stdout!, out);
  const deadline = Date.now() + 5000;
  while (!out.some((l) => l.startsWith('unix:'))) {
    if (Date.now() > deadline || daemon.exitCode !== null) throw new Error('dbus-daemon did not start');
    await new Promise((r) => setTimeout(r, 20));
  }
  return { address: `unix:path=${socket}`, stop: () => stopChild(daemon) };
}

/** "=;veth0;IPv4;Kitchen\\032(ab12);_hearth._tcp;local;vm.local;10.231.1.1;47800;"room=Kitchen" "v=2"" */
function parseResolved(line: string): AvahiService {
  const fields = line.split(';');
  // avahi-browse escapes names: \DDD is a decimal byte, \X a literal X.
  const unescape = (text: string) => text.replace(/\\(\d{3}|.)/g, (_, c: string) => (c.length === 3 ? String.fromCharCode(Number(c)) : c));
  return {
    iface: fields[1]!,
    name: unescape(fields[3]!),
    hostName: fields[6]!,
    address: fields[7]!,
    port: Number(fields[8]),
    txt: [...(fields.slice(9).join(';').matchAll(/"((?:[^"\\]|\\.)*)"/g))].map((m) => m[1]!),
  };
}
