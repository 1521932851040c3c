// One link's mDNS responder for a room, as RFC 6762 asks of a host that shares a LAN with
// Avahi, Bonjour and other Hearths:
// - it answers with this link's address only (§6, §11: a query from another subnet is
//   not from this link and gets no answer here);
// - it probes its host name before using it and takes a free one (vm-2.local) when a
//   neighbour holds it (§8.1, §8.2, §9), and gives the name up rather than defend it when
//   another machine probes for it: the name is only Hearth's SRV target, while a machine
//   named vm owns vm.local; so Hearth never makes a neighbour rename itself;
// - unique records (SRV, TXT, A) carry the cache-flush bit (§10.2), so a neighbour replaces
//   an old TXT (users=0) instead of keeping it beside the new one;
// - it announces more than once, one second apart and then further apart (§8.3), again
//   after every change (§8.4), and repeats its goodbye (§10.1): a lost packet no longer
//   costs a neighbour its room list.
// bonjour-service's Registry can do none of this (it announces every interface's address
// on every link, has no cache-flush bit, announces a second time 3 s later, says goodbye
// once, and never probes host names), so this replaces it on the sending side; records are
// still shaped by bonjour-service (endpoints.ts's serviceRecords) and sent through its transport.
import { EventEmitter } from 'node:events';
import { isIPv4 } from 'node:net';
import { inSubnet } from './addresses.ts';
import { serviceRecords, type DnsPacket, type DnsRecord, type MdnsSocket } from './endpoints.ts';

export type { DnsRecord } from './endpoints.ts';

interface Sender {
  address: string;
  port: number;
}

/** What is announced: the room's DNS-SD instance. */
export interface RoomService {
  instance: string;
  type: string;
  port: number;
  txt: Record<string, string>;
}

export interface ResponderTiming {
  /** Between probes (§8.1: 250 ms). */
  probeMs: number;
  /** When announcements go out after probing or a change (§8.3: ≥ 2, 1 s apart, then doubling). */
  announceMs: number[];
  /** When goodbyes go out on stop (§10.1). */
  goodbyeMs: number[];
}
const RFC_TIMING: ResponderTiming = { probeMs: 250, announceMs: [0, 1000, 3000], goodbyeMs: [0, 200, 400, 600] };

interface LinkResponderOptions {
  mdns: MdnsSocket;
  /** This link's IPv4 address: the only address answered here. */
  address: string;
  /** This link's prefix length, for the source address check. */
  prefix: number;
  /** Whether an address is this machine's (any interface): its packets are not a neighbour's. */
  isOwnAddress: (address: string) => boolean;
  /** The first label of the host name: vm → vm.local, then vm-2.local, … */
  hostLabel: string;
  service: RoomService;
  timing?: Partial<ResponderTiming>;
}

const HOST_TTL = 120;
const noop = () => {};

export class LinkResponder extends EventEmitter<{ announced: [string] }> {
  readonly #options: LinkResponderOptions;
  readonly #timing: ResponderTiming;
  #service: RoomService;
  /** The records answered with (service and host), built when the service or the host name changes, not per query. */
  #records: DnsRecord[] | undefined;
  #state: 'idle' | 'probing' | 'announced' | 'stopped' = 'idle';
  /** Which host name is tried: 1 → vm.local, 2 → vm-2.local. */
  #attempt = 1;
  #conflictTimes: number[] = [];
  /** Bumped whenever probing restarts, so the timers of an older round do nothing. */
  #round = 0;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #onQuery = (packet: DnsPacket, sender: Sender) => this.#guard(() => this.#query(packet, sender));
  readonly #onResponse = (packet: DnsPacket, sender: Sender) => this.#guard(() => this.#response(packet, sender));

  constructor(options: LinkResponderOptions) {
    super();
    this.#options = options;
    this.#timing = { ...RFC_TIMING, ...options.timing };
    this.#service = options.service;
  }

  get hostName(): string {
    return this.#attempt === 1 ? `${this.#options.hostLabel}.local` : `${this.#options.hostLabel}-${this.#attempt}.local`;
  }

  get announced(): boolean {
    return this.#state === 'announced';
  }

