// Announce a room on the LAN as _hearth._tcp, on every LAN interface, with a TXT record
// that follows the room (users, lock, name). Each link gets its own responder (one link's
// address, its own host name), and the links follow the network: an interface that comes
// up, goes away or changes address is announced, dropped or re-announced within a couple
// of seconds. Discovery failing never stops hosting: it becomes a status, "discovery
// unavailable: <reason>", and the room goes on.
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { PROTOCOL_VERSION } from '../../common/protocol.ts';
import { interfacesFor, localAddresses, noInterfaceReason } from './addresses.ts';
import { checkSend, openEndpoint, type MdnsEndpoint } from './mdns.ts';
import { LinkResponder, type ResponderTiming, type RoomService } from './responder.ts';
import { SERVICE_NAME, SERVICE_TYPE, encodeTxt, instanceName, type RoomTxt } from './txt.ts';

export type DiscoveryStatus =
  | { state: 'starting' }
  | { state: 'announcing'; interfaces: string[] }
  | { state: 'unavailable'; reason: string }
  | { state: 'stopped' };

export interface AdvertiseOptions {
  room: string;
  port: number;
  hostId: string;
  lock: boolean;
  users: number;
  /** Interfaces to announce on, by name (eth0) or IPv4 address; default: every LAN interface. */
  interfaces?: string[];
  /** Minimum time between TXT updates (joins and leaves come in bursts). */
  throttleMs?: number;
  /** How often the interfaces are looked at again. */
  watchMs?: number;
  /** How long a link that failed waits before it is tried again. */
  retryMs?: number;
  timing?: Partial<ResponderTiming>;
}

interface Link {
  address: string;
  endpoint: MdnsEndpoint;
  responder: LinkResponder | undefined;
}

/** How long start() waits for the links to finish probing their host name. */
const SETTLE_MS = 4000;

export class RoomAdvertiser extends EventEmitter<{ status: [DiscoveryStatus] }> {
  #options: AdvertiseOptions;
  #txt: RoomTxt;
  #links = new Map<string, Link>();
  /** Links that failed, with why and when: tried again after retryMs. */
  #failed = new Map<string, { reason: string; at: number }>();
  #ownAddresses = new Set<string>();
  #status: DiscoveryStatus = { state: 'starting' };
  #pendingUpdate: ReturnType<typeof setTimeout> | undefined;
  #watch: ReturnType<typeof setInterval> | undefined;
  #syncing: Promise<void> | undefined;
  #lastUpdate = 0;
  #stopped = false;
  readonly #hostLabel: string;

  constructor(options: AdvertiseOptions) {
    super();
    this.#options = options;
    this.#txt = { v: PROTOCOL_VERSION, room: options.room, users: options.users, lock: options.lock, id: options.hostId };
    this.#hostLabel = hostname().split('.')[0]!.replace(/[^A-Za-z0-9-]/g, '-') || 'hearth';
  }

  get status(): DiscoveryStatus {
    return this.#status;
  }

