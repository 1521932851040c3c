// The live list of rooms on the LAN. The links are endpoints.ts's, one per interface, opened
// and closed as interfaces come and go (a browser started offline waits for a network
// instead of giving up); each response is read by room-records.ts and judged by
// room-list.ts. A packet that does not parse is counted and dropped: one neighbour's bad
// packet is not a broken link. bonjour-service gives the sockets; its Browser is not used,
// because it keeps every service it ever saw (no cap, no way to forget one without its
// private fields) and cuts TXT values at line breaks. Where multicast finds nothing
// (filtered by the network), the browser scans the local subnets over unicast HTTP (scan.ts).
import { EventEmitter } from 'node:events';
import { DEFAULT_PORT } from '../../common/address.ts';
import type { ScanState } from '../../common/ipc.ts';
import { interfacesFor } from './addresses.ts';
import { Endpoints, type DiscoveryStatus } from './endpoints.ts';
import { answersForItsId, healthCheck } from './health-check.ts';
import { readRoomPacket } from './room-records.ts';
import { BROWSE_LIMITS, RoomList, type BrowseCounters, type BrowseLimits, type DiscoveredRoom } from './room-list.ts';
import { scanNetwork, scanRanges, type ScanLimits, type ScanTarget } from './scan.ts';
import { SERVICE_NAME } from './txt.ts';

export type { BrowseCounters, BrowseLimits, DiscoveredRoom } from './room-list.ts';

export interface BrowseOptions {
  /** Interfaces to browse on, by name (eth0) or IPv4 address; default: every LAN interface. */
  interfaces?: string[];
  /** How often the machine's interfaces are looked at again. */
  followIntervalMs?: number;
  /** Re-query backoff: first interval and the cap. */
  requery?: { initialMs: number; maxMs: number };
  /** A row not heard from for this long gets a health check. */
  staleMs?: number;
  healthIntervalMs?: number;
  healthTimeoutMs?: number;
  limits?: Partial<BrowseLimits>;
  now?: () => number;
  /**
   * Scan by itself when the list is empty: first `afterMs` after the start, then at most
   * every `everyMs` while it stays empty. false: only when asked (scan()).
   */
  autoScan?: { afterMs: number; everyMs: number } | false;
  scanLimits?: Partial<ScanLimits>;
  /** Asked first at every scan, wherever they are: the rooms a person joined before. */
  scanTargets?: () => ScanTarget[];
}

export type ScanDone = Extract<ScanState, { state: 'done' }>;

