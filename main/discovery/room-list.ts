// The rooms a browser lists, one row per host id, built from announcements nobody vouches
// for. A row belongs to the address it was first heard from; another address claiming
// the same id is believed only once its own /health names that id, and the row moves
// there only when its old address no longer does (issue #14, item 7). An id derived from a
// certificate (FINGERPRINT_ID, issue #16) must be *proven* by that certificate over TLS
// (health-check.ts provenId): naming it in /health proves nothing. Rows are capped per
// source address and in total, a flapping room is held back, and updates are paced, so a
// flood or a liar costs bounded memory and a bounded number of events; the list says so.
import { EventEmitter } from 'node:events';
import { isIPv4 } from 'node:net';
import { FINGERPRINT_ID } from '../../common/identity.ts';
import type { RoomListing } from '../../common/ipc.ts';
import { PROTOCOL_VERSION } from '../../common/protocol.ts';
import { FlapDamper } from './flap-damping.ts';
import { answersForItsId, type HealthAnswer, type HealthCheck } from './health-check.ts';
import type { RoomAnnouncement } from './room-records.ts';
import { decodeTxt, type RoomTxt } from './txt.ts';

/** A row of the list: what the desktop contract shows (RoomListing), plus what the browser keeps. */
export interface DiscoveredRoom extends RoomListing {
  addresses: string[];
  lastSeen: number;
}

export interface BrowseLimits {
  /** Rooms listed from one source address (a machine hosts one room, a few at most). */
  perSource: number;
  /** Rooms listed in all. */
  total: number;
  /** Leaves in quick succession after which a room is held back (see flap-damping.ts). */
  flapThreshold: number;
  flapHalfLifeMs: number;
  /** A row reports at most one update this often; the latest state wins. */
  updateIntervalMs: number;
  /** /health requests in flight at once; more wait, up to a bounded queue. */
  concurrentChecks: number;
}

export const BROWSE_LIMITS: BrowseLimits = {
  perSource: 16,
  total: 256,
  flapThreshold: 3,
  flapHalfLifeMs: 30_000,
  updateIntervalMs: 1000,
  concurrentChecks: 4,
};

/** What the list refused, since it started. */
export interface BrowseCounters {
  /** Datagrams that did not parse (counted by the browser). */
  malformed: number;
  /** Announcements that are no well-formed Hearth room (bad TXT, port 0, …). */
  invalid: number;
  /** New rooms left out by the caps. */
  overLimit: number;
  /** Comebacks of a flapping room held back. */
  heldBack: number;
  /** Announcements or goodbyes for a room from an address that is not that room's host. */
  forged: number;
}

type Drop = 'limit' | 'flap' | 'forged';
const DROP_NOTES: Record<Drop, (limits: BrowseLimits) => string> = {
  limit: (l) => `Some rooms are not shown: at most ${l.perSource} per address and ${l.total} in all.`,
  flap: () => 'A room that kept leaving and coming back is hidden for a while.',
  forged: () => 'Announcements claiming another host’s room were ignored.',
};
/** A note stays this long after the last drop of its kind. */
const NOTE_MS = 10 * 60_000;

const MAX_SOURCES_PER_ROW = 8;
const MAX_REFUTED = 256;
const REFUTED_MS = 60_000;
const MAX_QUEUED_CHECKS = 64;

interface Row {
  room: DiscoveredRoom;
  /** The instance name it is announced under: one room per host id, so a new name is the room renamed. */
  instance: string;
  /** The address the room was first heard from: the caps count it there. */
  origin: string;
  /** Source addresses proven to be this host: the first, then any whose /health names its id. */
  sources: Set<string>;
  /** The A records its host gave, last time. */
  aRecords: string[];
  checking: boolean;
  lastEmitted: number;
  pendingUpdate: ReturnType<typeof setTimeout> | undefined;
}

export interface RoomListOptions {
  limits: BrowseLimits;
  health: HealthCheck;
  now: () => number;
}

