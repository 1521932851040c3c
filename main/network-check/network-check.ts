// "Why can't they see my room?": gathers what this machine can learn about itself (every
// address, a multicast send through each LAN link, port 5353, the room's port at each
// address, the firewall) and hands it to network-findings.ts for the sentences. Plain Node,
// no electron: the hosting panel (through AppServices) and `hearth doctor` both run it.
import { createSocket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { NetworkCheckReport, NetworkFinding } from '../../common/ipc.ts';
import { discoveryInterfaces, localAddresses, type LocalAddress } from '../discovery/addresses.ts';
import { healthCheck } from '../discovery/health-check.ts';
import { newHostId } from '../discovery/host-id.ts';
import { SERVICE_NAME } from '../discovery/txt.ts';
import { readWindowsFirewallWarnings, type RunPowerShell } from './firewall.ts';
import { checkLinuxFirewall } from './linux-firewall.ts';
import { checkMacFirewall } from './mac-firewall.ts';
import { hasMulticastFlag, multicastRouteInterface, parseProcNetRoute } from './multicast-route.ts';
import type { RunCommand } from './run-command.ts';
import { firewallInterfaces, networkFindings, type InterfaceFacts, type NetworkFacts, type PortAnswer, type SocketError } from './network-findings.ts';

export interface NetworkCheckOptions {
  port: number;
  /** The room's host id when the caller hosts it (the desktop app); else /health on loopback tells. */
  hostId?: string;
  /** Discovery on: a multicast send through each link discovery uses, and port 5353. Off: nothing is sent by multicast. */
  discovery: boolean;
  /** The program firewall rules must name (process.execPath: Hearth's executable in the app, node for the CLI). */
  executable?: string;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  addresses?: LocalAddress[];
  /** Per connection or send; the whole check runs them side by side. */
  timeoutMs?: number;
  runCommand?: RunCommand;
  runPowerShell?: RunPowerShell;
}

export async function checkNetwork(options: NetworkCheckOptions): Promise<NetworkCheckReport> {
  const platform = options.platform ?? process.platform;
  const addresses = options.addresses ?? localAddresses();
  const timeoutMs = options.timeoutMs ?? 2000;
  const health = healthCheck(timeoutMs);

  const at = (a: LocalAddress) => health(a.family === 'IPv6' ? `[${a.address}]` : a.address, options.port);
  let answers = await Promise.all(addresses.map(at));
  // A room bound to one address (hearth host --bind) answers there, not on loopback.
  let hostId = options.hostId ?? (await health('127.0.0.1', options.port))?.id ?? answers.find((answer) => answer?.id)?.id;
  let listener: NetworkFacts['listener'] = 'room';
  let standIn: Server | undefined;
  if (!hostId) {
    // No room here: a stand-in on the same port still shows whether people could reach one.
    hostId = newHostId();
    standIn = await listenStandIn(options.port, hostId);
    listener = standIn ? 'stand-in' : 'taken';
    if (standIn) answers = await Promise.all(addresses.map(at));
  }
  try {
    const multicastOn = new Set(options.discovery ? discoveryInterfaces(options.env ?? process.env, addresses) : []);
    const linux = platform === 'linux' ? await linuxLinkFacts() : undefined;
    const interfaces = await Promise.all(
      addresses.map(async (address, index): Promise<InterfaceFacts> => {
        const answer = answers[index];
        const port: PortAnswer = answer === undefined ? 'none' : answer.id === hostId ? 'this-room' : 'other-host';
        const facts: InterfaceFacts = { address, port };
        if (multicastOn.has(address.address)) {
          facts.multicast = await sendMulticast(address.address, timeoutMs);
          if (linux) {
            facts.multicastRoute = linux.route ?? 'none';
            const flags = await linux.flags(address.interface);
            if (flags !== undefined) facts.multicastFlag = flags;
          }
        }
        return facts;
      }),
    );
    const facts: NetworkFacts = {
      platform,
      port: options.port,
      listener,
      discovery: options.discovery,
      interfaces,
      firewall: await firewallFindings(platform, options, firewallInterfaces(addresses)),
    };
    if (options.discovery) facts.mdnsPort = await shareMdnsPort();
    return networkFindings(facts);
  } finally {
    await new Promise((resolve) => (standIn ? standIn.close(resolve) : resolve(undefined)));
  }
}

/** A /health that answers with `id`, on every address; undefined when the port is taken. */
function listenStandIn(port: number, id: string): Promise<Server | undefined> {
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/health' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(req.url === '/health' ? JSON.stringify({ app: 'hearth', id }) : '');
  });
  return new Promise((resolve) => {
    server.once('error', () => resolve(undefined));
    server.listen(port, () => resolve(server));
  });
}

