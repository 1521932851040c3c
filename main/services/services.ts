// What the desktop app does besides drawing windows: host a room, watch the LAN for
// rooms, keep settings. Plain Node (no electron import): Electron's IPC serves these
// handlers in the app, and the e2e harness serves the very same ones to a browser.
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type {
  ActivityEntry,
  DashboardSnapshot,
  DiscoveryState,
  EventMap,
  HostingInfo,
  InvokeHandlers,
  Result,
  RoomsSnapshot,
  ScanState,
  StartHostingRequest,
} from '../../common/ipc.ts';
import { inviteLink } from '../../common/invite.ts';
import { joinUrl, localAddresses } from '../discovery/addresses.ts';
import { RoomAdvertiser } from '../discovery/advertise.ts';
import { RoomBrowser } from '../discovery/browse.ts';
import { loadHostId } from '../discovery/host-id.ts';
import { rememberedTargets } from '../discovery/scan.ts';
import { explainDataDirError } from '../host/data-dir.ts';
import { userIdFor } from '../host/room/index.ts';
import { DEFAULT_PORT, startHost, type Host } from '../host/server.ts';
import { HistoryLostError, openHistory } from '../host/history-file.ts';
import type { SqliteHistoryStore } from '../host/store/index.ts';
import { exportFilename, historyAsJson, historyAsMarkdown } from './export.ts';
import { checkNetwork } from '../network-check/network-check.ts';
import { SettingsStore } from './settings.ts';

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
  host: Host;
  /** This app's own member in the room it hosts (its window joins with the settings' client id). */
  ownerId: string;
  advertiser: RoomAdvertiser | undefined;
  info: HostingInfo;
  /** What the room's /health answers as its id: the network check tells it from another host on the same port. */
  hostId: string;
}

type ServiceEvents = {
  'rooms:changed': [RoomsSnapshot];
  'host:changed': [HostingInfo | null];
  'dashboard:snapshot': [EventMap['dashboard:snapshot']];
  'dashboard:activity': [ActivityEntry];
  /** Someone asked for the dashboard window: the shell opens it. */
  'open-dashboard': [];
};

