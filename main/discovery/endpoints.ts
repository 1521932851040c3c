// This machine's mDNS links: one endpoint per LAN interface, followed as interfaces come,
// go and change address, with one status for all of them. Announcing (advertise.ts) and
// browsing (browse.ts) both stand on it; what each does with a link is theirs.
//
// It is also the one place that knows bonjour-service. multicast-dns sends through one
// interface only, so a single socket is invisible on every other link of a multi-homed
// machine: each link gets its own transport, bonjour-service's Server (a public class
// imported by its dist path, bonjour-service/dist/lib/mdns-server.js, outside the package's
// entry point, so package.json pins the version with ~), whose `mdns` is public; no private
// field is read. Its registry and browser are not used (responder.ts, room-records.ts).
// What the library leaves loose is caught here: its default error callback throws, and the
// socket's 'error' events have no listener; both become "discovery unavailable: <reason>".
// A datagram that does not decode is one neighbour's bad packet, not a broken link: it is
// counted (onUndecodable) and dropped. Records are shaped by its public Service class.
import { EventEmitter } from 'node:events';
import { Service } from 'bonjour-service';
import { Server } from 'bonjour-service/dist/lib/mdns-server.js';
import { interfacesFor, localAddresses, noInterfaceReason, type LocalAddress } from './addresses.ts';
import { SERVICE_NAME } from './txt.ts';

// --- the library's shapes -----------------------------------------------------------------

export interface DnsRecord {
  name: string;
  type: string;
  ttl: number;
  flush?: boolean;
  data: unknown;
}
export interface DnsQuestion {
  name: string;
  type: string;
}
export interface DnsPacket {
  id?: number;
  questions?: DnsQuestion[];
  answers?: DnsRecord[];
  authorities?: DnsRecord[];
  additionals?: DnsRecord[];
}
type SendCallback = (error: Error | null) => void;

/** The multicast-dns instance a link sends and receives through ('query' and 'response' events). */
export interface MdnsSocket extends EventEmitter {
  query(packet: DnsPacket, cb?: SendCallback): void;
  respond(packet: DnsPacket, to?: { address: string; port: number } | SendCallback, cb?: SendCallback): void;
}

/** A sentence for the UI: "discovery unavailable: <reason>". */
export function describeMdnsError(error: unknown): string {
  const e = error as NodeJS.ErrnoException | undefined;
  switch (e?.code) {
    case 'EADDRINUSE':
      return 'port 5353 is used by another program';
    case 'EACCES':
    case 'EPERM':
      return 'not allowed to use multicast (port 5353)';
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return 'no multicast route on this network';
    case 'EADDRNOTAVAIL':
    case 'ENODEV':
      return 'the network interface went away';
    default:
      return e?.message ?? String(error);
  }
}

/** A room's SRV, TXT and PTR records as bonjour-service shapes them (its A and AAAA records are left out: each link has its own address). */
export function serviceRecords(service: { instance: string; type: string; port: number; txt: Record<string, string> }, hostName: string): DnsRecord[] {
  const shaped = new Service({ name: service.instance, type: service.type, port: service.port, host: hostName, txt: service.txt, disableIPv6: true }, noop, noop);
  return shaped.records().filter((r) => r.type !== 'A' && r.type !== 'AAAA');
}

const noop = () => {};

// --- one link -------------------------------------------------------------------------------

/** One interface's endpoint. */
export interface Link {
  /** The IPv4 address of the interface this link sends through. */
  readonly address: string;
  /** That interface's prefix length. */
  readonly prefix: number;
  readonly mdns: MdnsSocket;
}

export interface OpenLink extends Link {
  destroy(): Promise<void>;
}

export type OpenLinkFn = (address: string, prefix: number, onError: (reason: string) => void, onUndecodable: () => void) => OpenLink;

function openLink(address: string, prefix: number, onError: (reason: string) => void, onUndecodable: () => void): OpenLink {
  let reported = false;
  const report = (error: unknown) => {
    if (reported) return;
    reported = true;
    onError(describeMdnsError(error));
  };
  // bind 0.0.0.0: a socket bound to the interface's own address never receives multicast.
  const server = new Server({ interface: address, bind: '0.0.0.0' } as never, report);
  const mdns = server.mdns as MdnsSocket & { destroy(cb: () => void): void };
  mdns.on('error', report);
  mdns.on('warning', (error: NodeJS.ErrnoException) => {
    // multicast-dns warns about a datagram it cannot decode too ("The value of "offset" is
    // out of range"): only a failed socket call (it names its syscall: send, addMembership,
    // setMulticastInterface) means this link cannot do multicast.
    if (typeof error?.syscall !== 'string') onUndecodable();
    else if (error.code !== 'EINVAL') report(error);
  });
  let destroyed = false;
  return {
    address,
    prefix,
    mdns,
    destroy: () =>
      new Promise<void>((resolve) => {
        if (destroyed) return resolve();
        destroyed = true;
        try {
          mdns.destroy(() => resolve());
        } catch {
          resolve();
        }
        setTimeout(resolve, 500).unref();
      }),
  };
}

