// The live list of rooms on the LAN: one row per host id, whichever interfaces and
// addresses it answers on. Rooms appear when announced, update when their TXT changes,
// and leave at once on goodbye. A host that died without a goodbye is never removed by
// bonjour-service, so rows that go quiet get a GET /health and leave when it fails.
import { EventEmitter } from 'node:events';
import { isIPv4 } from 'node:net';
import type { Browser, Service } from 'bonjour-service';
import type { RoomListing } from '../../common/ipc.ts';
import { PROTOCOL_VERSION } from '../../common/protocol.ts';
import { discoveryInterfaces, localAddresses } from './addresses.ts';
import { checkSend, openEndpoint, type MdnsEndpoint } from './mdns.ts';
import { SERVICE_TYPE, decodeTxt } from './txt.ts';

/** A row of the list: what the desktop contract shows (RoomListing), plus what the browser keeps. */
export interface DiscoveredRoom extends RoomListing {
  addresses: string[];
  lastSeen: number;
}

export interface BrowseOptions {
  /** IPv4 addresses of the interfaces to browse on; default: every LAN interface. */
  interfaces?: string[];
  /** Re-query backoff: first interval and the cap. */
  requery?: { initialMs: number; maxMs: number };
  /** A row not heard from for this long gets a health check. */
  staleMs?: number;
  healthIntervalMs?: number;
  healthTimeoutMs?: number;
  now?: () => number;
}

interface Row {
  room: DiscoveredRoom;
  fqdns: Set<string>;
  /** Source addresses the answers came from (the address that demonstrably reaches us). */
  referers: Set<string>;
  checking: boolean;
}

export type BrowseStatus = { state: 'browsing'; interfaces: string[] } | { state: 'unavailable'; reason: string } | { state: 'stopped' };