export class AppServices extends EventEmitter<ServiceEvents> {
  readonly settings: SettingsStore;
  readonly #options: AppServicesOptions;
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
  }

  get hosting(): Host | undefined {
    return this.#hosting?.host;
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
      return { ok: true, value: await checkNetwork({ port: hosting.host.port, hostId: hosting.hostId, discovery: this.#options.mdns !== false }) };
    },
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
      return { ok: true, value: { snapshot: this.#dashboard(hosting), activity: hosting.host.room.stats.activity() } };
    },
    'dashboard:open': async () => {
      this.emit('open-dashboard');
      return { ok: true, value: null };
    },
    'room:moderate': async (request) => {
      const hosting = this.#hosting;
      if (!hosting) return { ok: false, error: 'You are not hosting a room.' };
      const result = hosting.host.room.moderate(request);
      if (!result.ok) return { ok: false, error: result.error.charAt(0).toUpperCase() + result.error.slice(1) + '.' };
      if (request.action === 'lock' || request.action === 'unlock') {
        hosting.info.passwordProtected = request.action === 'lock';
        this.emit('host:changed', hosting.info);
      }
      this.emit('dashboard:snapshot', this.#dashboard(hosting));
      return { ok: true, value: result.detail.charAt(0).toUpperCase() + result.detail.slice(1) };
    },
    'room:export': async ({ format }) => {
      const hosting = this.#hosting;
      if (!hosting) return { ok: false, error: 'You are not hosting a room.' };
      const room = hosting.host.room;
      room.flush();
      // viewer '' sees public messages only.
      const messages = room.history.after(0, Number.MAX_SAFE_INTEGER, '');
      const content = format === 'json' ? historyAsJson(room.name, room.topic, messages) : historyAsMarkdown(room.name, room.topic, messages);
      return {
        ok: true,
        value: { filename: exportFilename(room.name, format), mime: format === 'json' ? 'application/json' : 'text/markdown', content },
      };
    },
  };

  #dashboard(hosting: Hosting): DashboardSnapshot {
    const room = hosting.host.room;
    return {
      room: room.name,
      topic: room.topic,
      locked: room.passwordRequired,
      startedAt: room.startedAt,
      now: Date.now(),
      joinUrl: hosting.info.joinUrl,
      addresses: hosting.info.addresses,
      discovery: hosting.info.discovery,
      counters: room.stats.counters(),
      series: room.stats.series(),
      people: room.people(),
      hostMemberId: hosting.ownerId,
      bans: room.bans(),
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
    const room = (request?.room ?? '').trim();
    if (room.length === 0) return { ok: false, error: 'Give the room a name.' };
    if ([...room].length > 64) return { ok: false, error: 'Room names are at most 64 characters.' };
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001F\u007F-\u009F]/.test(room)) return { ok: false, error: 'Room names cannot contain control characters.' };
    const password = request.password?.length ? request.password : undefined;
    if (password && password.length > 128) return { ok: false, error: 'Passwords are at most 128 characters.' };
    const requested = request.port ?? this.#options.defaultPort ?? DEFAULT_PORT;

    let store: SqliteHistoryStore;
    const historyDir = join(this.#options.dataDir, 'rooms', slug(room));
    try {
      store = openHistory(historyDir).store;
    } catch (error) {
      if (error instanceof HistoryLostError) return { ok: false, error: error.message };
      return { ok: false, error: `Cannot keep this room's history: ${explainDataDirError(historyDir, error)}.` };
    }
    const log = this.#options.log;
    const ownerId = userIdFor(this.settings.get().clientId);
    const hostId = loadHostId(this.#options.dataDir);
    // Made once the room listens; the host asks it which .local names are ours (vm-2.local
    // when vm.local was taken), so a browser opening the room by that name passes the Origin check.
    let advertiser: RoomAdvertiser | undefined;
    const hostOptions = {
      room,
      store,
      password,
      ownerId,
      hostId,
      hostNames: () => advertiser?.hostNames ?? [],
      webRoot: this.#options.webRoot,
      ...(this.#options.allowedOrigins && { allowedOrigins: this.#options.allowedOrigins }),
      ...(log && { log }),
    };
    let host: Host;
    try {
      host = await startHost({ ...hostOptions, port: requested });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' && request.port === undefined) {
        // The usual port is taken (another room on this machine): any free one will do,
        // the link and QR code carry it.
        try {
          host = await startHost({ ...hostOptions, port: 0 });
        } catch (again) {
          store.close();
          return { ok: false, error: `Cannot open the room: ${(again as Error).message}` };
        }
      } else {
        store.close();
        return {
          ok: false,
          error: code === 'EADDRINUSE' ? `Port ${requested} is already in use. Pick another port.` : `Cannot open the room: ${(error as Error).message}`,
        };
      }
    }

    const addresses = localAddresses().map((a) => {
      const entry = { address: a.address, interface: a.interface, kind: a.kind, url: joinUrl(a, host.port) };
      return a.label ? { ...entry, label: a.label } : entry;
    });
    const localUrl = `http://127.0.0.1:${host.port}/`;
    const info: HostingInfo = {
      room,
      port: host.port,
      passwordProtected: Boolean(password),
      addresses,
      // Every address, so a joiner on any of this machine's networks gets in (common/invite.ts).
      joinUrl: inviteLink(addresses.length > 0 ? addresses.map((a) => ({ host: a.address, port: host.port })) : [{ host: '127.0.0.1', port: host.port }], hostId)!,
      localUrl,
      adminToken: host.room.adminToken,
      discovery: { state: 'off', detail: 'Not announced on the LAN: share an address.' },
      startedAt: host.room.startedAt,
    };

    if (this.#options.mdns !== false) {
      advertiser = new RoomAdvertiser({
        room,
        port: host.port,
        hostId,
        lock: Boolean(password),
        users: 0,
      });
      const describe = () => {
        const s = advertiser!.status;
        info.discovery =
          s.state === 'announcing'
            ? { state: 'active', detail: `Announced on the LAN (${s.interfaces.join(', ')})` }
            : s.state === 'unavailable'
              ? { state: 'unavailable', detail: `Discovery unavailable: ${s.reason}. People can still join with an address.` }
              : { state: 'starting', detail: 'Announcing…' };
      };
      await advertiser.start();
      describe();
      advertiser.on('status', () => {
        describe();
        this.emit('host:changed', info);
      });
      const users = () => advertiser!.update({ users: host.room.memberCount });
      host.room.on('members_changed', users);
      host.room.on('lock_changed', (lock) => advertiser!.update({ lock }));
    }
    const hosting: Hosting = { host, ownerId, advertiser, info, hostId };
    this.#hosting = hosting;
    // The dashboard hears at most once a second, plus each activity as it happens.
    host.room.stats.on('tick', () => this.#hosting === hosting && this.emit('dashboard:snapshot', this.#dashboard(hosting)));
    host.room.stats.on('activity', (entry) => this.emit('dashboard:activity', entry));
    this.emit('host:changed', info);
    if (this.#options.hostWarnings) void this.#addWarnings(hosting, this.#options.hostWarnings);
    return { ok: true, value: info };
  }

  /** Never delays hosting nor fails it: a check that throws only leaves a log line. */
  async #addWarnings(hosting: Hosting, check: (port: number) => Promise<string[]>): Promise<void> {
    let warnings: string[];
    try {
      warnings = await check(hosting.host.port);
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
    await hosting.advertiser?.stop();
    await hosting.host.close();
    this.emit('host:changed', null);
    this.emit('dashboard:snapshot', null);
  }
}

/** A folder name for a room's history: readable, safe on every OS. */
export function slug(room: string): string {
  const base = room
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  let hash = 0;
  for (const ch of room) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return `${base || 'room'}-${hash.toString(36)}`;
}