/** Ask for `name` and say whether the question could be sent at all: a missing multicast route only shows up as a failed send. */
function checkSend(link: Link, name: string): Promise<string | undefined> {
  return new Promise((resolve) => link.mdns.query({ questions: [{ name, type: 'PTR' }] }, (error) => resolve(error ? describeMdnsError(error) : undefined)));
}

// --- every link, and their status -----------------------------------------------------------

export type WorkingState = 'announcing' | 'browsing';

/** How discovery is doing on this machine's links, for announcing and browsing alike. */
export type DiscoveryStatus<Working extends WorkingState = WorkingState> =
  | { state: 'starting' }
  | { state: Working; interfaces: string[]; /** Why some rooms are not shown, when any were left out. */ note?: string }
  /** No interface to use yet: the links are followed, and one is opened when it comes. */
  | { state: 'offline'; reason: string }
  | { state: 'unavailable'; reason: string }
  | { state: 'stopped' };

export interface EndpointsOptions<Working extends WorkingState> {
  /** Interfaces by name (eth0) or IPv4 address; default: every LAN interface. */
  interfaces?: string[] | undefined;
  /** What a working link does, as the status says it. */
  working: Working;
  /** The status before the first look at the interfaces. */
  initial: 'starting' | 'stopped';
  /** How the status reads with no interface at all: waiting for one, or unavailable. */
  noInterface: 'offline' | 'unavailable';
  /**
   * A link that failed is closed and opened again after this long, and stays failed in the
   * status until it works (the status does not flap every retry). Without it, a failed link
   * is left open as it is and not opened again while its interface stays.
   */
  retryMs?: number | undefined;
  /** Whether a link that has not failed is working yet; by default it is as soon as it opens. */
  isWorking?: (link: Link) => boolean;
  /** A new link, before anything is sent through it. */
  onOpen?: (link: Link) => void;
  /** A link that proved it can send. */
  onReady?: (link: Link) => void;
  /** A link closed without a goodbye: its interface went, or it failed (stop() has its farewell instead). */
  onClose?: (link: Link) => void;
  /** A datagram that does not decode arrived. */
  onUndecodable?: () => void;
  /** Said with a working status. */
  note?: () => string | undefined;
  /** The machine as seen by the links; tests give stand-ins, so no socket is opened. */
  system?: { addresses: () => LocalAddress[]; open: OpenLinkFn };
}

interface Failure {
  reason: string;
  at: number;
}

export class Endpoints<Working extends WorkingState> extends EventEmitter<{ status: [DiscoveryStatus<Working>] }> {
  readonly #options: EndpointsOptions<Working>;
  /** Open links, by interface address. */
  readonly #links = new Map<string, OpenLink>();
  /** Failed interfaces, by address: with retryMs their link is closed; without, it stays open. */
  readonly #failed = new Map<string, Failure>();
  /** Every address of this machine, as of the last look at the interfaces. */
  #own = new Set<string>();
  #status: DiscoveryStatus<Working>;
  #following: Promise<void> | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #stopped = false;
  readonly #system: { addresses: () => LocalAddress[]; open: OpenLinkFn };

  constructor(options: EndpointsOptions<Working>) {
    super();
    this.#options = options;
    this.#system = options.system ?? { addresses: () => localAddresses(), open: openLink };
    this.#status = options.initial === 'starting' ? { state: 'starting' } : { state: 'stopped' };
  }

  get status(): DiscoveryStatus<Working> {
    return this.#status;
  }

