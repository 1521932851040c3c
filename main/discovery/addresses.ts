// The machine's addresses, ranked for people: the one a neighbour can most likely reach
// comes first. Private LAN ranges on physical interfaces lead; virtual bridges (docker,
// veth, VMs) and VPN tunnels come last and say what they are.
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

export type AddressKind = 'lan' | 'other' | 'virtual' | 'vpn';

export interface LocalAddress {
  address: string;
  family: 'IPv4' | 'IPv6';
  interface: string;
  kind: AddressKind;
  /** Network prefix length (24 for a /24). */
  prefix?: number;
  /** Shown beside virtual and VPN addresses ("docker", "vpn", …). */
  label?: string;
}

const VIRTUAL: Array<[RegExp, string]> = [
  // ZeroTier is a virtual Ethernet: neighbours on it are a LAN, and it carries multicast.
  [/^zt/i, 'ZeroTier network'],
  [/^(docker|br-|cni|flannel|cali|podman|lxc|lxd|virbr|kube)/i, 'container bridge'],
  [/^veth/i, 'virtual ethernet'],
  [/^(vboxnet|vmnet|vmenet|hyperv|vEthernet)/i, 'virtual machine'],
];
const VPN = /^(tun|tap|utun|wg|ppp|ipsec|tailscale|nordlynx|proton)/i;

export function classifyInterface(name: string): { kind: 'physical' | 'virtual' | 'vpn'; label?: string } {
  for (const [pattern, label] of VIRTUAL) if (pattern.test(name)) return { kind: 'virtual', label };
  if (VPN.test(name)) return { kind: 'vpn', label: 'VPN' };
  return { kind: 'physical' };
}

export function isPrivateIPv4(address: string): boolean {
  const [a, b] = address.split('.').map(Number) as [number, number];
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

function rank(entry: LocalAddress): number {
  const base = { lan: 0, other: 10, vpn: 20, virtual: 30 }[entry.kind];
  return base + (entry.family === 'IPv4' ? 0 : 5);
}

/** Every address a neighbour could use, best first. Loopback and link-local are left out. */
export function localAddresses(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces()): LocalAddress[] {
  const out: LocalAddress[] = [];
  for (const [name, infos] of Object.entries(interfaces)) {
    const kind = classifyInterface(name);
    for (const info of infos ?? []) {
      if (info.internal) continue;
      // A link-local address is useless without a zone, and a link-local IPv4 means no DHCP.
      if (info.family === 'IPv6' && /^fe80:/i.test(info.address)) continue;
      if (info.family === 'IPv4' && info.address.startsWith('169.254.')) continue;
      const entry: LocalAddress = {
        address: info.address,
        family: info.family,
        interface: name,
        prefix: Number(info.cidr?.split('/')[1] ?? (info.family === 'IPv4' ? 24 : 64)),
        kind:
          kind.kind === 'physical'
            ? info.family === 'IPv4' && isPrivateIPv4(info.address)
              ? 'lan'
              : 'other'
            : kind.kind,
      };
      if (kind.label) entry.label = kind.label;
      out.push(entry);
    }
  }
  return out.sort((a, b) => rank(a) - rank(b) || a.interface.localeCompare(b.interface));
}

/** A URL a person can type or scan for one of these addresses. */
export function joinUrl(address: LocalAddress, port: number): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${port}/`;
}

/**
 * The address prefixes HEARTH_MDNS_ONLY (a comma-separated list) narrows discovery to, or
 * undefined when it is not set: the test suite sets it to the namespace lab's range, so no
 * test can ever multicast on (or scan) the machine's real interfaces.
 */
export function mdnsOnly(env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  return env['HEARTH_MDNS_ONLY']?.split(',').map((p) => p.trim()).filter(Boolean);
}

/** The IPv4 interfaces discovery may use (VPN tunnels left out), narrowed by HEARTH_MDNS_ONLY. */
export function discoveryInterfaces(env: NodeJS.ProcessEnv = process.env, addresses = localAddresses()): string[] {
  const only = mdnsOnly(env);
  return addresses
    .filter((a) => a.family === 'IPv4' && a.kind !== 'vpn')
    .map((a) => a.address)
    .filter((address) => !only || only.some((prefix) => address.startsWith(prefix)));
}

/**
 * The IPv4 addresses of the interfaces a person named (`--interface eth0`, or an address).
 * Naming one is asking for it, VPN or not; HEARTH_MDNS_ONLY still applies.
 */
export function resolveInterfaces(wanted: readonly string[], env: NodeJS.ProcessEnv = process.env, addresses = localAddresses()): string[] {
  const only = mdnsOnly(env);
  return addresses
    .filter((a) => a.family === 'IPv4' && (wanted.includes(a.interface) || wanted.includes(a.address)))
    .map((a) => a.address)
    .filter((address) => !only || only.some((prefix) => address.startsWith(prefix)));
}

/** The interfaces to announce or browse on: the ones named (`--interface`), else every LAN interface. */
export function interfacesFor(named: readonly string[] | undefined, env: NodeJS.ProcessEnv = process.env, addresses = localAddresses()): string[] {
  return named ? resolveInterfaces(named, env, addresses) : discoveryInterfaces(env, addresses);
}

/**
 * Why there is nothing to discover on, in a sentence that reads the same whether the room
 * is announced or looked for: the named interfaces have no IPv4 address (yet), there is no
 * network at all, or one with only IPv6. Discovery starts by itself once there is one.
 */
export function noInterfaceReason(addresses = localAddresses(), named?: readonly string[]): string {
  if (named) return `${named.join(', ')} has no IPv4 address yet (discovery starts when it gets one)`;
  if (addresses.some((a) => a.family === 'IPv4')) return 'no LAN interface to use (VPN tunnels are left out)';
  if (addresses.some((a) => a.family === 'IPv6')) {
    return 'this network has only IPv6 addresses, and Hearth discovery needs IPv4 (join rooms by address)';
  }
  return 'no network with an IPv4 address yet (discovery starts when one comes up)';
}

/** An IPv4 address as a 32-bit number. */
export function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((n, part) => (n * 256 + Number(part)) >>> 0, 0);
}

export function numberToIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** The netmask of a prefix length, as a number: 24 → 255.255.255.0. */
export function prefixMask(prefix: number): number {
  if (prefix <= 0) return 0;
  return prefix >= 32 ? 0xffffffff : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Whether an IPv4 address is in the subnet of `network`/`prefix`. */
export function inSubnet(address: string, network: string, prefix: number): boolean {
  const mask = prefixMask(prefix);
  return ((ipv4ToNumber(address) & mask) >>> 0) === ((ipv4ToNumber(network) & mask) >>> 0);
}
