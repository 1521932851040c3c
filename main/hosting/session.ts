// One hosting session, the same for both shells: `hearth host` (main/cli/host-command.ts)
// and the desktop app (main/services/services.ts). It loads this machine's identity
// (main/host/identity.ts) or the certificate the person provided (provided-identity.ts),
// opens the history, starts the room server, lists the addresses people join at, announces
// the room on the LAN, keeps the announcement in step with the room, and stops in the order
// that matters. Failures come back as typed kinds: each shell
// keeps only its own words (terminal lines, IPC results).
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { inviteLink } from '../../common/invite.ts';
import type { Member } from '../../common/protocol.ts';
import type { RoomName } from '../../common/room-name.ts';
import { joinUrl, localAddresses, type AddressKind } from '../discovery/addresses.ts';
import { RoomAdvertiser } from '../discovery/advertise.ts';
import type { DiscoveryStatus } from '../discovery/endpoints.ts';
import { explainDataDirError } from '../host/data-dir.ts';
import { HistoryLostError, openHistory } from '../host/history-file.ts';
import { IdentityError, KEY_FILE, loadOrCreateIdentity, type LoadedIdentity } from '../host/identity.ts';
import { loadProvidedIdentity, ProvidedTlsError, type ProvidedTlsFiles } from '../host/provided-identity.ts';
import { startHost, type Host, type HostOptions } from '../host/server.ts';
import { MemoryHistoryStore, type HistoryStore } from '../host/store/index.ts';

/** Where the room keeps its history: a folder (history-file.ts), or memory only (`--store memory`, benchmarks). */
export type HistoryPlace = { kind: 'memory' } | { kind: 'folder'; dir: string; newHistory?: boolean };

/** Host options a shell sets as they are (limits, the web client, who may connect). */
const PASSED_TO_HOST = ['bind', 'ownerId', 'maxMembers', 'maxConnectionsPerAddress', 'maxPendingPerAddress', 'heartbeatMs', 'rateLimit', 'webRoot', 'allowedOrigins', 'encryptedOnly', 'log'] as const;
type PassedToHost = Pick<HostOptions, (typeof PASSED_TO_HOST)[number]>;

export interface HostingOptions extends PassedToHost {
  room: RoomName;
  password?: string | undefined;
  /** 0 picks a free port. */
  port: number;
  /** A taken port is no failure: any free one will do (the desktop's usual port; the link and QR code carry the port). */
  anyPortIfTaken?: boolean;
  history: HistoryPlace;
  /** Where this machine's identity is kept (host/identity.ts), whatever keeps the history. */
  dataDir: string;
  /** Move a damaged identity aside and make a new one (`hearth host --new-identity`). */
  newIdentity?: boolean;
  /**
   * Serve this certificate (PEM files; a chain is served whole) instead of this machine's own
   * (`--tls-cert`/`--tls-key`): it becomes the room's identity, and links for browsers are https.
   */
  tlsFiles?: ProvidedTlsFiles | undefined;
  /** Announce the room on the LAN; `--no-mdns` and tests turn it off. */
  mdns: boolean;
  /** Interfaces to announce on, by name (eth0) or IPv4 address (`--interface`); default: every LAN interface. */
  interfaces?: string[] | undefined;
  /**
   * Shared files: kept in `dir`, by default `<history folder>/files` (no files with history
   * in memory, unless a folder is given); limits as `hearth host --max-file-size/--files-quota`.
   */
  files?: { dir?: string | undefined; maxFileBytes?: number | undefined; quotaBytes?: number | undefined } | undefined;
}

/** Why a room did not open. Nothing is left running or open after one. */
export type HostingFailure =
  /** The folder had a history whose file is gone: `message` is the sentence to show (history-file.ts). */
  | { kind: 'history-lost'; message: string }
  /** The history folder cannot be used; `reason` says why in words a person can act on (data-dir.ts). */
  | { kind: 'history-unusable'; dir: string; reason: string }
  /**
   * The identity in the data folder cannot be used, and is never replaced silently: `file`
   * is the one at fault (the certificate is beside it), `reason` what is wrong, as a clause.
   */
  | { kind: 'identity-unusable'; file: string; reason: string }
  /** The provided certificate or key (`tlsFiles`) cannot be used: `reason` names the file and what is wrong, as a clause. */
  | { kind: 'tls-unusable'; file: string; reason: string }
  | { kind: 'port-in-use'; port: number }
  | { kind: 'cannot-listen'; message: string };

export type OpenedHosting = { ok: true; session: HostingSession } | { ok: false; failure: HostingFailure };

/** One of this machine's addresses and the URL people join at through it, best first. */
export interface HostedAddress {
  address: string;
  interface: string;
  kind: AddressKind;
  /** Beside virtual and VPN addresses ("container bridge", "VPN"). */
  label?: string;
  url: string;
}