  start(): void {
    if (this.#state !== 'idle') return;
    this.#options.mdns.on('query', this.#onQuery);
    this.#options.mdns.on('response', this.#onResponse);
    this.#probe(0);
  }

  /** The room changed (users, lock, name): announce the new records, say goodbye to a replaced instance. */
  update(service: RoomService): void {
    const previous = this.#service;
    this.#service = service;
    this.#records = undefined;
    if (this.#state !== 'announced') return;
    this.#announce();
    // The new instance is announced first, so a list keyed by host id never loses the row.
    if (previous.instance !== service.instance) this.#schedule(this.#timing.goodbyeMs, () => ({ answers: goodbye(this.#serviceRecords(previous)) }), this.#round);
  }

  /** Say goodbye (repeated), then stop answering. Resolves once the last goodbye is sent. */
  async stop(): Promise<void> {
    const wasAnnounced = this.#state === 'announced';
    this.#quiet();
    if (!wasAnnounced) return;
    const records = goodbye(this.#serviceRecords(this.#service));
    await Promise.all(
      this.#timing.goodbyeMs.map(
        (at) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => this.#send({ answers: records }, undefined, () => resolve()), at);
            timer.unref();
            // A link that went away never calls back.
            setTimeout(resolve, at + 500).unref();
          }),
      ),
    );
  }

  /** Stop at once, without a goodbye: the link is gone, or failed. */
  dispose(): void {
    this.#quiet();
  }

  // -------------------------------------------------------------------------------------

  #quiet(): void {
    this.#state = 'stopped';
    this.#round++;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#options.mdns.off('query', this.#onQuery);
    this.#options.mdns.off('response', this.#onResponse);
  }

  /** A packet that decodes but makes no sense is dropped, like one that does not decode. */
  #guard(handle: () => void): void {
    try {
      handle();
    } catch {
      // One neighbour's odd packet must not silence this link.
    }
  }

  #probe(delayMs: number): void {
    this.#state = 'probing';
    const round = ++this.#round;
    const probes = [0, 1, 2].map((n) => delayMs + n * this.#timing.probeMs);
    this.#schedule(probes, () => ({ questions: [{ name: this.hostName, type: 'ANY' }], authorities: [this.#hostRecord()] }), round, 'query');
    // No conflict by 250 ms after the third probe: the name is ours.
    this.#after(delayMs + 3 * this.#timing.probeMs, round, () => {
      this.#state = 'announced';
      this.#announce();
      this.emit('announced', this.hostName);
    });
  }

  #announce(): void {
    this.#schedule(this.#timing.announceMs, () => ({ answers: this.#allRecords() }), this.#round);
  }

  #allRecords(): DnsRecord[] {
    this.#records ??= [...this.#serviceRecords(this.#service), this.#hostRecord()];
    return this.#records;
  }

  /** Our host name is taken: try the next one (§9), pausing after many conflicts (§8.1). */
  #conflict(): void {
    const now = Date.now();
    this.#conflictTimes = [...this.#conflictTimes.filter((t) => now - t < 10_000), now];
    this.#attempt++;
    this.#records = undefined; // a new host name: a new SRV target and A record
    this.#probe(this.#conflictTimes.length >= 15 ? 5000 : 0);
  }

  #query(packet: DnsPacket, sender: Sender): void {
    if (this.#state === 'idle' || this.#state === 'stopped' || !this.#fromThisLink(sender)) return;
    const probing = (packet.authorities ?? []).filter((r) => sameName(r.name, this.hostName));
    if (probing.length > 0 && !this.#options.isOwnAddress(sender.address)) {
      if (this.#state === 'announced') return this.#conflict();
      // Two hosts probing for one name at once (§8.2): the later record set wins; the loser waits 1 s.
      if (compareRecordSets(probing, [this.#hostRecord()]) > 0) this.#probe(1000);
      return;
    }
    if (this.#state === 'announced') this.#answer(packet, sender);
  }

  #response(packet: DnsPacket, sender: Sender): void {
    if (this.#state === 'idle' || this.#state === 'stopped' || !this.#fromThisLink(sender)) return;
    if (this.#options.isOwnAddress(sender.address)) return;
    const records = [...(packet.answers ?? []), ...(packet.additionals ?? [])];
    const taken = records.some(
      (r) => sameName(r.name, this.hostName) && r.ttl > 0 && !(r.type === 'A' && this.#options.isOwnAddress(String(r.data))),
    );
    if (taken) this.#conflict();
  }

  #answer(packet: DnsPacket, sender: Sender): void {
    const all = this.#allRecords();
    const known = packet.answers ?? [];
    const answers: DnsRecord[] = [];
    for (const question of packet.questions ?? []) {
      for (const record of all) {
        if (!sameName(record.name, question.name) || (question.type !== 'ANY' && question.type !== record.type)) continue;
        // Known-answer suppression (§7.1): the asker already holds it for at least half its life.
        if (known.some((k) => sameName(k.name, record.name) && k.type === record.type && k.data === record.data && k.ttl >= record.ttl / 2)) continue;
        if (!answers.includes(record)) answers.push(record);
      }
    }
    if (answers.length === 0) return;
    const additionals: DnsRecord[] = [];
    const add = (type: string, name: string) => {
      for (const r of all) if (r.type === type && sameName(r.name, name) && !answers.includes(r) && !additionals.includes(r)) additionals.push(r);
    };
    for (const a of answers) {
      if (a.type === 'PTR' && typeof a.data === 'string') {
        add('SRV', a.data);
        add('TXT', a.data);
      }
    }
    for (const r of [...answers, ...additionals]) if (r.type === 'SRV') add('A', (r.data as { target: string }).target);
    if (sender.port !== 5353) {
      // A legacy unicast query (§6.7): answer the asker alone, echo its question, no cache-flush bit, short TTLs.
      const legacy = (r: DnsRecord): DnsRecord => ({ ...r, flush: false, ttl: Math.min(r.ttl, 10) });
      this.#send({ id: packet.id ?? 0, questions: packet.questions ?? [], answers: answers.map(legacy), additionals: additionals.map(legacy) }, sender);
      return;
    }
    this.#send({ answers, additionals });
  }

  /** The source address check (§11): only a neighbour on this link's subnet is answered here. */
  #fromThisLink(sender: Sender): boolean {
    return isIPv4(sender.address) && inSubnet(sender.address, this.#options.address, this.#options.prefix);
  }

  #hostRecord(): DnsRecord {
    return { name: this.hostName, type: 'A', ttl: HOST_TTL, flush: true, data: this.#options.address };
  }

  #serviceRecords(service: RoomService): DnsRecord[] {
    return serviceRecords(service, this.hostName).map((r) => ({ ...r, flush: r.type === 'SRV' || r.type === 'TXT' }));
  }

  #schedule(times: number[], packet: () => DnsPacket, round: number, kind: 'query' | 'response' = 'response'): void {
    for (const at of times) this.#after(at, round, () => (kind === 'query' ? this.#options.mdns.query(packet(), noop) : this.#send(packet())));
  }

  #after(ms: number, round: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (round === this.#round) run();
    }, ms);
    timer.unref();
    this.#timers.add(timer);
  }

  #send(packet: DnsPacket, to?: Sender, done: () => void = noop): void {
    // A send that fails is the link's problem: the endpoint reports it (endpoints.ts).
    if (to) this.#options.mdns.respond(packet, to, () => done());
    else this.#options.mdns.respond(packet, () => done());
  }
}

