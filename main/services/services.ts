// What the desktop app does besides drawing windows: host a room, watch the LAN for
// rooms, keep settings. Plain Node (no electron import): Electron's IPC serves these
// handlers in the app, and the e2e harness serves the very same ones to a browser.
import { EventEmitter } from 'node:events';
import { dirname, join } from 'node:path';
import type {
  ActivityEntry,
  DashboardSnapshot,
  DeleteFileRequest,
  DiscoveryState,
  EventMap,
  HostingInfo,
  InvokeHandlers,
  Result,
  RoomsSnapshot,
  ScanState,
  SetEncryptedOnlyRequest,
  StartHostingRequest,
} from '../../common/ipc.ts';
import { colonHex } from '../../common/identity.ts';
import { checkRoomName, MAX_ROOM_NAME_CHARS, type RoomNameProblem } from '../../common/room-name.ts';
import type { DiscoveryStatus } from '../discovery/endpoints.ts';
import { RoomBrowser } from '../discovery/browse.ts';
import { KNOWN_HOSTS_FILE, KnownHosts } from '../discovery/known-hosts.ts';
import { rememberedTargets } from '../discovery/scan.ts';
import { userIdFor } from '../host/room/index.ts';
import { DEFAULT_PORT, type Host } from '../host/server.ts';
import { roomHistoryDir } from '../hosting/room-folder.ts';
import { openHosting, type HostingFailure, type HostingSession } from '../hosting/session.ts';
import { exportFilename, historyAsJson, historyAsMarkdown } from './export.ts';
import { roomFileUrl } from './file-download.ts';
import { checkIdentity, trustIdentity, type IdentityCheckContext } from './identity-check.ts';
import { PinStore } from './pins.ts';
import { checkNetwork } from '../network-check/network-check.ts';
import { SettingsStore } from './settings.ts';
import { asSentence, capitalize } from '../../common/wording.ts';

export { slug } from '../hosting/room-folder.ts';

export interface AppServicesOptions {
  /** userData in Electron; a temp dir in tests. */
  dataDir: string;
  /** The built renderer, served to browsers by a hosted room. */
  webRoot?: string | undefined;
  /** Announce and browse on the LAN (off in tests outside a network namespace). */
  mdns?: boolean;
  /** Default port for hosting; 0 for any. */
  defaultPort?: number;
  /** Extra page origins a hosted room accepts WebSockets from (dev server, e2e harness). */
  allowedOrigins?: string[];
  /**
   * Why people may be unable to join a room just opened on `port` (the Windows firewall
   * check, main/network-check/firewall.ts). Asked after the room is open; its sentences reach the
   * hosting panel through host:changed as HostingInfo.warnings.
   */
  hostWarnings?: (port: number) => Promise<string[]>;
  log?: (line: string) => void;
}

interface Hosting {
  session: HostingSession;
  /** This app's own member in the room it hosts (its window joins with the settings' client id). */
  ownerId: string;
  info: HostingInfo;
}

type ServiceEvents = {
  'rooms:changed': [RoomsSnapshot];
  'host:changed': [HostingInfo | null];
  'dashboard:snapshot': [EventMap['dashboard:snapshot']];
  'dashboard:activity': [ActivityEntry];
  /** Someone asked for the dashboard window: the shell opens it. */
  'open-dashboard': [];
  /** Save this room file (a checked URL, file-download.ts): the shell downloads it in the chat window. */
  'download-file': [string];
};

/** Where this machine's own room is reached from this machine: its window joins through loopback. */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '::1'];

export class AppServices extends EventEmitter<ServiceEvents> {
  readonly settings: SettingsStore;
  /** The certificates the renderer may meet, per hostname: the Electron glue checks its connections against them. */
  readonly pins = new PinStore();
  readonly #options: AppServicesOptions;
  #knownHosts: KnownHosts | undefined;
  readonly #identity: IdentityCheckContext;
  #browser: RoomBrowser | undefined;
  #discovery: DiscoveryState;
  #scan: ScanState | undefined;
  #hosting: Hosting | undefined;
  #starting: Promise<Result<HostingInfo>> | undefined;