  /** Every open link, a failed one left open included. */
  links(): Link[] {
    return [...this.#links.values()];
  }

  /** The open links that have not failed. */
  healthyLinks(): Link[] {
    return this.links().filter((link) => !this.#failed.has(link.address));
  }

  /** Whether an address is this machine's (any interface): its packets are not a neighbour's. */
  isOwnAddress(address: string): boolean {
    return this.#own.has(address);
  }

  /** Look at the interfaces now, then every `everyMs`. */
  async follow(everyMs: number): Promise<void> {
    await this.sync();
    this.#timer = setInterval(() => void this.sync(), everyMs);
    this.#timer.unref();
  }

  /** Open a link for each interface that appeared, close the ones that went. One pass at a time. */
  sync(): Promise<void> {
    this.#following ??= this.#syncLinks().finally(() => (this.#following = undefined));
    return this.#following;
  }

  /** A link did what it is for (announced): it is no longer counted as failed. */
  works(address: string): void {
    this.#failed.delete(address);
    this.refreshStatus();
  }

  /** Stop following; `farewell` may still send through the links (goodbyes) before they close. */
  async stop(farewell?: (links: Link[]) => Promise<unknown>): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#following;
    const links = [...this.#links.values()];
    this.#links.clear();
    await farewell?.(links);
    await Promise.all(links.map((link) => link.destroy()));
    this.#setStatus({ state: 'stopped' });
  }

  refreshStatus(): DiscoveryStatus<Working> {
    if (this.#stopped) return this.#status;
    const open = [...this.#links.values()];
    const isWorking = this.#options.isWorking ?? (() => true);
    const working = this.healthyLinks().filter(isWorking).map((link) => link.address);
    const note = this.#options.note?.();
    if (working.length > 0) return this.#setStatus({ state: this.#options.working, interfaces: working, ...(note && { note }) });
    if (open.some((link) => !this.#failed.has(link.address))) return this.#setStatus({ state: 'starting' });
    const reasons = [...new Set([...this.#failed.values()].map((f) => f.reason))].join('; ');
    if (reasons) return this.#setStatus({ state: 'unavailable', reason: reasons });
    const reason = noInterfaceReason(this.#system.addresses(), this.#options.interfaces);
    return this.#setStatus(this.#options.noInterface === 'offline' ? { state: 'offline', reason } : { state: 'unavailable', reason });
  }

  // -------------------------------------------------------------------------------------

  async #syncLinks(): Promise<void> {
    if (this.#stopped) return;
    const local = this.#system.addresses();
    this.#own = new Set(local.map((a) => a.address));
    const wanted = new Set(interfacesFor(this.#options.interfaces, process.env, local));
    const gone = [...this.#links.values()].filter((link) => !wanted.has(link.address));
    for (const link of gone) this.#close(link);
    for (const address of this.#failed.keys()) if (!wanted.has(address)) this.#failed.delete(address);
    await Promise.all(gone.map((link) => link.destroy()));
    const retryMs = this.#options.retryMs;
    const due = (address: string) => {
      const failure = this.#failed.get(address);
      return !failure || (retryMs !== undefined && Date.now() - failure.at >= retryMs);
    };
    const opening = [...wanted].filter((address) => !this.#links.has(address) && due(address));
    await Promise.all(opening.map((address) => this.#open(address, local.find((a) => a.address === address)?.prefix ?? 24)));
    this.refreshStatus();
  }

  async #open(address: string, prefix: number): Promise<void> {
    if (this.#stopped) return;
    let link: OpenLink;
    try {
      link = this.#system.open(address, prefix, (reason) => this.#linkFailed(address, reason), () => this.#options.onUndecodable?.());
    } catch (error) {
      return this.#linkFailed(address, (error as Error).message, true);
    }
    this.#links.set(address, link);
    this.#options.onOpen?.(link);
    // The first question doubles as the test that this link can send at all.
    const problem = await checkSend(link, SERVICE_NAME);
    if (problem) return this.#linkFailed(address, problem);
    if (this.#stopped || this.#links.get(address) !== link) return;
    this.#options.onReady?.(link);
  }

  #close(link: OpenLink): void {
    if (this.#links.get(link.address) === link) this.#links.delete(link.address);
    this.#options.onClose?.(link);
  }

  /** `unopened`: the endpoint could not even be opened. */
  #linkFailed(address: string, reason: string, unopened = false): void {
    const link = this.#links.get(address);
    if (this.#options.retryMs !== undefined) {
      // Closed quietly (a goodbye could not go out), and opened again after retryMs.
      if (link) {
        this.#close(link);
        void link.destroy();
      }
      this.#failed.set(address, { reason, at: Date.now() });
    } else if ((link || unopened) && !this.#failed.has(address)) {
      // Left open as it is, with the first reason.
      this.#failed.set(address, { reason, at: Date.now() });
    }
    this.refreshStatus();
  }

  #setStatus(status: DiscoveryStatus<Working>): DiscoveryStatus<Working> {
    const changed = JSON.stringify(status) !== JSON.stringify(this.#status);
    this.#status = status;
    if (changed) this.emit('status', status);
    return status;
  }
}
