// What the facts gathered by network-check.ts mean for people trying to see and reach a
// room, as findings with a sentence on what to do. Pure: unit-tested on recorded facts,
// including the errors a multicast send gets on macOS when Local Network access is off.
import type { NetworkCheckReport, NetworkFinding } from '../../common/ipc.ts';
import { joinUrl, type LocalAddress } from '../discovery/addresses.ts';
import { describeMdnsError } from '../discovery/endpoints.ts';

/** A socket error as Node reports it (code, syscall), kept as plain data. */
export interface SocketError {
  code?: string;
  syscall?: string;
  message: string;
}

/** What GET /health said at an address: this room, another Hearth host, or nothing. */
export type PortAnswer = 'this-room' | 'other-host' | 'none';

export interface InterfaceFacts {
  address: LocalAddress;
  port: PortAnswer;
  /** A multicast send through this link (IPv4 links discovery uses): undefined when not tried. */
  multicast?: { ok: true } | { ok: false; error: SocketError };
  /** Linux: the link the system routes multicast through ('none' when no route covers it); undefined elsewhere. */
  multicastRoute?: string;
  /** Linux: whether the link has the MULTICAST flag. */
  multicastFlag?: boolean;
}

export interface NetworkFacts {
  platform: NodeJS.Platform;
  port: number;
  /** 'room': a Hearth room answers on loopback; 'stand-in': none does, a stand-in listened for the check; 'taken': another program holds the port. */
  listener: 'room' | 'stand-in' | 'taken';
  /** Whether discovery is on (off: nothing was sent by multicast). */
  discovery: boolean;
  /** Binding UDP 5353 alongside other programs; undefined when discovery is off. */
  mdnsPort?: { ok: true } | { ok: false; error: SocketError };
  interfaces: InterfaceFacts[];
  /** The firewall's own findings (Windows, ufw, firewalld). */
  firewall: NetworkFinding[];
}

const MAC_LOCAL_NETWORK_CODES = new Set(['EHOSTUNREACH', 'EPERM', 'EACCES']);

/**
 * macOS answers a multicast send from an app without Local Network access with "No route to
 * host" (EHOSTUNREACH), on a link that is up and routed: the classic sign, since the
 * permission itself cannot be read.
 */
export function looksLikeMacLocalNetworkDenied(facts: NetworkFacts): boolean {
  return (
    facts.platform === 'darwin' &&
    facts.interfaces.some((i) => i.multicast?.ok === false && MAC_LOCAL_NETWORK_CODES.has(i.multicast.error.code ?? ''))
  );
}

/** A LAN (or unclassified) address: where people come from, unlike a VPN or a virtual adapter. */
const forPeople = (address: LocalAddress) => address.kind === 'lan' || address.kind === 'other';

/** The links whose firewall rules people meet: a zone on a VM bridge or a VPN keeps nobody out. */
export function firewallInterfaces(addresses: LocalAddress[]): string[] {
  return [...new Set(addresses.filter(forPeople).map((a) => a.interface))];
}

function about(address: LocalAddress): string {
  return `${address.interface} ${address.address}${address.label ? ` (${address.label})` : ''}`;
}

/** Where to look when this machine's own connection to its address is refused. */
function firewallHint(platform: NodeJS.Platform, port: number): string {
  if (platform === 'win32') return `Allow TCP port ${port} for Hearth in Windows Security › Firewall & network protection.`;
  if (platform === 'darwin') return 'Allow Hearth in System Settings › Network › Firewall › Options.';
  return `Look for a rule refusing TCP port ${port} (sudo iptables -S; sudo nft list ruleset) and remove it; a room started with --bind answers on that address only.`;
}

function portFindings(facts: NetworkFacts, i: InterfaceFacts): NetworkFinding[] {
  const where = joinUrl(i.address, facts.port);
  const outOfTheWay = !forPeople(i.address);
  if (i.port === 'this-room') {
    const text = facts.listener === 'room' ? `The room answers at ${where}.` : `Port ${facts.port} can be reached at ${where} (no room is open: checked with a stand-in).`;
    return [{ level: 'ok', about: about(i.address), text }];
  }
  if (i.port === 'other-host') {
    return [
      {
        level: outOfTheWay ? 'warning' : 'blocking',
        about: about(i.address),
        text: `Another Hearth host, not this room, answers at ${where}.`,
        advice: `Something passes port ${facts.port} on this address to another machine (a container or VM publishing it?): stop that, or host on another port.`,
      },
    ];
  }
  return [
    {
      level: outOfTheWay ? 'warning' : 'blocking',
      about: about(i.address),
      text: `Nothing answers at ${where}, even from this machine, so people cannot join there.`,
      advice: firewallHint(facts.platform, facts.port),
    },
  ];
}