  constructor(options: AppServicesOptions) {
    super();
    this.#options = options;
    this.settings = new SettingsStore(options.dataDir);
    this.#discovery =
      options.mdns === false
        ? { state: 'off', detail: 'Discovery is off. Join rooms by address.' }
        : { state: 'starting', detail: 'Looking for rooms…' };
    this.#identity = {
      knownHosts: () => (this.#knownHosts ??= new KnownHosts(join(options.dataDir, KNOWN_HOSTS_FILE))),
      pins: this.pins,
      ownFingerprint: () => this.#hosting?.session.identity.fingerprint,
      log: options.log,
    };
  }

  get hosting(): Host | undefined {
    return this.#hosting?.session.host;
  }

  /** Start looking for rooms on the LAN. */
  async start(): Promise<void> {
    if (this.#options.mdns === false || this.#browser) return;
    // Rooms joined before are asked first at every scan, wherever they are.
    const browser = new RoomBrowser({ scanTargets: () => rememberedTargets(this.settings.get().recentRooms.map((r) => r.address)) });
    this.#browser = browser;
    const changed = () => this.emit('rooms:changed', this.#snapshot());
    browser.on('scan', (scan) => {
      this.#scan = scan;
      changed();
    });
    browser.on('up', changed);
    browser.on('update', changed);
    browser.on('down', changed);
    browser.on('status', (status) => {
      this.#discovery =
        status.state === 'browsing'
          ? { state: 'active', detail: `Looking for rooms on ${status.interfaces.join(', ')}.${status.note ? ` ${status.note}` : ''}` }
          : status.state === 'unavailable'
            ? { state: 'unavailable', detail: `Discovery unavailable: ${status.reason}. Join rooms by address.` }
            : status.state === 'offline'
              ? { state: 'unavailable', detail: `Waiting for a network: ${status.reason}. Join rooms by address meanwhile.` }
              : { state: 'off', detail: 'Discovery stopped.' };
      changed();
    });
    await browser.start();
  }

  /** Quit: goodbye on the LAN, history flushed, browser stopped. */
  async shutdown(): Promise<void> {
    await this.#stopHosting();
    await this.#browser?.stop();
    this.#browser = undefined;
  }

  readonly handlers: InvokeHandlers = {
    'host:start': (request) => this.#startHosting(request),
    'host:stop': async () => {
      await this.#stopHosting();
      return { ok: true, value: null };
    },
    'host:status': async () => ({ ok: true, value: this.#hosting?.info ?? null }),
    'host:check-network': async () => {
      const hosting = this.#hosting;
      if (!hosting) return { ok: false, error: 'You are not hosting a room.' };
      return { ok: true, value: await checkNetwork({ port: hosting.session.port, hostId: hosting.session.hostId, discovery: this.#options.mdns !== false }) };
    },
    'host:set-encrypted-only': async (request) => this.#setEncryptedOnly(request),
    'rooms:list': async () => ({ ok: true, value: this.#snapshot() }),
    'rooms:refresh': async () => {
      this.#browser?.refresh();
      return { ok: true, value: null };
    },
    'rooms:scan': async () => {
      if (!this.#browser) return { ok: false, error: 'Discovery is off. Join rooms by address.' };
      return { ok: true, value: await this.#browser.scan() };
    },
    'settings:get': async () => ({ ok: true, value: this.settings.get() }),
    'settings:update': async (change) => this.settings.update(change ?? {}),
    'dashboard:get': async () => {
      const hosting = this.#hosting;
      if (!hosting) return { ok: true, value: null };
      return { ok: true, value: { snapshot: this.#dashboard(hosting), activity: hosting.session.host.room.stats.activity() } };
    },
    'dashboard:open': async () => {
      this.emit('open-dashboard');
      return { ok: true, value: null };
    },
    'room:moderate': async (request) => {
      const hosting = this.#hosting;
      if (!hosting) return { ok: false, error: 'You are not hosting a room.' };
      const result = hosting.session.host.room.moderate(request);
      if (!result.ok) return { ok: false, error: asSentence(result.error) };
      if (request.action === 'lock' || request.action === 'unlock') {
        hosting.info.passwordProtected = request.action === 'lock';
        this.emit('host:changed', hosting.info);
      }
      this.emit('dashboard:snapshot', this.#dashboard(hosting));
      return { ok: true, value: capitalize(result.detail) };
    },
    'dashboard:delete-file': async (request) => this.#deleteFile(request),
    'file:download': async (request) => {
      const checked = roomFileUrl(request?.url);
      if (!checked.ok) return checked;
      this.emit('download-file', checked.url);
      return { ok: true, value: null };
    },
    'room:export': async ({ format }) => {
      const hosting = this.#hosting;
      if (!hosting) return { ok: false, error: 'You are not hosting a room.' };
      const room = hosting.session.host.room;
      room.flush();
      // viewer '' sees public messages only.
      const messages = room.history.after(0, Number.MAX_SAFE_INTEGER, '');
      const content = format === 'json' ? historyAsJson(room.name, room.topic, messages) : historyAsMarkdown(room.name, room.topic, messages);
      return {
        ok: true,
        value: { filename: exportFilename(room.name, format), mime: format === 'json' ? 'application/json' : 'text/markdown', content },
      };
    },
    'room:identity': (request) => checkIdentity(request, this.#identity),
    'room:trust': (request) => trustIdentity(request, this.#identity),
  };

  #deleteFile(request: DeleteFileRequest): Result<string> {
    const hosting = this.#hosting;
    if (!hosting) return { ok: false, error: 'You are not hosting a room.' };
    if (typeof request?.fileId !== 'string' || !/^[0-9a-f]{64}$/.test(request.fileId)) return { ok: false, error: 'Say which file to delete (its id from the dashboard).' };
    const result = hosting.session.host.room.deleteFile(request.fileId);
    if (!result.ok) return { ok: false, error: result.error };
    this.emit('dashboard:snapshot', this.#dashboard(hosting));
    return { ok: true, value: capitalize(result.detail) };
  }

  #setEncryptedOnly(request: SetEncryptedOnlyRequest): Result<HostingInfo> {
    const hosting = this.#hosting;
    if (!hosting) return { ok: false, error: 'You are not hosting a room.' };
    if (typeof request?.on !== 'boolean') return { ok: false, error: 'Say whether the room takes encrypted connections only (on: true or false).' };
    // Whoever joined without encryption is disconnected by the room, which logs how many.
    hosting.session.host.room.setEncryptedOnly(request.on);
    hosting.info.encryptedOnly = request.on;
    this.emit('host:changed', hosting.info);
    this.emit('dashboard:snapshot', this.#dashboard(hosting));
    return { ok: true, value: hosting.info };
  }

  #dashboard(hosting: Hosting): DashboardSnapshot {
    const room = hosting.session.host.room;
    return {
      room: room.name,
      topic: room.topic,
      locked: room.passwordRequired,
      startedAt: room.startedAt,
      now: Date.now(),
      joinUrl: hosting.info.joinUrl,
      addresses: hosting.info.addresses,
      discovery: hosting.info.discovery,
      identity: hosting.info.identity,
      counters: room.stats.counters(),
      series: room.stats.series(),
      people: room.people(),
      hostMemberId: hosting.ownerId,
      bans: room.bans(),
      files: room.files(),
    };
  }

  #snapshot(): RoomsSnapshot {
    const rooms = (this.#browser?.rooms() ?? []).map(({ addresses: _addresses, lastSeen: _lastSeen, ...listing }) => listing);
    return { rooms, discovery: this.#discovery, ...(this.#scan && { scan: this.#scan }) };
  }

  async #startHosting(request: StartHostingRequest): Promise<Result<HostingInfo>> {
    if (this.#hosting) return { ok: false, error: `You are already hosting "${this.#hosting.info.room}". Stop it first.` };
    if (this.#starting) return this.#starting;
    this.#starting = this.#doStartHosting(request).finally(() => (this.#starting = undefined));
    return this.#starting;
  }

  async #doStartHosting(request: StartHostingRequest): Promise<Result<HostingInfo>> {
    const checked = checkRoomName(request?.room ?? '');
    if (!checked.ok) return { ok: false, error: ROOM_NAME_PROBLEMS[checked.problem] };
    const room = checked.name;
    const password = request.password?.length ? request.password : undefined;
    if (password && password.length > 128) return { ok: false, error: 'Passwords are at most 128 characters.' };
    const log = this.#options.log;
    const ownerId = userIdFor(this.settings.get().clientId);
    const encryptedOnly = request.encryptedOnly === true;
    const opened = await openHosting({
      room,
      password,
      encryptedOnly,
      port: request.port ?? this.#options.defaultPort ?? DEFAULT_PORT,
      // The usual port is taken (another room on this machine): any free one will do, the
      // link and QR code carry it. A port asked for is that port or an error.
      anyPortIfTaken: request.port === undefined,
      history: { kind: 'folder', dir: roomHistoryDir(this.#options.dataDir, room) },
      dataDir: this.#options.dataDir,
      mdns: this.#options.mdns !== false,
      ownerId,
      webRoot: this.#options.webRoot,
      allowedOrigins: this.#options.allowedOrigins,
      log,
    });
    if (!opened.ok) return { ok: false, error: failureText(opened.failure) };
    const session = opened.session;
    const info: HostingInfo = {
      room,
      port: session.port,
      passwordProtected: Boolean(password),
      encryptedOnly,
      addresses: [...session.addresses],
      // Every address, so a joiner on any of this machine's networks gets in (common/invite.ts).
      joinUrl: session.inviteLink,
      localUrl: session.localUrl,
      adminToken: session.host.room.adminToken,
      identity: { short: session.identity.short, sha256: colonHex(session.identity.fingerprint) },
      discovery: { state: 'off', detail: 'Not announced on the LAN: share an address.' },
      startedAt: session.host.room.startedAt,
    };
    const announced = await session.announce();
    if (announced) info.discovery = discoveryState(announced);
    session.on('discovery', (status) => {
      info.discovery = discoveryState(status);
      this.emit('host:changed', info);
    });
    const hosting: Hosting = { session, ownerId, info };
    this.#hosting = hosting;
    // Its own window joins over wss through loopback, and may through a LAN address.
    for (const name of [...LOOPBACK_NAMES, ...session.addresses.map((a) => a.address)]) this.pins.pin(name, session.identity.fingerprint);
    // The dashboard hears at most once a second, plus each activity as it happens.
    session.host.room.stats.on('tick', () => this.#hosting === hosting && this.emit('dashboard:snapshot', this.#dashboard(hosting)));
    session.host.room.stats.on('activity', (entry) => this.emit('dashboard:activity', entry));
    this.emit('host:changed', info);
    if (this.#options.hostWarnings) void this.#addWarnings(hosting, this.#options.hostWarnings);
    return { ok: true, value: info };
  }

  /** Never delays hosting nor fails it: a check that throws only leaves a log line. */
  async #addWarnings(hosting: Hosting, check: (port: number) => Promise<string[]>): Promise<void> {
    let warnings: string[];
    try {
      warnings = await check(hosting.session.port);
    } catch (error) {
      this.#options.log?.(`host warnings: ${(error as Error).message}`);
      return;
    }
    if (this.#hosting !== hosting || warnings.length === 0) return;
    hosting.info.warnings = warnings;
    this.emit('host:changed', hosting.info);
  }

  async #stopHosting(): Promise<void> {
    const hosting = this.#hosting;
    if (!hosting) return;
    this.#hosting = undefined;
    await hosting.session.stop();
    this.emit('host:changed', null);
    this.emit('dashboard:snapshot', null);
  }
}

const ROOM_NAME_PROBLEMS: Record<RoomNameProblem, string> = {
  empty: 'Give the room a name.',
  too_long: `Room names are at most ${MAX_ROOM_NAME_CHARS} characters.`,
  control: 'Room names cannot contain control characters.',
};

/** A room that did not open, in the hosting panel's words. */
function failureText(failure: HostingFailure): string {
  switch (failure.kind) {
    case 'history-lost':
      return failure.message;
    case 'history-unusable':
      return `Cannot keep this room's history: ${failure.reason}.`;
    case 'identity-unusable':
      return (
        `Cannot open the room: ${failure.reason}. ` +
        `To start over with a new identity (its fingerprint changes: people who compare it will see a new one), move host-key.pem and host-cert.pem out of ${dirname(failure.file)}.`
      );
    case 'tls-unusable':
      // Only `hearth host --tls-cert/--tls-key` provides a certificate today; worded for the day the panel does.
      return `Cannot open the room: ${failure.reason}.`;
    case 'port-in-use':
      return `Port ${failure.port} is already in use. Pick another port.`;
    case 'cannot-listen':
      return `Cannot open the room: ${failure.message}`;
  }
}

/** The LAN announcement as the hosting panel and dashboard show it. */
function discoveryState(status: DiscoveryStatus<'announcing'>): DiscoveryState {
  return status.state === 'announcing'
    ? { state: 'active', detail: `Announced on the LAN (${status.interfaces.join(', ')})` }
    : status.state === 'unavailable'
      ? { state: 'unavailable', detail: `Discovery unavailable: ${status.reason}. People can still join with an address.` }
      : { state: 'starting', detail: 'Announcing…' };
}