function socketError(error: unknown): SocketError {
  const e = error as NodeJS.ErrnoException;
  return { message: e?.message ?? String(error), ...(e?.code && { code: e.code }), ...(e?.syscall && { syscall: e.syscall }) };
}

/** An mDNS question for Hearth rooms (what browsing asks anyway), sent through one link only. */
const QUERY = Buffer.concat([
  Buffer.from([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]),
  ...SERVICE_NAME.split('.').map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label)])),
  Buffer.from([0, 0, 12, 0, 1]),
]);

function sendMulticast(interfaceAddress: string, timeoutMs: number): Promise<InterfaceFacts['multicast']> {
  return new Promise((resolve) => {
    const socket = createSocket({ type: 'udp4', reuseAddr: true });
    const done = (result: InterfaceFacts['multicast']) => {
      clearTimeout(timer);
      socket.close();
      resolve(result);
    };
    const timer = setTimeout(() => done({ ok: false, error: { message: 'the send did not finish' } }), timeoutMs);
    socket.once('error', (error) => done({ ok: false, error: socketError(error) }));
    socket.bind(0, () => {
      try {
        socket.setMulticastInterface(interfaceAddress);
      } catch (error) {
        return done({ ok: false, error: socketError(error) });
      }
      socket.send(QUERY, 5353, '224.0.0.251', (error) => done(error ? { ok: false, error: socketError(error) } : { ok: true }));
    });
  });
}

/** Binds UDP 5353 the way discovery does (shared): fails only when a program holds it alone. */
function shareMdnsPort(): Promise<NonNullable<NetworkFacts['mdnsPort']>> {
  return new Promise((resolve) => {
    const socket = createSocket({ type: 'udp4', reuseAddr: true });
    socket.once('error', (error) => {
      socket.close();
      resolve({ ok: false, error: socketError(error) });
    });
    socket.bind(5353, '0.0.0.0', () => socket.close(() => resolve({ ok: true })));
  });
}

async function linuxLinkFacts(): Promise<{ route: string | undefined; flags(iface: string): Promise<boolean | undefined> }> {
  const table = await readFile('/proc/net/route', 'utf8').catch(() => '');
  return {
    route: multicastRouteInterface(parseProcNetRoute(table)),
    flags: (iface) => readFile(`/sys/class/net/${iface}/flags`, 'utf8').then(hasMulticastFlag, () => undefined),
  };
}

async function firewallFindings(platform: NodeJS.Platform, options: NetworkCheckOptions, interfaces: string[]): Promise<NetworkFinding[]> {
  const exe = options.executable ?? process.execPath;
  if (platform === 'linux') return checkLinuxFirewall(options.port, interfaces, options.runCommand);
  if (platform === 'darwin') return checkMacFirewall(exe, options.runCommand);
  if (platform !== 'win32') return [];
  const warnings = await readWindowsFirewallWarnings(exe, options.port, options.runPowerShell);
  if (!warnings) {
    return [{ level: 'note', about: 'Firewall', text: 'Windows Firewall could not be read.', advice: `Check that Hearth may accept connections on TCP port ${options.port} in Windows Security › Firewall & network protection.` }];
  }
  if (warnings.length === 0) return [{ level: 'ok', about: 'Firewall', text: `Windows Firewall lets people in on TCP port ${options.port}.` }];
  // Each sentence says both what blocks and what to do (main/network-check/firewall.ts).
  return warnings.map((text) => ({ level: 'blocking', about: 'Firewall', text }));
}
