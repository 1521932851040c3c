// Rooms found without multicast (issue #14, "Beyond multicast"). Wi-Fi client isolation,
// routers that filter multicast and "Public" firewalls drop mDNS, but a unicast HTTP
// request still gets through: ask every address of the local subnet whether a Hearth room
// answers `GET /health` on Hearth's port. Bounded in concurrency, rate and time, and
// nothing outlives the deadline: every request shares the scan's AbortSignal.
import { isIPv4 } from 'node:net';
import { setTimeout as wait } from 'node:timers/promises';
import { DEFAULT_PORT, parseAddress } from '../../common/address.ts';
import { ipv4ToNumber, localAddresses, mdnsOnly, numberToIPv4, prefixMask, type LocalAddress } from './addresses.ts';
import { fetchHealth, type HealthAnswer } from './health-check.ts';

export interface ScanLimits {
  /** Requests in flight at once. */
  concurrency: number;
  /** One address's answer; a LAN host answers in milliseconds, a silent address never does. */
  timeoutMs: number;
  /** Requests started per second, whatever answers fast: a scan must not flood the LAN. */
  perSecond: number;
  /** The whole scan; whatever is still unasked then is left out (said in the report). */
  deadlineMs: number;
}

/**
 * 128 in flight × 600 ms covers a silent /22 (1,022 addresses) in about 4.8 s; an
 * address that refuses at once costs nothing, so the rate bound is what holds then.
 * /health is asked in plain http (health-check.ts), as before #16: a silent, refusing or
 * non-Hearth address and an older host cost one request; a host whose id comes from its
 * certificate is asked again over https for the proof (a round trip and an ECDSA P-256
 * signature, milliseconds on a LAN), within the same 600 ms.
 */
const SCAN_LIMITS: ScanLimits = { concurrency: 128, timeoutMs: 600, perSecond: 256, deadlineMs: 5000 };

/** The widest subnet scanned: a /22 is 1,022 addresses, all a scan can ask within its deadline. */
const WIDEST_PREFIX = 22;
/** Narrower subnets still get their whole /24: a host's own prefix is often set too tight. */
const NARROWEST_PREFIX = 24;
/** Ports asked on every address: Hearth's own, then a few more (remembered rooms'). */
const MAX_PORTS = 3;

interface ScanRange {
  /** As people write it: 10.0.0.0/24. */
  cidr: string;
  /** Every address to ask, nearest to our own first (own, network and broadcast left out). */
  hosts: string[];
}

export interface ScanTarget {
  address: string;
  port: number;
}

interface ScanHit extends ScanTarget {
  /** The answer, with the host id it names (what the room list merges on) and, when its certificate proved that id, provenId. */
  health: HealthAnswer & { id: string };
}

interface ScanReport {
  /** The subnets asked, as CIDR. */
  subnets: string[];
  /** Addresses (× ports) asked before the deadline, and how many there were to ask. */
  asked: number;
  planned: number;
  hits: ScanHit[];
}

export interface ScanRequest {
  ranges: ScanRange[];
  /** Asked on every address of every range, in this order; [DEFAULT_PORT] when absent. */
  ports?: number[];
  /** Asked first, wherever they are (remembered rooms). */
  targets?: ScanTarget[];
  limits?: Partial<ScanLimits>;
  /** Stops the scan early (the browser stopped). */
  signal?: AbortSignal;
  /** Each hit as it comes, so a row can appear before the scan ends. */
  onHit?: (hit: ScanHit) => void;
}

/** The subnet to scan around one interface address: its own prefix, clamped to /22–/24. */
export function scanRange(address: string, prefix: number): ScanRange | undefined {
  if (!isIPv4(address)) return undefined;
  const bits = Math.min(NARROWEST_PREFIX, Math.max(WIDEST_PREFIX, Number.isInteger(prefix) ? prefix : NARROWEST_PREFIX));
  const own = ipv4ToNumber(address);
  const mask = prefixMask(bits);
  const network = (own & mask) >>> 0;
  const broadcast = (network | ~mask) >>> 0;
  const hosts: number[] = [];
  for (let n = network + 1; n < broadcast; n++) if (n !== own) hosts.push(n);
  hosts.sort((a, b) => Math.abs(a - own) - Math.abs(b - own) || a - b);
  return { cidr: `${numberToIPv4(network)}/${bits}`, hosts: hosts.map(numberToIPv4) };
}

