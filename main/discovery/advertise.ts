// Announce a room on the LAN as _hearth._tcp, on every LAN interface, with a TXT record
// that follows the room (users, lock, name). Each link gets its own responder (one link's
// address, its own host name), and the links follow the network: an interface that comes
// up, goes away or changes address is announced, dropped or re-announced within a couple
// of seconds. Discovery failing never stops hosting: it becomes a status, "discovery
// unavailable: <reason>", and the room goes on.
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { PROTOCOL_VERSION } from '../../common/protocol.ts';
import { Endpoints, type DiscoveryStatus, type Link } from './endpoints.ts';
import { LinkResponder, type ResponderTiming, type RoomService } from './responder.ts';
import { SERVICE_TYPE, encodeTxt, instanceName, type RoomTxt } from './txt.ts';


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

/** How long start() waits for the links to finish probing their host name. */
const SETTLE_MS = 4000;

export class RoomAdvertiser extends EventEmitter<{ status: [DiscoveryStatus<'announcing'>] }> {
  #options: AdvertiseOptions;
  #txt: RoomTxt;
  readonly #endpoints: Endpoints<'announcing'>;
  /** Each open link's responder, once the link proved it can send. */
  readonly #responders = new Map<Link, LinkResponder>();
  #pendingUpdate: ReturnType<typeof setTimeout> | undefined;
  #lastUpdate = 0;
  #stopped = false;
  readonly #hostLabel: string;

  constructor(options: AdvertiseOptions) {
    super();
    this.#options = options;
    this.#txt = { v: PROTOCOL_VERSION, room: options.room, users: options.users, lock: options.lock, id: options.hostId };
    this.#hostLabel = hostname().split('.')[0]!.replace(/[^A-Za-z0-9-]/g, '-') || 'hearth';
    this.#endpoints = new Endpoints({
      interfaces: options.interfaces,
      working: 'announcing',
      initial: 'starting',
      noInterface: 'unavailable',
      retryMs: options.retryMs ?? 5000,
      // Working once its responder announced; a link tried again after failing stays failed
      // until then, so the status does not flap every retry.
      isWorking: (link) => this.#responders.get(link)?.announced === true,
      onReady: (link) => this.#startResponder(link),
      onClose: (link) => {
        this.#responders.get(link)?.dispose();
        this.#responders.delete(link);
      },
    });
    this.#endpoints.on('status', (status) => this.emit('status', status));
  }

  get status(): DiscoveryStatus<'announcing'> {
    return this.#endpoints.status;
  }

  get instanceName(): string {
    return instanceName(this.#txt.room, this.#options.hostId);
  }

  /** The .local names the room is announced under (one per link; vm-2.local when vm.local was taken). */
  get hostNames(): string[] {
    return [...new Set([...this.#responders.values()].flatMap((r) => (r.announced ? [r.hostName] : [])))];
  }

  /** Start announcing; resolves once every link has announced or failed (bounded). */
  async start(): Promise<DiscoveryStatus<'announcing'>> {
    await this.#endpoints.follow(this.#options.watchMs ?? 1000);
    const deadline = Date.now() + SETTLE_MS;
    while (!this.#stopped && Date.now() < deadline && this.#endpoints.links().some((l) => !this.#responders.get(l)?.announced)) {
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.#endpoints.refreshStatus();
  }

  /** The room changed: people came or went, the lock or the name changed. Throttled. */
  update(change: Partial<Pick<RoomTxt, 'room' | 'users' | 'lock'>>): void {
    this.#txt = { ...this.#txt, ...change };
    if (this.#stopped || this.#pendingUpdate) return;
    const wait = Math.max(0, this.#lastUpdate + (this.#options.throttleMs ?? 1000) - Date.now());
    this.#pendingUpdate = setTimeout(() => {
      this.#pendingUpdate = undefined;
      this.#lastUpdate = Date.now();
      for (const responder of this.#responders.values()) responder.update(this.#roomService());
    }, wait);
    this.#pendingUpdate.unref();
  }

  /** Say goodbye on every link (repeated, so a lost packet does not keep the room listed). */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#pendingUpdate);
    await this.#endpoints.stop(async (links) => {
      const responders = links.map((l) => this.#responders.get(l));
      this.#responders.clear();
      await Promise.all(responders.map((r) => r?.stop()));
    });
  }

  // -------------------------------------------------------------------------------------

  #roomService(): RoomService {
    return { instance: this.instanceName, type: SERVICE_TYPE, port: this.#options.port, txt: encodeTxt(this.#txt) };
  }

  #startResponder(link: Link): void {
    const responder = new LinkResponder({
      mdns: link.mdns,
      address: link.address,
      prefix: link.prefix,
      isOwnAddress: (a) => this.#endpoints.isOwnAddress(a),
      hostLabel: this.#hostLabel,
      service: this.#roomService(),
      ...(this.#options.timing && { timing: this.#options.timing }),
    });
    this.#responders.set(link, responder);
    responder.on('announced', () => this.#endpoints.works(link.address));
    responder.start();
  }
}