function multicastFindings(facts: NetworkFacts, i: InterfaceFacts): NetworkFinding[] {
  const here = about(i.address);
  const name = i.address.interface;
  // Nobody joins through a VPN or a virtual adapter: what goes wrong there only warns.
  const outOfTheWay = !forPeople(i.address);
  const findings: NetworkFinding[] = [];
  if (i.multicastFlag === false) {
    findings.push({
      level: 'warning',
      about: here,
      text: 'This link does not do multicast (no MULTICAST flag), so nobody on it sees the room in their list.',
      advice: `Turn it on (sudo ip link set ${name} multicast on), or share the link ${joinUrl(i.address, facts.port)}.`,
    });
  }
  if (i.multicast?.ok === false) {
    const mac = facts.platform === 'darwin' && MAC_LOCAL_NETWORK_CODES.has(i.multicast.error.code ?? '');
    findings.push({
      level: outOfTheWay ? 'warning' : 'blocking',
      about: here,
      text: mac
        ? 'macOS refused to send multicast here, so nobody on this network sees the room in their list.'
        : `Multicast cannot be sent here (${describeMdnsError(i.multicast.error)}), so nobody on this network sees the room in their list.`,
      advice: mac ? 'Turn on Local Network access (see "This machine" above).' : `Share the link ${joinUrl(i.address, facts.port)} meanwhile; check that the link is up and has its address.`,
    });
  } else if (i.multicast?.ok) {
    findings.push({ level: 'ok', about: here, text: 'Multicast can be sent here, so rooms are announced on this network.' });
  }
  if (i.multicast && i.multicastRoute === 'none') {
    findings.push({
      level: 'warning',
      about: here,
      text: 'This machine has no multicast route: Hearth still announces here (it picks each link itself), but other programs on this machine cannot use multicast.',
      advice: `If rooms on this network do not show up, add one: sudo ip route add 224.0.0.0/4 dev ${name}.`,
    });
  } else if (i.multicast && i.multicastRoute !== undefined && i.multicastRoute !== name) {
    findings.push({
      level: 'note',
      about: here,
      text: `Multicast is routed through ${i.multicastRoute}, not this link: Hearth still announces here, other programs may not.`,
      advice: `If this is the network people are on and they see nothing, route multicast here: sudo ip route add 224.0.0.0/4 dev ${name}.`,
    });
  }
  return findings;
}

function kindFindings(facts: NetworkFacts, i: InterfaceFacts): NetworkFinding[] {
  if (i.address.kind === 'vpn') {
    return [
      {
        level: 'note',
        about: about(i.address),
        text: 'This is a VPN: Hearth does not announce rooms on it, and only people on the same VPN can reach this address.',
        advice: `People on the VPN can join with ${joinUrl(i.address, facts.port)}; everyone else should use a LAN address.`,
      },
    ];
  }
  if (i.address.kind === 'virtual') {
    return [
      {
        level: 'note',
        about: about(i.address),
        text: `This is a ${i.address.label ?? 'virtual adapter'}: only this machine's containers or virtual machines reach it.`,
        advice: 'Share a LAN address instead; this one is not for people.',
      },
    ];
  }
  return [];
}

function machineFindings(facts: NetworkFacts): NetworkFinding[] {
  const findings: NetworkFinding[] = [];
  const machine = 'This machine';
  if (facts.listener === 'taken') {
    findings.push({
      level: 'blocking',
      about: machine,
      text: `Another program, not a Hearth room, holds port ${facts.port} on this machine.`,
      advice: 'Quit that program, or host the room on another port (--port).',
    });
  }
  if (!facts.interfaces.some((i) => forPeople(i.address))) {
    findings.push({
      level: 'blocking',
      about: machine,
      text: 'This machine has no LAN address, so nobody else can reach it.',
      advice: 'Connect to the network people are on (Wi-Fi or a cable), then check again.',
    });
  }
  if (!facts.discovery) {
    findings.push({
      level: 'note',
      about: machine,
      text: 'Discovery is off, so the room is not announced: nobody sees it in a list.',
      advice: 'Share the link or the QR code instead.',
    });
  } else if (facts.mdnsPort?.ok === false) {
    findings.push({
      level: 'blocking',
      about: machine,
      text: `Port 5353 (mDNS) cannot be shared: ${describeMdnsError(facts.mdnsPort.error)}, so the room cannot be announced.`,
      advice: 'Quit the program that holds it alone (another chat or discovery tool), or share the link meanwhile.',
    });
  } else if (facts.mdnsPort?.ok) {
    findings.push({ level: 'ok', about: machine, text: 'Port 5353 (mDNS) can be shared with the other programs that use it.' });
  }
  if (looksLikeMacLocalNetworkDenied(facts)) {
    findings.push({
      level: 'blocking',
      about: machine,
      text: 'macOS is not letting Hearth use the local network (multicast sends fail with "No route to host").',
      advice: 'Turn on Hearth in System Settings › Privacy & Security › Local Network (for the hearth command: your terminal app), then restart it.',
    });
  }
  return findings;
}

/** Machine first, then each address (best first: the order of localAddresses), then the firewall. */
export function networkFindings(facts: NetworkFacts): NetworkCheckReport {
  const findings = [
    ...machineFindings(facts),
    ...facts.interfaces.flatMap((i) => [...kindFindings(facts, i), ...portFindings(facts, i), ...multicastFindings(facts, i)]),
    ...facts.firewall,
  ];
  return { port: facts.port, findings, blocking: findings.some((f) => f.level === 'blocking') };
}