/** Goodbye records (§10.1): the same records with TTL 0. The services PTR is shared with other rooms and stays. */
function goodbye(records: DnsRecord[]): DnsRecord[] {
  return records.filter((r) => !r.name.startsWith('_services._dns-sd.')).map((r) => ({ ...r, ttl: 0 }));
}

function sameName(a: string, b: string): boolean {
  return a.replace(/\.$/, '').toLowerCase() === b.replace(/\.$/, '').toLowerCase();
}

/** §8.2's order: records sorted by type then data, compared pair by pair; a longer set is later. */
export function compareRecordSets(theirs: DnsRecord[], ours: DnsRecord[]): number {
  const sorted = (set: DnsRecord[]) => set.map(recordKey).sort(Buffer.compare);
  const a = sorted(theirs);
  const b = sorted(ours);
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const order = Buffer.compare(a[i]!, b[i]!);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

const TYPE_NUMBERS: Record<string, number> = { A: 1, PTR: 12, TXT: 16, AAAA: 28, SRV: 33 };

function recordKey(record: DnsRecord): Buffer {
  const type = Buffer.alloc(2);
  type.writeUInt16BE(TYPE_NUMBERS[record.type] ?? 255);
  const data =
    record.type === 'A' && typeof record.data === 'string' && isIPv4(record.data)
      ? Buffer.from(record.data.split('.').map(Number))
      : Buffer.isBuffer(record.data)
        ? record.data
        : Buffer.from(JSON.stringify(record.data ?? null));
  return Buffer.concat([type, data]);
}