export class RoomList extends EventEmitter<{
  up: [DiscoveredRoom];
  update: [DiscoveredRoom];
  down: [DiscoveredRoom, string];
  /** The sentence saying what was left out changed. */
  note: [];
}> {
  readonly counters: BrowseCounters = { malformed: 0, invalid: 0, overLimit: 0, heldBack: 0, forged: 0 };
  readonly #options: RoomListOptions;
  readonly #rows = new Map<string, Row>(); // by host id
  readonly #byInstance = new Map<string, Set<string>>(); // instance → host ids
  readonly #perOrigin = new Map<string, number>();
  readonly #refuted = new Map<string, number>(); // "id source" → until when
  readonly #verifying = new Set<string>();
  readonly #damper: FlapDamper;
  readonly #lastDrop = new Map<Drop, number>();
  #inFlight = 0;
  readonly #waiting: Array<() => void> = [];
  #note: string | undefined;

  constructor(options: RoomListOptions) {
    super();
    this.#options = options;
    this.#damper = new FlapDamper({
      threshold: options.limits.flapThreshold,
      halfLifeMs: options.limits.flapHalfLifeMs,
      maxTracked: options.limits.total * 2,
      now: options.now,
    });
  }

  rooms(): DiscoveredRoom[] {
    return [...this.#rows.values()].map((r) => copy(r.room)).sort((a, b) => a.room.localeCompare(b.room));
  }

  /** Why some rooms are not shown, when any were left out lately. */
  note(): string | undefined {
    const now = this.#options.now();
    const kinds = [...this.#lastDrop].filter(([, at]) => now - at < NOTE_MS).map(([kind]) => DROP_NOTES[kind](this.#options.limits));
    const note = kinds.length ? kinds.join(' ') : undefined;
    if (note !== this.#note) {
      this.#note = note;
      this.emit('note');
    }
    return note;
  }

  announce(announcement: RoomAnnouncement): void {
    const txt = decodeTxt(announcement.txt);
    const { port, source } = announcement;
    if (!this.#listable(txt, port, source)) return;
    const row = this.#rows.get(txt.id);
    if (!row) this.#add(txt, announcement);
    else if (row.sources.has(source)) this.#refresh(row, txt, announcement);
    else void this.#verify(row, txt, announcement);
  }

  /**
   * A room found by scanning (scan.ts): its /health at `source` named its id (and proved it, if
   * fingerprint-shaped). Listed under the same caps as an announced one; a listed row keeps its
   * name, host and address, and moves to `source` only when its old address no longer is this host.
   */
  found(source: string, port: number, health: HealthAnswer): void {
    const txt = decodeTxt(healthTxt(health));
    if (!this.#listable(txt, port, source)) return;
    if (!answersForItsId({ ...health, id: txt.id })) return this.#dropped('forged');
    const row = this.#rows.get(txt.id);
    if (!row) return this.#add(txt, { instance: '', source, port, host: '', addresses: [], txt: [] });
    if (!row.sources.has(source)) return void this.#foundElsewhere(row, source);
    row.room.lastSeen = this.#options.now();
    if (row.room.users !== txt.users) {
      row.room.users = txt.users;
      this.#emitUpdate(row);
    }
  }

  goodbye(instance: string, source: string): void {
    for (const id of this.#byInstance.get(instance) ?? []) {
      const row = this.#rows.get(id);
      if (!row) continue;
      if (!row.sources.has(source)) {
        this.#dropped('forged');
        continue;
      }
      this.#remove(id, 'goodbye');
    }
  }

  /** A packet from `source` repeated this instance's records: its room is alive. */
  heard(instance: string, source: string): void {
    for (const id of this.#byInstance.get(instance) ?? []) {
      const row = this.#rows.get(id);
      if (row?.sources.has(source)) row.room.lastSeen = this.#options.now();
    }
  }

  /** Ask every room not heard from for `staleMs` whether it is still there. */
  checkStale(staleMs: number): void {
    const now = this.#options.now();
    for (const row of this.#rows.values()) if (now - row.room.lastSeen > staleMs) void this.check(row.room.id);
  }

  /** Is this room still where the list says, and the same host? Moves or removes it if not. */
  async check(id: string): Promise<void> {
    const row = this.#rows.get(id);
    if (!row || row.checking) return;
    row.checking = true;
    try {
      let answeredByAnother = false;
      const candidates = [row.room.address, ...[...row.sources].filter((s) => s !== row.room.address)];
      for (const address of candidates) {
        const answer = await this.#health(address, row.room.port);
        if (answer === 'busy') return; // checked again next round
        if (this.#rows.get(id) !== row) return;
        if (isSameHost(answer, row.room)) {
          row.room.lastSeen = this.#options.now();
          const before = copy(row.room);
          row.room.address = address;
          if (answer?.members !== undefined) row.room.users = answer.members;
          if (visibleChange(before, row.room)) this.#emitUpdate(row);
          return;
        }
        if (answer) answeredByAnother = true;
      }
      this.#remove(id, answeredByAnother ? 'replaced' : 'unreachable');
    } finally {
      row.checking = false;
    }
  }

  clear(): void {
    for (const row of this.#rows.values()) clearTimeout(row.pendingUpdate);
    this.#rows.clear();
    this.#byInstance.clear();
    this.#perOrigin.clear();
  }

  // -------------------------------------------------------------------------------------

  /** A well-formed room at a usable port and an IPv4 source; anything else is counted as invalid. */
  #listable(txt: RoomTxt | undefined, port: number, source: string): txt is RoomTxt {
    if (txt && Number.isInteger(port) && port >= 1 && port <= 65_535 && isIPv4(source)) return true;
    this.counters.invalid++;
    return false;
  }

  #add(txt: RoomTxt, announcement: RoomAnnouncement): void {
    const { limits } = this.#options;
    // An address caught claiming this id lately does not get to list it the moment its host leaves.
    if (this.#isRefuted(txt.id, announcement.source)) return this.#dropped('forged');
    if (this.#damper.isHeldBack(txt.id)) {
      this.counters.heldBack++;
      return this.#dropped('flap');
    }
    if ((this.#perOrigin.get(announcement.source) ?? 0) >= limits.perSource || this.#rows.size >= limits.total) {
      this.counters.overLimit++;
      return this.#dropped('limit');
    }
    const row: Row = {
      room: { ...listing(txt, announcement), address: announcement.source, addresses: [], lastSeen: 0 },
      instance: '',
      origin: announcement.source,
      sources: new Set([announcement.source]),
      aRecords: [],
      checking: false,
      lastEmitted: this.#options.now(),
      pendingUpdate: undefined,
    };
    this.#rows.set(txt.id, row);
    this.#perOrigin.set(row.origin, (this.#perOrigin.get(row.origin) ?? 0) + 1);
    this.#apply(row, txt, announcement);
    this.emit('up', copy(row.room));
  }

  #refresh(row: Row, txt: RoomTxt, announcement: RoomAnnouncement): void {
    const before = copy(row.room);
    this.#apply(row, txt, announcement);
    if (visibleChange(before, row.room)) this.#emitUpdate(row);
  }

  /** What a proven source says about its room becomes the row. */
  #apply(row: Row, txt: RoomTxt, announcement: RoomAnnouncement): void {
    if (row.instance !== announcement.instance) {
      // The old name is retired without a goodbye: forget it, or the row's goodbye would never come.
      this.#forgetInstance(row);
      row.instance = announcement.instance;
      const ids = this.#byInstance.get(row.instance) ?? new Set();
      this.#byInstance.set(row.instance, ids.add(row.room.id));
    }
    row.aRecords = usableAddresses(announcement.addresses);
    delete row.room.note;
    Object.assign(row.room, listing(txt, announcement), { lastSeen: this.#options.now() });
    row.room.addresses = [...new Set([row.room.address, ...row.sources, ...row.aRecords])];
  }

  /** An address that is not (yet) this row's claims its id: believe it only if its /health does too. */
  async #verify(row: Row, txt: RoomTxt, announcement: RoomAnnouncement): Promise<void> {
    const key = `${txt.id} ${announcement.source}`;
    if (this.#isRefuted(txt.id, announcement.source)) return this.#dropped('forged');
    if (this.#verifying.has(key) || this.#verifying.size >= MAX_QUEUED_CHECKS) return;
    this.#verifying.add(key);
    try {
      const answer = await this.#health(announcement.source, announcement.port);
      if (answer === 'busy' || this.#rows.get(txt.id) !== row) return;
      if (!isSameHost(answer, row.room)) {
        this.#refuted.delete(key);
        this.#refuted.set(key, this.#options.now() + REFUTED_MS);
        if (this.#refuted.size > MAX_REFUTED) this.#refuted.delete(this.#refuted.keys().next().value!);
        return this.#dropped('forged');
      }
      const move = await this.#addSource(row, announcement.source);
      if (move === undefined) return;
      const before = copy(row.room);
      if (move) row.room.address = announcement.source;
      this.#apply(row, txt, announcement);
      if (visibleChange(before, row.room)) this.#emitUpdate(row);
    } finally {
      this.#verifying.delete(key);
    }
  }

  /** A scan found this row's host at another address: proven by its /health already. */
  async #foundElsewhere(row: Row, source: string): Promise<void> {
    const move = await this.#addSource(row, source);
    if (move === undefined) return;
    const before = copy(row.room);
    if (move) row.room.address = source;
    row.room.addresses = [...new Set([row.room.address, ...row.room.addresses, source])];
    if (visibleChange(before, row.room)) this.#emitUpdate(row);
  }

  /**
   * `source` is proven to be this row's host (another link, a new lease): keep it. True when
   * the row's own address no longer answers as this host, so the row should move there;
   * undefined when the row went meanwhile.
   */
  async #addSource(row: Row, source: string): Promise<boolean | undefined> {
    row.sources.add(source);
    if (row.sources.size > MAX_SOURCES_PER_ROW) row.sources.delete([...row.sources].find((s) => s !== row.room.address)!);
    const old = await this.#health(row.room.address, row.room.port);
    if (this.#rows.get(row.room.id) !== row) return undefined;
    return old !== 'busy' && !isSameHost(old, row.room);
  }

  #isRefuted(id: string, source: string): boolean {
    const until = this.#refuted.get(`${id} ${source}`);
    return until !== undefined && until > this.#options.now();
  }

  #forgetInstance(row: Row): void {
    const ids = this.#byInstance.get(row.instance);
    ids?.delete(row.room.id);
    if (ids?.size === 0) this.#byInstance.delete(row.instance);
  }

  #remove(id: string, why: string): void {
    const row = this.#rows.get(id);
    if (!row) return;
    this.#rows.delete(id);
    clearTimeout(row.pendingUpdate);
    this.#forgetInstance(row);
    const left = (this.#perOrigin.get(row.origin) ?? 1) - 1;
    if (left > 0) this.#perOrigin.set(row.origin, left);
    else this.#perOrigin.delete(row.origin);
    this.#damper.recordLeave(id);
    this.emit('down', copy(row.room), why);
  }

  /** At most one update per row per interval: a room changing ten times a second is reported once a second. */
  #emitUpdate(row: Row): void {
    if (row.pendingUpdate) return;
    const wait = row.lastEmitted + this.#options.limits.updateIntervalMs - this.#options.now();
    const emit = () => {
      row.pendingUpdate = undefined;
      if (this.#rows.get(row.room.id) !== row) return;
      row.lastEmitted = this.#options.now();
      this.emit('update', copy(row.room));
    };
    if (wait <= 0) return emit();
    row.pendingUpdate = setTimeout(emit, wait);
    row.pendingUpdate.unref();
  }

  #dropped(kind: Drop): void {
    if (kind === 'forged') this.counters.forged++;
    this.#lastDrop.set(kind, this.#options.now());
    this.note();
  }

  /** /health through a bounded number of slots; 'busy' when even the queue is full. */
  async #health(address: string, port: number): Promise<HealthAnswer | undefined | 'busy'> {
    if (this.#inFlight >= this.#options.limits.concurrentChecks) {
      if (this.#waiting.length >= MAX_QUEUED_CHECKS) return 'busy';
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    this.#inFlight++;
    try {
      return await this.#options.health(address, port);
    } finally {
      this.#inFlight--;
      this.#waiting.shift()?.();
    }
  }
}

/**
 * Same host: its certificate proves the row's id, when the id is derived from one; else (a
 * host from before #16) /health names the id, or (before ids were in /health) the room name.
 */
function isSameHost(answer: HealthAnswer | undefined, room: DiscoveredRoom): boolean {
  if (!answer) return false;
  if (FINGERPRINT_ID.test(room.id)) return answer.provenId === room.id;
  return answer.id !== undefined ? answer.id === room.id : answer.room === room.room;
}

/** A /health answer read as the TXT record it stands for, so one decoder judges both. */
function healthTxt(health: HealthAnswer): string[] {
  return [`v=${health.version ?? ''}`, `room=${health.room ?? ''}`, `users=${health.members ?? 0}`, `lock=${health.passwordRequired ? 1 : 0}`, `id=${health.id ?? ''}`];
}

/** The row's fields an announcement sets; which address it is listed at is the row's own business. */
function listing(txt: RoomTxt, announcement: RoomAnnouncement): Omit<RoomListing, 'address'> {
  const versionNote = txt.v > PROTOCOL_VERSION ? 'needs a newer Hearth' : txt.v < PROTOCOL_VERSION ? 'runs an older Hearth' : undefined;
  return {
    id: txt.id,
    room: txt.room,
    host: hostLabel(announcement.host, announcement.source),
    port: announcement.port,
    users: txt.users,
    lock: txt.lock,
    v: txt.v,
    compatible: versionNote === undefined,
    ...(versionNote && { note: versionNote }),
  };
}

/** The SRV target as a name people can read: DNS allows any byte in a label, a list does not. */
function hostLabel(target: string, fallback: string): string {
  const clean = target.replace(/[^\p{L}\p{M}\p{N}._-]/gu, '').slice(0, 63);
  return clean || fallback;
}

/** IPv4 addresses only: a link-local IPv6 address is useless without its zone. */
function usableAddresses(addresses: string[]): string[] {
  return [...new Set(addresses.filter((a) => isIPv4(a) && !a.startsWith('169.254.') && !a.startsWith('127.')))].slice(0, 8);
}

function copy(room: DiscoveredRoom): DiscoveredRoom {
  return { ...room, addresses: [...room.addresses] };
}

function visibleChange(a: DiscoveredRoom, b: DiscoveredRoom): boolean {
  return a.room !== b.room || a.users !== b.users || a.lock !== b.lock || a.address !== b.address || a.port !== b.port || a.v !== b.v || a.host !== b.host;
}