type SessionEvents = {
  /** Someone joined; the count is who is here now. */
  member_joined: [Member, number];
  /** Someone left (`why`: 'left', 'timeout', or how they were removed); the count is who is still here. */
  member_left: [Member, string, number];
  /** The LAN announcement changed after announce() resolved with the first status. */
  discovery: [DiscoveryStatus<'announcing'>];
};

/**
 * Open the history, then start the room. The room listens when this resolves; announce()
 * puts it on the LAN (the CLI prints where to join before that may take a few seconds).
 */
export async function openHosting(options: HostingOptions): Promise<OpenedHosting> {
  const fail = (failure: HostingFailure): OpenedHosting => ({ ok: false, failure });
  let identity: LoadedIdentity;
  // Names a provided certificate vouches for: links for browsers use the first, and pages
  // opened under any of them may open the room's WebSocket (main/host/origin.ts).
  let certificateNames: readonly string[] = [];
  try {
    if (options.tlsFiles) {
      const provided = loadProvidedIdentity(options.tlsFiles);
      identity = provided;
      certificateNames = provided.dnsNames;
    } else {
      identity = await loadOrCreateIdentity(options.dataDir, { renew: options.newIdentity ?? false, ...(options.log && { log: options.log }) });
    }
  } catch (error) {
    if (error instanceof ProvidedTlsError) return fail({ kind: 'tls-unusable', file: error.file, reason: error.why });
    if (error instanceof IdentityError) return fail({ kind: 'identity-unusable', file: error.file, reason: error.why });
    return fail({ kind: 'identity-unusable', file: join(options.dataDir, KEY_FILE), reason: `cannot make this host's identity: ${(error as Error).message}` });
  }
  const history = options.history;
  let store: HistoryStore;
  let movedAside: string[] = [];
  if (history.kind === 'memory') store = new MemoryHistoryStore();
  else {
    try {
      ({ store, movedAside } = openHistory(history.dir, { newHistory: history.newHistory ?? false }));
    } catch (error) {
      if (error instanceof HistoryLostError) return fail({ kind: 'history-lost', message: error.message });
      return fail({ kind: 'history-unusable', dir: history.dir, reason: explainDataDirError(history.dir, error) });
    }
  }

  const filesDir = options.files?.dir ?? (history.kind === 'folder' ? join(history.dir, 'files') : undefined);
  if (filesDir !== undefined) {
    try {
      mkdirSync(filesDir, { recursive: true });
    } catch (error) {
      store.close();
      return fail({ kind: 'history-unusable', dir: filesDir, reason: explainDataDirError(filesDir, error) });
    }
  }

  const hostId = identity.hostId;
  // Filled once the room listens (the session is made from the running host).
  const made: { session?: HostingSession } = {};
  const hostOptions: HostOptions = {
    ...definedOnly(options),
    room: options.room,
    store,
    password: options.password,
    hostId,
    files: filesDir === undefined ? undefined : { dir: filesDir, maxFileBytes: options.files?.maxFileBytes, quotaBytes: options.files?.quotaBytes },
    // One port both ways: TLS with this identity's certificate for the app and `hearth
    // join` (and browsers, with a provided certificate), plain http for browsers as before.
    tls: { key: identity.key, cert: identity.cert },
    // The advertiser is made once the room listens; the host asks it which .local names are
    // ours (vm-2.local when vm.local was taken), so a browser opening the room by that name
    // passes the Origin check.
    hostNames: () => [...certificateNames, ...(made.session?.hostNames ?? [])],
  };
  let host: Host;
  try {
    host = await startHost({ ...hostOptions, port: options.port });
  } catch (error) {
    const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    if (!inUse || !options.anyPortIfTaken) {
      store.close();
      return fail(inUse ? { kind: 'port-in-use', port: options.port } : { kind: 'cannot-listen', message: (error as Error).message });
    }
    try {
      host = await startHost({ ...hostOptions, port: 0 });
    } catch (again) {
      store.close();
      return fail({ kind: 'cannot-listen', message: (again as Error).message });
    }
  }
  made.session = new HostingSession(host, identity, movedAside, options, certificateNames[0]);
  return { ok: true, session: made.session };
}

