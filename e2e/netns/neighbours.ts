// What the announcing tests put beside a Hearth host inside a namespace lab: a packet
// sniffer that can also send (mdns-sniff.ts), Avahi with its own config and runtime
// directory, packet loss on a link, and address changes. Every one of them lives inside a
// namespace the test made, and is undone by the lab's cleanup or by the returned stop().
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collect } from '../../test/support/cli.ts';
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
  stop(): Promise<void>;
}

/**
 * avahi-daemon on one interface of a host, under the given host name, with its own config
 * and its own /run/avahi-daemon (a private mount), so several can run at once and none
 * touches the machine's real network or D-Bus.
 */
export async function startAvahi(host: NetHost, iface: string, hostName: string): Promise<Avahi> {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-avahi-'));
  const conf = join(dir, 'avahi-daemon.conf');
  writeFileSync(
    conf,
    [
      '[server]',
      `host-name=${hostName}`,
      'domain-name=local',
      'use-ipv4=yes',
      'use-ipv6=no',
      `allow-interfaces=${iface}`,
      'enable-dbus=no',
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
  const child = host.spawn('unshare', ['-m', 'sh', '-c', script]);
  const lines: string[] = [];
  collect(child.stderr!, lines);
  collect(child.stdout!, lines);
  const deadline = Date.now() + 10_000;
  while (!lines.some((l) => /Server startup complete/.test(l))) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`avahi-daemon did not start:\n${lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    lines,
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
