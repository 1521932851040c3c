// Announce a room on the LAN as _hearth._tcp, on every LAN interface, with a TXT record
// that follows the room (users, lock, name). Discovery failing never stops hosting: it
// becomes a status, "discovery unavailable: <reason>", and the room goes on.
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import type { Service } from 'bonjour-service';
import { PROTOCOL_VERSION } from '../../common/protocol.ts';
import { discoveryInterfaces } from './addresses.ts';
import { checkSend, openEndpoint, type MdnsEndpoint } from './mdns.ts';
import { SERVICE_TYPE, encodeTxt, instanceName, type RoomTxt } from './txt.ts';

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
  /** IPv4 addresses to announce on; default: every LAN interface. */
  interfaces?: string[];
  /** Minimum time between TXT updates (joins and leaves come in bursts). */
  throttleMs?: number;
}

interface Announcement {
  endpoint: MdnsEndpoint;
  service: Service | undefined;
}

export class RoomAdvertiser extends EventEmitter<{ status: [DiscoveryStatus] }> {
  #options: AdvertiseOptions;
  #txt: RoomTxt;
  #announcements: Announcement[] = [];
  #status: DiscoveryStatus = { state: 'starting' };
  #failed = new Map<string, string>();
  #pendingUpdate: ReturnType<typeof setTimeout> | undefined;
  #lastUpdate = 0;
  #stopped = false;
  readonly #host: string;

  constructor(options: AdvertiseOptions) {
    super();
    this.#options = options;
    this.#txt = { v: PROTOCOL_VERSION, room: options.room, users: options.users, lock: options.lock, id: options.hostId };
    // The SRV target must resolve: bonjour-service answers A queries for this name itself.
    this.#host = `${hostname().split('.')[0]!.replace(/[^A-Za-z0-9-]/g, '-') || 'hearth'}.local`;
  }

  get status(): DiscoveryStatus {
    return this.#status;
  }

  get instanceName(): string {
    return instanceName(this.#txt.room, this.#options.hostId);
  }

  /** Start announcing; resolves once every interface has either announced or failed. */
  async start(): Promise<DiscoveryStatus> {
    const addresses = this.#options.interfaces ?? discoveryInterfaces();
    if (addresses.length === 0) return this.#setStatus({ state: 'unavailable', reason: 'no LAN interface to announce on' });
    for (const address of addresses) {
      let endpoint: MdnsEndpoint;
      try {
        endpoint = openEndpoint(address, (reason) => this.#fail(address, reason));
      } catch (error) {
        this.#fail(address, (error as Error).message);
        continue;
      }
      this.#announcements.push({ endpoint, service: undefined });
    }
    await Promise.all(
      this.#announcements.map(async (a) => {
        const problem = await checkSend(a.endpoint, `_${SERVICE_TYPE}._tcp.local`);
        if (problem) return this.#fail(a.endpoint.interfaceAddress, problem);
        if (!this.#failed.has(a.endpoint.interfaceAddress)) a.service = this.#publish(a.endpoint);
      }),
    );
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
      this.#republish();
    }, wait);
    this.#pendingUpdate.unref();
  }

  /** Say goodbye on every interface, so rooms lists drop this room at once. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#pendingUpdate);
    await Promise.all(
      this.#announcements.map(
        (a) =>
          new Promise<void>((resolve) => {
            const done = () => resolve();
            setTimeout(done, 1000).unref();
            try {
              a.endpoint.bonjour.unpublishAll(done);
            } catch {
              done();
            }
          }),
      ),
    );
    await Promise.all(this.#announcements.map((a) => a.endpoint.destroy()));
    this.#announcements = [];
    this.#setStatus({ state: 'stopped' });
  }

  #publish(endpoint: MdnsEndpoint): Service {
    const service = endpoint.bonjour.publish({
      name: instanceName(this.#txt.room, this.#options.hostId),
      type: SERVICE_TYPE,
      port: this.#options.port,
      host: this.#host,
      txt: encodeTxt(this.#txt),
      // The host id makes the name unique; probing would only find our own other
      // interfaces and bonjour-service would then stop with a goodbye that evicts us.
      probe: false,
      disableIPv6: true,
    });
    service.on('error', (error: unknown) => this.#fail(endpoint.interfaceAddress, String(error)));
    return service;
  }

  /**
   * bonjour-service has no TXT update, and its announce timer keeps re-sending the records
   * it started with. So a change retires the old service quietly (no goodbye: browsers keep
   * the row) and publishes a fresh one with the same name, which browsers see as an update.
   */
  #republish(): void {
    for (const a of this.#announcements) {
      if (!a.service || this.#failed.has(a.endpoint.interfaceAddress)) continue;
      const old = a.service;
      const renamed = old.name !== instanceName(this.#txt.room, this.#options.hostId).replace(/\./g, '-');
      if (!renamed) {
        old.destroyed = true;
        old.activated = false;
        a.endpoint.internals.unregister(old.records());
      }
      a.service = this.#publish(a.endpoint);
      // A new name is a new instance: announce it first, then the old one says goodbye,
      // so the row (kept by host id) never disappears in between.
      if (renamed) old.stop?.();
    }
  }

  #fail(address: string, reason: string): void {
    if (this.#failed.has(address)) return;
    this.#failed.set(address, reason);
    this.#refreshStatus();
  }

  #refreshStatus(): DiscoveryStatus {
    if (this.#stopped) return this.#status;
    const working = this.#announcements.filter((a) => a.service && !this.#failed.has(a.endpoint.interfaceAddress));
    if (working.length > 0) {
      return this.#setStatus({ state: 'announcing', interfaces: working.map((a) => a.endpoint.interfaceAddress) });
    }
    const reasons = [...new Set(this.#failed.values())];
    return this.#setStatus({ state: 'unavailable', reason: reasons.join('; ') || 'no interface could announce' });
  }

  #setStatus(status: DiscoveryStatus): DiscoveryStatus {
    const changed = JSON.stringify(status) !== JSON.stringify(this.#status);
    this.#status = status;
    if (changed) this.emit('status', status);
    return status;
  }
}
