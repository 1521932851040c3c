// Linux: which link the system sends multicast through when a program does not pick one
// (/proc/net/route, the main IPv4 table), and whether a link does multicast at all
// (/sys/class/net/<link>/flags). Hearth picks each link itself, so neither stops its own
// announcements; both explain why other programs and some neighbours see nothing.

/** mDNS's group: the route that covers it is the one multicast takes. */
const MDNS_GROUP = (224 << 24) | 251;
const IFF_UP = 0x1;
const IFF_MULTICAST = 0x1000;

interface Route {
  iface: string;
  destination: number;
  mask: number;
  metric: number;
}

/** /proc/net/route writes addresses as little-endian hex: 0064E70A is 10.231.100.0. */
function littleEndian(hex: string): number {
  const n = Number.parseInt(hex, 16);
  return (((n & 0xff) << 24) | ((n & 0xff00) << 8) | ((n >>> 8) & 0xff00) | (n >>> 24)) >>> 0;
}

export function parseProcNetRoute(text: string): Route[] {
  return text
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length >= 8 && (Number.parseInt(cols[3]!, 16) & IFF_UP) !== 0)
    .map((cols) => ({ iface: cols[0]!, destination: littleEndian(cols[1]!), mask: littleEndian(cols[7]!), metric: Number(cols[6]) }));
}

/** The link multicast to 224.0.0.251 leaves through (longest prefix, then lowest metric); undefined when no route covers it. */
export function multicastRouteInterface(routes: Route[]): string | undefined {
  const covering = routes.filter((r) => ((MDNS_GROUP & r.mask) >>> 0) === ((r.destination & r.mask) >>> 0));
  const prefix = (mask: number) => mask.toString(2).replace(/0/g, '').length;
  covering.sort((a, b) => prefix(b.mask) - prefix(a.mask) || a.metric - b.metric);
  return covering[0]?.iface;
}

/** /sys/class/net/<link>/flags ("0x1003"): whether the link does multicast. */
export function hasMulticastFlag(flags: string): boolean {
  return (Number.parseInt(flags.trim(), 16) & IFF_MULTICAST) !== 0;
}