/**
 * The ranges around the interfaces discovery uses (`interfaceAddresses`: already narrowed
 * by HEARTH_MDNS_ONLY or --interface). Container and VM bridges are left out unless named:
 * nobody hosts a room behind docker0, and silent addresses there would eat the deadline.
 */
export function scanRanges(interfaceAddresses: string[], named = false, all: LocalAddress[] = localAddresses()): ScanRange[] {
  const ranges = new Map<string, ScanRange>();
  const own = new Set(interfaceAddresses);
  for (const address of interfaceAddresses) {
    const local = all.find((a) => a.address === address);
    if (!local) continue;
    if (!named && local.kind === 'virtual' && local.label !== 'ZeroTier network') continue;
    const range = scanRange(address, local.prefix ?? NARROWEST_PREFIX);
    if (range && !ranges.has(range.cidr)) ranges.set(range.cidr, range);
  }
  // Two of our addresses in one subnet: neither is asked.
  return [...ranges.values()].map((r) => ({ ...r, hosts: r.hosts.filter((h) => !own.has(h)) }));
}

/** Remembered rooms worth asking again at most this many: a scan is for the LAN, not a history. */
const MAX_REMEMBERED = 16;

/**
 * Rooms joined before ("192.168.1.7:47800", links), as targets: IPv4 literals only (a name
 * would need a lookup). HEARTH_MDNS_ONLY narrows them as it narrows the interfaces (loopback
 * stays: it is no network), so no test asks an address of the machine's real LAN.
 */
export function rememberedTargets(addresses: readonly string[], env: NodeJS.ProcessEnv = process.env): ScanTarget[] {
  const only = mdnsOnly(env);
  const out: ScanTarget[] = [];
  for (const text of addresses) {
    const parsed = parseAddress(text);
    if (!parsed.ok || !isIPv4(parsed.address.host)) continue;
    const { host, port } = parsed.address;
    if (only && !host.startsWith('127.') && !only.some((prefix) => host.startsWith(prefix))) continue;
    out.push({ address: host, port });
    if (out.length === MAX_REMEMBERED) break;
  }
  return out;
}

/** Ask every target; resolves by the deadline at the latest, with nothing left in flight. */
export async function scanNetwork(scan: ScanRequest): Promise<ScanReport> {
  const limits = { ...SCAN_LIMITS, ...scan.limits };
  const targets = planTargets(scan);
  const deadline = AbortSignal.timeout(limits.deadlineMs);
  const stop = scan.signal ? AbortSignal.any([scan.signal, deadline]) : deadline;
  const hits: ScanHit[] = [];
  const pace = 1000 / limits.perSecond;
  let nextStart = performance.now();
  let next = 0;
  let asked = 0;
  const worker = async () => {
    while (!stop.aborted && next < targets.length) {
      const target = targets[next++]!;
      const now = performance.now();
      const slot = Math.max(now, nextStart);
      nextStart = slot + pace;
      if (slot > now) await wait(slot - now, undefined, { signal: stop }).catch(() => {});
      if (stop.aborted) return;
      asked++;
      // One budget per address for the https try and, for a host from before #16, the plain one.
      const health = await fetchHealth(target.address, target.port, AbortSignal.any([stop, AbortSignal.timeout(limits.timeoutMs)]));
      if (health?.id === undefined || stop.aborted) continue;
      const hit: ScanHit = { ...target, health: { ...health, id: health.id } };
      hits.push(hit);
      scan.onHit?.(hit);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limits.concurrency, targets.length) }, worker));
  return { subnets: scan.ranges.map((r) => r.cidr), asked, planned: targets.length, hits };
}

/** Remembered hosts first, then Hearth's port across every range (interleaved, nearest first), then the other ports. */
function planTargets(scan: ScanRequest): ScanTarget[] {
  const ports = [...new Set(scan.ports?.length ? scan.ports : [DEFAULT_PORT])].filter(validPort).slice(0, MAX_PORTS);
  const seen = new Set<string>();
  const out: ScanTarget[] = [];
  const add = (target: ScanTarget) => {
    const key = `${target.address}:${target.port}`;
    if (seen.has(key) || !isIPv4(target.address) || !validPort(target.port)) return;
    seen.add(key);
    out.push(target);
  };
  for (const target of scan.targets ?? []) add(target);
  const longest = Math.max(0, ...scan.ranges.map((r) => r.hosts.length));
  for (const port of ports) {
    for (let i = 0; i < longest; i++) for (const range of scan.ranges) if (i < range.hosts.length) add({ address: range.hosts[i]!, port });
  }
  return out;
}

function validPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65_535;
}