export class RoomBrowser extends EventEmitter<{
  up: [DiscoveredRoom];
  update: [DiscoveredRoom];
  down: [DiscoveredRoom, string];
  status: [BrowseStatus];
}> {
  readonly #options: BrowseOptions;
  readonly #rows = new Map<string, Row>(); // by host id
  readonly #byFqdn = new Map<string, string>(); // fqdn → host id
  #endpoints: Array<{ endpoint: MdnsEndpoint; browser: Browser }> = [];
  #failed = new Map<string, string>();
  #requeryTimer: ReturnType<typeof setTimeout> | undefined;
  #healthTimer: ReturnType<typeof setInterval> | undefined;
  #requeryDelay: number;
  #status: BrowseStatus = { state: 'stopped' };
  #stopped = false;

  constructor(options: BrowseOptions = {}) {
    super();
    this.#options = options;
    this.#requeryDelay = options.requery?.initialMs ?? 1000;
  }

  get status(): BrowseStatus {
    return this.#status;
  }

  rooms(): DiscoveredRoom[] {
    return [...this.#rows.values()].map((r) => ({ ...r.room })).sort((a, b) => a.room.localeCompare(b.room));
  }

  async start(): Promise<BrowseStatus> {
    const addresses = this.#options.interfaces ?? discoveryInterfaces();
    if (addresses.length === 0) return this.#setStatus({ state: 'unavailable', reason: 'no LAN interface to browse on' });
    for (const address of addresses) {
      try {
        const endpoint = openEndpoint(address, (reason) => this.#fail(address, reason));
        const browser = endpoint.bonjour.find({ type: SERVICE_TYPE });
        browser.on('up', (s) => this.#seen(s, endpoint));
        browser.on('txt-update', (s) => this.#seen(s, endpoint));
        browser.on('srv-update', (s) => this.#seen(s, endpoint));
        browser.on('down', (s) => this.#goodbye(s.fqdn));
        endpoint.mdns.on('response', (packet: MdnsPacket, rinfo: { address: string }) => this.#heard(packet, rinfo));
        this.#endpoints.push({ endpoint, browser });
      } catch (error) {
        this.#fail(address, (error as Error).message);
      }
    }
    await Promise.all(
      this.#endpoints.map(async ({ endpoint }) => {
        const problem = await checkSend(endpoint, `_${SERVICE_TYPE}._tcp.local`);
        if (problem) this.#fail(endpoint.interfaceAddress, problem);
      }),
    );
    this.#scheduleRequery();
    this.#healthTimer = setInterval(() => this.#checkStale(), this.#options.healthIntervalMs ?? 2000);
    this.#healthTimer.unref();
    return this.#refreshStatus();
  }

  /** A connection to this room just failed: check it now rather than at the next round. */
  reportUnreachable(id: string): void {
    const row = this.#rows.get(id);
    if (row) void this.#healthCheck(row);
  }

  /** Ask again now (e.g. the user opened the rooms list). */
  refresh(): void {
    this.#requeryDelay = this.#options.requery?.initialMs ?? 1000;
    for (const { browser } of this.#endpoints) browser.update();
    this.#scheduleRequery();
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#requeryTimer);
    clearInterval(this.#healthTimer);
    for (const { browser } of this.#endpoints) browser.stop();
    await Promise.all(this.#endpoints.map(({ endpoint }) => endpoint.destroy()));
    this.#endpoints = [];
    this.#setStatus({ state: 'stopped' });
  }

  // -------------------------------------------------------------------------------------

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  #seen(service: Service, _endpoint: MdnsEndpoint): void {
    const txt = decodeTxt(service.txt);
    if (!txt) return; // Not a well-formed Hearth room: ignore it.
    const previousId = this.#byFqdn.get(service.fqdn);
    if (previousId && previousId !== txt.id) this.#detach(service.fqdn, 'replaced');
    this.#byFqdn.set(service.fqdn, txt.id);

    const existing = this.#rows.get(txt.id);
    const row: Row = existing ?? { room: undefined as unknown as DiscoveredRoom, fqdns: new Set(), referers: new Set(), checking: false };
    row.fqdns.add(service.fqdn);
    if (service.referer?.address && isIPv4(service.referer.address)) row.referers.add(service.referer.address);
    const addresses = usableAddresses([...(service.addresses ?? []), ...row.referers]);
    const versionNote =
      txt.v > PROTOCOL_VERSION ? 'needs a newer Hearth' : txt.v < PROTOCOL_VERSION ? 'runs an older Hearth' : undefined;
    const room: DiscoveredRoom = {
      id: txt.id,
      room: txt.room,
      host: service.host.replace(/\.local\.?$/, ''),
      address: bestAddress(addresses, row.referers),
      addresses,
      port: service.port,
      users: txt.users,
      lock: txt.lock,
      v: txt.v,
      compatible: versionNote === undefined,
      lastSeen: this.#now(),
    };
    if (versionNote) room.note = versionNote;
    const changed = !existing || visibleChange(existing.room, room);
    row.room = room;
    this.#rows.set(txt.id, row);
    if (!existing) this.emit('up', { ...room });
    else if (changed) this.emit('update', { ...room });
  }

  /** Any answer that names a known instance proves the room is still there. */
  #heard(packet: MdnsPacket, rinfo: { address: string }): void {
    const records = [...(packet.answers ?? []), ...(packet.additionals ?? [])];
    for (const record of records) {
      if (record.ttl === 0 || (record.type !== 'SRV' && record.type !== 'TXT')) continue;
      const id = this.#byFqdn.get(record.name);
      const row = id ? this.#rows.get(id) : undefined;
      if (!row) continue;
      row.room.lastSeen = this.#now();
      if (isIPv4(rinfo.address)) row.referers.add(rinfo.address);
    }
  }

  #goodbye(fqdn: string): void {
    this.#detach(fqdn, 'goodbye');
  }

  #detach(fqdn: string, why: string): void {
    const id = this.#byFqdn.get(fqdn);
    this.#byFqdn.delete(fqdn);
    const row = id ? this.#rows.get(id) : undefined;
    if (!row || !id) return;
    row.fqdns.delete(fqdn);
    if (row.fqdns.size === 0) this.#remove(id, why);
  }

  #remove(id: string, why: string): void {
    const row = this.#rows.get(id);
    if (!row) return;
    this.#rows.delete(id);
    for (const fqdn of row.fqdns) this.#byFqdn.delete(fqdn);
    // bonjour-service keeps its own copy; forget it there too, or a comeback is not an 'up'.
    for (const { browser } of this.#endpoints) {
      const internal = browser as unknown as { _services: Service[]; serviceMap: Record<string, boolean> };
      internal._services = internal._services.filter((s) => !row.fqdns.has(s.fqdn) && this.#byFqdn.get(s.fqdn) !== id);
      for (const fqdn of row.fqdns) delete internal.serviceMap[fqdn];
    }
    this.emit('down', { ...row.room }, why);
  }

  #scheduleRequery(): void {
    clearTimeout(this.#requeryTimer);
    if (this.#stopped) return;
    this.#requeryTimer = setTimeout(() => {
      for (const { browser } of this.#endpoints) browser.update();
      const max = this.#options.requery?.maxMs ?? 5000;
      this.#requeryDelay = Math.min(max, this.#requeryDelay * 2);
      this.#scheduleRequery();
    }, this.#requeryDelay);
    this.#requeryTimer.unref();
  }

  #checkStale(): void {
    const staleMs = this.#options.staleMs ?? 12_000;
    const now = this.#now();
    for (const row of this.#rows.values()) {
      if (now - row.room.lastSeen > staleMs) void this.#healthCheck(row);
    }
  }

  async #healthCheck(row: Row): Promise<void> {
    if (row.checking) return;
    row.checking = true;
    const { address, port, id } = row.room;
    try {
      const res = await fetch(`http://${address}:${port}/health`, {
        signal: AbortSignal.timeout(this.#options.healthTimeoutMs ?? 2000),
      });
      const body = (await res.json()) as { app?: unknown; members?: unknown };
      if (body.app !== 'hearth') throw new Error('not a Hearth room any more');
      row.room.lastSeen = this.#now();
      if (typeof body.members === 'number' && body.members !== row.room.users) {
        row.room.users = body.members;
        this.emit('update', { ...row.room });
      }
    } catch {
      if (this.#rows.get(id) === row) this.#remove(id, 'unreachable');
    } finally {
      row.checking = false;
    }
  }

  #fail(address: string, reason: string): void {
    if (this.#failed.has(address)) return;
    this.#failed.set(address, reason);
    this.#refreshStatus();
  }

  #refreshStatus(): BrowseStatus {
    if (this.#stopped) return this.#status;
    const working = this.#endpoints.map((e) => e.endpoint.interfaceAddress).filter((a) => !this.#failed.has(a));
    if (working.length > 0) return this.#setStatus({ state: 'browsing', interfaces: working });
    return this.#setStatus({ state: 'unavailable', reason: [...new Set(this.#failed.values())].join('; ') || 'no interface' });
  }

  #setStatus(status: BrowseStatus): BrowseStatus {
    const changed = JSON.stringify(status) !== JSON.stringify(this.#status);
    this.#status = status;
    if (changed) this.emit('status', status);
    return status;
  }
}

interface MdnsPacket {
  answers?: Array<{ name: string; type: string; ttl?: number }>;
  additionals?: Array<{ name: string; type: string; ttl?: number }>;
}

/** IPv4 addresses only: a link-local IPv6 address is useless without its zone. */
function usableAddresses(addresses: string[]): string[] {
  return [...new Set(addresses.filter((a) => isIPv4(a) && !a.startsWith('169.254.') && !a.startsWith('127.')))];
}

/** The address an answer came from, else one in a subnet of ours, else the first. */
export function bestAddress(addresses: string[], referers: Set<string>, local = localSubnets()): string {
  const referred = addresses.find((a) => referers.has(a));
  if (referred) return referred;
  const inSubnet = addresses.find((a) => local.some((s) => sameSubnet(a, s.address, s.prefix)));
  return inSubnet ?? addresses[0] ?? [...referers][0] ?? '';
}

function localSubnets(): Array<{ address: string; prefix: number }> {
  return localAddresses()
    .filter((a) => a.family === 'IPv4')
    .map((a) => ({ address: a.address, prefix: a.prefix ?? 24 }));
}

function toInt(address: string): number {
  return address.split('.').reduce((n, part) => (n << 8) + Number(part), 0) >>> 0;
}

export function sameSubnet(a: string, b: string, prefix: number): boolean {
  if (prefix <= 0) return true;
  const mask = prefix >= 32 ? 0xffffffff : (0xffffffff << (32 - prefix)) >>> 0;
  return (toInt(a) & mask) === (toInt(b) & mask);
}

function visibleChange(a: DiscoveredRoom, b: DiscoveredRoom): boolean {
  return a.room !== b.room || a.users !== b.users || a.lock !== b.lock || a.address !== b.address || a.port !== b.port || a.v !== b.v;
}