export class RoomBrowser extends EventEmitter<{
  up: [DiscoveredRoom];
  update: [DiscoveredRoom];
  down: [DiscoveredRoom, string];
  status: [DiscoveryStatus<'browsing'>];
  scan: [ScanState];
}> {
  readonly #options: BrowseOptions;
  readonly #list: RoomList;
  readonly #endpoints: Endpoints<'browsing'>;
  #timers: Array<ReturnType<typeof setTimeout>> = [];
  #requeryTimer: ReturnType<typeof setTimeout> | undefined;
  #requeryDelay: number;
  #stopped = false;
  #scanning: Promise<ScanDone> | undefined;
  #autoScanTimer: ReturnType<typeof setTimeout> | undefined;
  /** Aborts a running scan when the browser stops. */
  readonly #stopScans = new AbortController();

  constructor(options: BrowseOptions = {}) {
    super();
    this.#options = options;
    this.#requeryDelay = options.requery?.initialMs ?? 1000;
    this.#list = new RoomList({
      limits: { ...BROWSE_LIMITS, ...options.limits },
      health: healthCheck(options.healthTimeoutMs ?? 2000),
      now: () => this.#now(),
    });
    this.#list.on('up', (room) => this.emit('up', room));
    this.#list.on('update', (room) => this.emit('update', room));
    this.#list.on('down', (room, why) => this.emit('down', room, why));
    // A link that fails stays open as it was (not opened again while its interface stays).
    this.#endpoints = new Endpoints({
      interfaces: options.interfaces,
      working: 'browsing',
      initial: 'stopped',
      noInterface: 'offline',
      onOpen: (link) => link.mdns.on('response', (packet: object, rinfo: { address: string }) => this.#onResponse(packet, rinfo.address)),
      onUndecodable: () => this.#list.counters.malformed++,
      note: () => this.#list.note(),
    });
    this.#endpoints.on('status', (status) => this.emit('status', status));
    this.#list.on('note', () => this.#endpoints.refreshStatus());
  }

  get status(): DiscoveryStatus<'browsing'> {
    return this.#endpoints.status;
  }

  /** What was refused since the start: bad packets, invalid or forged announcements, rooms over the caps. */
  get counters(): BrowseCounters {
    return { ...this.#list.counters };
  }

  rooms(): DiscoveredRoom[] {
    return this.#list.rooms();
  }

  async start(): Promise<DiscoveryStatus<'browsing'>> {
    await this.#endpoints.follow(this.#options.followIntervalMs ?? 2000);
    // A live room answers the re-query at least every 5 s; one silent for 7 s is asked over
    // HTTP, so a killed host leaves within ~9 s (issue #14: ≤ 10 s) and a lost answer costs one GET.
    this.#every(this.#options.healthIntervalMs ?? 1000, () => {
      this.#list.checkStale(this.#options.staleMs ?? 7000);
      this.#endpoints.refreshStatus(); // a note about dropped rooms fades after a while
    });
    this.#scheduleRequery();
    const auto = this.#options.autoScan ?? { afterMs: 10_000, everyMs: 60_000 };
    if (auto) this.#scheduleAutoScan(auto.afterMs, auto.everyMs);
    return this.#endpoints.status;
  }

  /**
   * Ask every address of the local subnets (and the remembered rooms) for a room, now.
   * One scan at a time: a second call gets the running one. Rooms join the list as they answer.
   */
  scan(): Promise<ScanDone> {
    this.#scanning ??= this.#runScan().finally(() => (this.#scanning = undefined));
    return this.#scanning;
  }

  /** A connection to this room just failed: check it now rather than at the next round. */
  reportUnreachable(id: string): void {
    void this.#list.check(id);
  }

  /** Ask again now (e.g. the user opened the rooms list). */
  refresh(): void {
    this.#requeryDelay = this.#options.requery?.initialMs ?? 1000;
    this.#query();
    this.#scheduleRequery();
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const timer of this.#timers) clearInterval(timer);
    clearTimeout(this.#requeryTimer);
    clearTimeout(this.#autoScanTimer);
    this.#stopScans.abort();
    await Promise.all([this.#endpoints.stop(), this.#scanning]);
    this.#list.clear();
  }

  // -------------------------------------------------------------------------------------

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  #every(ms: number, run: () => void): void {
    const timer = setInterval(run, ms);
    timer.unref();
    this.#timers.push(timer);
  }

  #onResponse(packet: object, source: string): void {
    try {
      const read = readRoomPacket(packet, source);
      for (const instance of read.goodbyes) this.#list.goodbye(instance, source);
      for (const announcement of read.announcements) this.#list.announce(announcement);
      for (const instance of read.mentioned) this.#list.heard(instance, source);
    } catch {
      this.#list.counters.malformed++;
    }
  }

  #query(): void {
    for (const link of this.#endpoints.healthyLinks()) link.mdns.query({ questions: [{ name: SERVICE_NAME, type: 'PTR' }] });
  }

  #scheduleRequery(): void {
    clearTimeout(this.#requeryTimer);
    if (this.#stopped) return;
    this.#requeryTimer = setTimeout(() => {
      this.#query();
      this.#requeryDelay = Math.min(this.#options.requery?.maxMs ?? 5000, this.#requeryDelay * 2);
      this.#scheduleRequery();
    }, this.#requeryDelay);
    this.#requeryTimer.unref();
  }

  async #runScan(): Promise<ScanDone> {
    const named = this.#options.interfaces;
    const ranges = this.#stopped ? [] : scanRanges(interfacesFor(named), named !== undefined);
    const targets = this.#stopped ? [] : (this.#options.scanTargets?.() ?? []);
    const subnets = ranges.map((r) => r.cidr);
    this.emit('scan', { state: 'scanning', subnets });
    const report = await scanNetwork({
      ranges,
      ports: [DEFAULT_PORT, ...targets.map((t) => t.port)],
      targets,
      ...(this.#options.scanLimits && { limits: this.#options.scanLimits }),
      signal: this.#stopScans.signal,
      onHit: (hit) => this.#list.found(hit.address, hit.port, hit.health),
    });
    // Rooms the list could take: a fingerprint-shaped id found without its proof is not one.
    const found = new Set(report.hits.filter((h) => answersForItsId(h.health)).map((h) => h.health.id)).size;
    const done: ScanDone = { state: 'done', subnets, found, asked: report.asked, planned: report.planned };
    if (!this.#stopped) this.emit('scan', done);
    return done;
  }

  /** While the list is empty (multicast found nothing), scan; look again every `everyMs`. */
  #scheduleAutoScan(delayMs: number, everyMs: number): void {
    this.#autoScanTimer = setTimeout(() => {
      if (this.#stopped) return;
      const scanned = this.#list.rooms().length === 0 ? this.scan() : Promise.resolve();
      void scanned.finally(() => !this.#stopped && this.#scheduleAutoScan(everyMs, everyMs));
    }, delayMs);
    this.#autoScanTimer.unref();
  }
}