  get instanceName(): string {
    return instanceName(this.#txt.room, this.#options.hostId);
  }

  /** The .local names the room is announced under (one per link; vm-2.local when vm.local was taken). */
  get hostNames(): string[] {
    return [...new Set([...this.#links.values()].flatMap((l) => (l.responder?.announced ? [l.responder.hostName] : [])))];
  }

  /** Start announcing; resolves once every link has announced or failed (bounded). */
  async start(): Promise<DiscoveryStatus> {
    await this.#sync();
    this.#watch = setInterval(() => void this.#sync(), this.#options.watchMs ?? 1000);
    this.#watch.unref();
    const deadline = Date.now() + SETTLE_MS;
    while (!this.#stopped && Date.now() < deadline && [...this.#links.values()].some((l) => !l.responder?.announced)) {
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.#refreshStatus();
  }

  /** The room changed: people came or went, the lock or the name changed. Throttled. */
  update(change: Partial<Pick<RoomTxt, 'room' | 'users' | 'lock'>>): void {
    this.#txt = { ...this.#txt, ...change };
    if (this.#stopped || this.#pendingUpdate) return;
    const wait = Math.max(0, this.#lastUpdate + (this.#options.throttleMs ?? 1000) - Date.now());
    this.#pendingUpdate = setTimeout(() => {
      this.#pendingUpdate = undefined;
      this.#lastUpdate = Date.now();
      for (const link of this.#links.values()) link.responder?.update(this.#roomService());
    }, wait);
    this.#pendingUpdate.unref();
  }

  /** Say goodbye on every link (repeated, so a lost packet does not keep the room listed). */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#pendingUpdate);
    clearInterval(this.#watch);
    await this.#syncing;
    const links = [...this.#links.values()];
    this.#links.clear();
    await Promise.all(links.map((l) => l.responder?.stop()));
    await Promise.all(links.map((l) => l.endpoint.destroy()));
    this.#setStatus({ state: 'stopped' });
  }

  // -------------------------------------------------------------------------------------

  #roomService(): RoomService {
    return { instance: this.instanceName, type: SERVICE_TYPE, port: this.#options.port, txt: encodeTxt(this.#txt) };
  }

  /** Bring the links in line with the interfaces there are now. */
  #sync(): Promise<void> {
    this.#syncing ??= this.#syncLinks().finally(() => (this.#syncing = undefined));
    return this.#syncing;
  }

  async #syncLinks(): Promise<void> {
    if (this.#stopped) return;
    const local = localAddresses();
    this.#ownAddresses = new Set(local.map((a) => a.address));
    const wanted = interfacesFor(this.#options.interfaces, process.env, local);
    for (const [address, link] of this.#links) if (!wanted.includes(address)) this.#close(link);
    for (const address of this.#failed.keys()) if (!wanted.includes(address)) this.#failed.delete(address);
    const retryMs = this.#options.retryMs ?? 5000;
    const opening = wanted.filter((address) => !this.#links.has(address) && Date.now() - (this.#failed.get(address)?.at ?? 0) >= retryMs);
    await Promise.all(opening.map((address) => this.#open(address, local.find((a) => a.address === address)?.prefix ?? 24)));
    this.#refreshStatus();
  }

  async #open(address: string, prefix: number): Promise<void> {
    let endpoint: MdnsEndpoint;
    try {
      endpoint = openEndpoint(address, (reason) => this.#linkFailed(address, reason));
    } catch (error) {
      return this.#linkFailed(address, (error as Error).message);
    }
    const link: Link = { address, endpoint, responder: undefined };
    this.#links.set(address, link);
    const problem = await checkSend(endpoint, SERVICE_NAME);
    if (problem) return this.#linkFailed(address, problem);
    if (this.#stopped || this.#links.get(address) !== link) return;
    link.responder = new LinkResponder({
      mdns: endpoint.mdns,
      address,
      prefix,
      isOwnAddress: (a) => this.#ownAddresses.has(a),
      hostLabel: this.#hostLabel,
      service: this.#roomService(),
      ...(this.#options.timing && { timing: this.#options.timing }),
    });
    link.responder.on('announced', () => {
      this.#failed.delete(address);
      this.#refreshStatus();
    });
    link.responder.start();
  }

  /** A link went away or stopped working: drop it quietly (a goodbye could not go out). */
  #close(link: Link): void {
    if (this.#links.get(link.address) === link) this.#links.delete(link.address);
    link.responder?.dispose();
    void link.endpoint.destroy();
  }

  #linkFailed(address: string, reason: string): void {
    const link = this.#links.get(address);
    if (link) this.#close(link);
    this.#failed.set(address, { reason, at: Date.now() });
    this.#refreshStatus();
  }

  #refreshStatus(): DiscoveryStatus {
    if (this.#stopped) return this.#status;
    const links = [...this.#links.values()];
    const announcing = links.filter((l) => l.responder?.announced).map((l) => l.address);
    if (announcing.length > 0) return this.#setStatus({ state: 'announcing', interfaces: announcing });
    // A link tried again after failing stays failed until it announces: the status does not flap every retry.
    if (links.some((l) => !this.#failed.has(l.address))) return this.#setStatus({ state: 'starting' });
    const reasons = [...new Set([...this.#failed.values()].map((f) => f.reason))];
    return this.#setStatus({ state: 'unavailable', reason: reasons.join('; ') || noInterfaceReason(localAddresses(), this.#options.interfaces) });
  }

  #setStatus(status: DiscoveryStatus): DiscoveryStatus {
    const changed = JSON.stringify(status) !== JSON.stringify(this.#status);
    this.#status = status;
    if (changed) this.emit('status', status);
    return status;
  }
}