export class HostingSession extends EventEmitter<SessionEvents> {
  readonly host: Host;
  readonly room: RoomName;
  /**
   * What the room's /health, its announcement and its link give as its id: derived from the
   * certificate's fingerprint (common/identity.ts), so a renamed room is the same row in lists.
   */
  readonly hostId: string;
  /** Who this host is: its key and certificate, the fingerprint and the forms people compare. */
  readonly identity: LoadedIdentity;
  /**
   * The provided certificate's first DNS name, the one browsers open the room by (its https
   * link comes first); undefined with this machine's own certificate or a certificate for addresses only.
   */
  readonly certificateName: string | undefined;
  /** History files moved aside by a new history (full paths; none otherwise). */
  readonly movedAside: readonly string[];
  /** This machine's addresses when the room opened, best first; empty when it has no network. */
  readonly addresses: readonly HostedAddress[];
  /** The one link to share: every address (common/invite.ts), or loopback when there is none. */
  readonly inviteLink: string;
  /** Where this machine's own window or browser joins. */
  readonly localUrl: string;
  readonly #options: HostingOptions;
  #advertiser: RoomAdvertiser | undefined;
  #stopping: Promise<void> | undefined;

  constructor(host: Host, identity: LoadedIdentity, movedAside: string[], options: HostingOptions, certificateName?: string) {
    super();
    this.host = host;
    this.room = options.room;
    this.identity = identity;
    this.hostId = identity.hostId;
    this.certificateName = certificateName;
    this.movedAside = movedAside;
    this.#options = options;
    const port = host.port;
    // A provided certificate is one browsers can verify: their links are https. Hearth's own
    // is self-signed, which a browser would only warn about: theirs stay plain http.
    const forBrowsers = (url: string): string => (identity.source === 'provided' ? url.replace(/^http:/, 'https:') : url);
    this.addresses = localAddresses().map((a) => {
      const entry = { address: a.address, interface: a.interface, kind: a.kind, url: forBrowsers(joinUrl(a, port)) };
      return a.label ? { ...entry, label: a.label } : entry;
    });
    // This machine's own window or browser: plain, since a provided certificate rarely names loopback.
    this.localUrl = `http://127.0.0.1:${port}/`;
    const endpoints = this.addresses.length > 0 ? this.addresses.map((a) => ({ host: a.address, port })) : [{ host: '127.0.0.1', port }];
    if (certificateName !== undefined) endpoints.unshift({ host: certificateName, port });
    // The link's other addresses are reached the way the link is (common/invite.ts parseInvite).
    this.inviteLink = forBrowsers(inviteLink(endpoints, this.hostId)!);

    const room = host.room;
    room.on('member_joined', (member) => this.emit('member_joined', member, room.memberCount));
    room.on('member_left', (member, why) => this.emit('member_left', member, why, room.memberCount));
    // The announcement follows the room: how many are here, and whether it takes a password.
    room.on('members_changed', () => this.#advertiser?.update({ users: room.memberCount }));
    room.on('lock_changed', (lock) => this.#advertiser?.update({ lock }));
  }

  get port(): number {
    return this.host.port;
  }

  /** The LAN announcement's state; undefined while not announced (mdns off, or before announce()). */
  get discovery(): DiscoveryStatus<'announcing'> | undefined {
    return this.#advertiser?.status;
  }

  /** The DNS-SD instance name the room is announced as ("Kitchen (k3x9ab)"); undefined while not announced. */
  get instanceName(): string | undefined {
    return this.#advertiser?.instanceName;
  }

  /** The .local names the room is announced under. */
  get hostNames(): string[] {
    return this.#advertiser?.hostNames ?? [];
  }

  /**
   * Start announcing on the LAN, on the interfaces followed as they come, go and change
   * address. Resolves with the first status once every link announced or failed (bounded);
   * later changes come as 'discovery' events. Undefined with mdns off or after stop().
   * Discovery failing never stops the room: it is a status ('unavailable', with the reason).
   */
  async announce(): Promise<DiscoveryStatus<'announcing'> | undefined> {
    if (!this.#options.mdns || this.#stopping || this.#advertiser) return this.#advertiser?.status;
    const room = this.host.room;
    const advertiser = new RoomAdvertiser({
      room: this.room,
      port: this.port,
      hostId: this.hostId,
      lock: room.passwordRequired,
      users: room.memberCount,
      ...(this.#options.interfaces && { interfaces: this.#options.interfaces }),
    });
    this.#advertiser = advertiser;
    const status = await advertiser.start();
    if (!this.#stopping) advertiser.on('status', (s) => this.emit('discovery', s));
    return status;
  }

  /**
   * Close the room, in this order: goodbye on the LAN first (rooms lists drop the room at
   * once), then the host tells everyone it stopped, flushes the history and closes it.
   * Safe to call more than once, and while announce() is still starting.
   */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      await this.#advertiser?.stop();
      await this.host.close();
    })();
    return this.#stopping;
  }
}

/** The shell's host options that are set, as they are. */
function definedOnly(options: HostingOptions): PassedToHost {
  const passed: Record<string, unknown> = {};
  for (const key of PASSED_TO_HOST) if (options[key] !== undefined) passed[key] = options[key];
  return passed as PassedToHost;
}
