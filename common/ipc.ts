// The desktop contract: every call the renderer can make to the main process and every
// event it can receive, typed once. main/electron/ipc.ts must handle every channel (a
// missing handler fails the type check), preload/index.ts exposes exactly these as
// window.hearth, and the e2e harness serves the same map from Node.
import type { ActivityEntry, RoomDashboard } from './dashboard.ts';
import type { PinDecision } from './pinning.ts';
import type { ModerationAction } from './protocol.ts';
import type { Preferences, SettingsChange } from './settings.ts';

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

export interface HostAddress {
  address: string;
  interface: string;
  kind: 'lan' | 'other' | 'virtual' | 'vpn';
  label?: string;
  /** What a person types or scans: http://address:port/ */
  url: string;
}

export interface DiscoveryState {
  state: 'starting' | 'active' | 'unavailable' | 'off';
  /** A sentence for the UI ("Announced on 192.168.1.7", "port 5353 is used by …"). */
  detail: string;
}

/** A host's identity as people compare it (common/identity.ts makes both forms from the certificate's fingerprint). */
export interface HostIdentityInfo {
  /** hyobc-tq2me-7xk4a-lw3fd */
  short: string;
  /** The full SHA-256 fingerprint, 3A:5F:… (as openssl prints it). */
  sha256: string;
}

export interface HostingInfo {
  room: string;
  port: number;
  passwordProtected: boolean;
  /** Joins that do not come encrypted are refused (browsers on plain http links). */
  encryptedOnly: boolean;
  /** Every local address, best first. */
  addresses: HostAddress[];
  /** The link to share and the QR code's payload: the best address's URL. */
  joinUrl: string;
  /** Where this machine's own chat window connects (loopback). */
  localUrl: string;
  adminToken: string;
  /** Who this host is, for people to compare with what their app or `hearth join` shows. */
  identity: HostIdentityInfo;
  discovery: DiscoveryState;
  startedAt: number;
  /** Why people may be unable to join (e.g. the Windows firewall), one sentence each; absent when none is known. */
  warnings?: string[];
}

/**
 * One thing the network check ("Why can't they see my room?") found. `blocking`: people
 * cannot see or reach the room because of it; `warning`: some of them may not; `note`:
 * worth knowing; `ok`: checked and fine.
 */
export interface NetworkFinding {
  level: 'ok' | 'note' | 'warning' | 'blocking';
  /** What it concerns: an interface and its address ("eth0 192.168.1.7"), or "Firewall", "This machine". */
  about: string;
  /** What was found, a sentence. */
  text: string;
  /** What to do about it, a sentence; absent when nothing needs doing. */
  advice?: string;
}

export interface NetworkCheckReport {
  port: number;
  findings: NetworkFinding[];
  /** Whether any finding is `blocking`. */
  blocking: boolean;
}

export interface RoomListing {
  id: string;
  room: string;
  host: string;
  address: string;
  port: number;
  users: number;
  lock: boolean;
  v: number;
  compatible: boolean;
  note?: string;
}

/**
 * Asking every address of the local subnets for a room (main/discovery/scan.ts): where
 * multicast is filtered, unicast still finds rooms. Subnets as CIDR ("10.0.0.0/24").
 */
export type ScanState =
  | { state: 'scanning'; subnets: string[] }
  | {
      state: 'done';
      subnets: string[];
      /** Rooms that answered. */
      found: number;
      /** Addresses (× ports) asked, of how many: the rest were past the deadline. */
      asked: number;
      planned: number;
    };

export interface RoomsSnapshot {
  rooms: RoomListing[];
  discovery: DiscoveryState;
  /** The latest scan, automatic or asked for; absent before the first. */
  scan?: ScanState;
}

export interface RecentRoom {
  /** host:port as it was joined. */
  address: string;
  room: string;
  lastJoined: number;
}

/** The preferences (theme, notifications, sound, muted rooms) and their schema: common/settings.ts. */
export interface Settings extends Preferences {
  displayName: string;
  /** This installation's private client id (resume across restarts). */
  clientId: string;
  recentRooms: RecentRoom[];
}

/** Validated at run time by common/settings.ts's SettingsChangeSchema, which it is inferred from. */
export type { SettingsChange } from './settings.ts';

export interface StartHostingRequest {
  room: string;
  password?: string;
  port?: number;
  /** Refuse joins that do not come encrypted (browsers on plain http links); the app and `hearth join` always encrypt. */
  encryptedOnly?: boolean;
}

export interface SetEncryptedOnlyRequest {
  on: boolean;
}

// The room's side of the dashboard is the host's contract (common/dashboard.ts), re-exported
// here so the renderer imports every desktop shape from one place.
export type { ActivityEntry, DashboardBan, DashboardCounters, DashboardFile, DashboardFiles, DashboardPerson, DashboardSeriesPoint } from './dashboard.ts';

/** The hosted room's dashboard: what the room reports, and where the hosting shell made it reachable. */
export interface DashboardSnapshot extends RoomDashboard {
  joinUrl: string;
  addresses: HostAddress[];
  discovery: DiscoveryState;
  identity: HostIdentityInfo;
}

/** What the dashboard asks the hosted room to do: the protocol's moderation actions. */
export type ModerationRequest = ModerationAction;

export interface DeleteFileRequest {
  /** The file's id (its SHA-256, as the dashboard lists it). */
  fileId: string;
}

export interface ExportedHistory {
  filename: string;
  mime: string;
  content: string;
}

/** Which host to check: where the room answered, and the id it was found or linked by (a discovered row's id, a link's `id=`). */
export interface IdentityCheckRequest {
  host: string;
  port: number;
  expectedId?: string | undefined;
  /** The fingerprint a room was joined with, when it checks again before a reconnect: compared like a remembered one. */
  previous?: string | undefined;
}

/**
 * What the main process decided about the certificate the host presents (common/pinning.ts):
 * trusted and first use let the join go on over wss, pinned; `changed` (the person may trust
 * the new identity with 'room:trust') and `not-this-host` (no override: ask for a new link)
 * stop it with both identities shown; `no-tls` is a host from before encryption (plain ws).
 * A host that answers without encryption although its link or row named an identity, or it
 * presented one before, is no `no-tls`: the call fails with a sentence saying someone may be
 * pretending to be it, and nothing can override that. So does an unreachable host.
 */
export type IdentityCheck = PinDecision | { kind: 'no-tls' };

/** Trusting a changed identity, after the person compared it with the host's screen. */
export interface TrustIdentityRequest {
  host: string;
  port: number;
  /** The presented fingerprint the dialog showed (lowercase hex). */
  fingerprint: string;
}

/** Calls: channel → argument and result. */
export interface InvokeMap {
  'host:start': { args: StartHostingRequest; result: Result<HostingInfo> };
  'host:stop': { args: null; result: Result<null> };
  'host:status': { args: null; result: Result<HostingInfo | null> };
  'rooms:list': { args: null; result: Result<RoomsSnapshot> };
  'rooms:refresh': { args: null; result: Result<null> };
  /** Scan the local subnets now; resolves when done (at most ~5 s). */
  'rooms:scan': { args: null; result: Result<Extract<ScanState, { state: 'done' }>> };
  'settings:get': { args: null; result: Result<Settings> };
  'settings:update': { args: SettingsChange; result: Result<Settings> };
  /** The hosted room's dashboard data, or null when not hosting. */
  'dashboard:get': { args: null; result: Result<{ snapshot: DashboardSnapshot; activity: ActivityEntry[] } | null> };
  'dashboard:open': { args: null; result: Result<null> };
  'room:moderate': { args: ModerationRequest; result: Result<string> };
  /** The dashboard's Delete on a file: it leaves the host, its messages stay with a "deleted" note. What was done, in a sentence. */
  'dashboard:delete-file': { args: DeleteFileRequest; result: Result<string> };
  'room:export': { args: { format: 'json' | 'markdown' }; result: Result<ExportedHistory> };
  /**
   * The hosting panel's "Encrypted connections only", switched while the room is open: on,
   * whoever joined without encryption is disconnected with the room's sentence. The hosting
   * info as it is now (host:changed says it too).
   */
  'host:set-encrypted-only': { args: SetEncryptedOnlyRequest; result: Result<HostingInfo> };
  /** Why people may not see or reach the hosted room: every interface, multicast, port 5353, the room's port, the firewall. */
  'host:check-network': { args: null; result: Result<NetworkCheckReport> };
  /** Read the certificate the host at host:port presents and decide whether to trust it; a trusted or first-use fingerprint is pinned for the renderer's wss connection (and first use remembered). */
  'room:identity': { args: IdentityCheckRequest; result: Result<IdentityCheck> };
  /** Remember and pin a changed identity the person accepted; refused unless the host presents exactly that fingerprint now. */
  'room:trust': { args: TrustIdentityRequest; result: Result<null> };
  /**
   * Save a room's file (a `/files/<seq>?t=…` URL, common/files.ts): the chat window downloads
   * it, asking where to save. The app's pages cannot download from another origin themselves.
   */
  'file:download': { args: { url: string }; result: Result<null> };
}

/** Events pushed from the main process. */
export interface EventMap {
  'rooms:changed': RoomsSnapshot;
  'host:changed': HostingInfo | null;
  /** At most once a second while hosting; null when hosting stops. */
  'dashboard:snapshot': DashboardSnapshot | null;
  'dashboard:activity': ActivityEntry;
  /** A menu item the renderer carries out ("Host a room…", "Leave room"). */
  'ui:command': { command: 'host-room' | 'leave-room' | 'focus-composer' };
}

export type InvokeChannel = keyof InvokeMap;
export type EventChannel = keyof EventMap;

export const INVOKE_CHANNELS = [
  'host:start',
  'host:stop',
  'host:status',
  'rooms:list',
  'rooms:refresh',
  'rooms:scan',
  'settings:get',
  'settings:update',
  'dashboard:get',
  'dashboard:open',
  'room:moderate',
  'dashboard:delete-file',
  'room:export',
  'host:check-network',
  'host:set-encrypted-only',
  'room:identity',
  'file:download',
  'room:trust',
] as const satisfies readonly InvokeChannel[];

export const EVENT_CHANNELS = ['rooms:changed', 'host:changed', 'ui:command', 'dashboard:snapshot', 'dashboard:activity'] as const satisfies readonly EventChannel[];

// Both lists must name every channel: these fail to compile when one is missing.
type Missing<All, Listed> = Exclude<All, Listed>;
const _allInvoke: Missing<InvokeChannel, (typeof INVOKE_CHANNELS)[number]> extends never ? true : never = true;
const _allEvents: Missing<EventChannel, (typeof EVENT_CHANNELS)[number]> extends never ? true : never = true;
void _allInvoke;
void _allEvents;

/** Handlers for every call: what the main process (and the e2e harness) implements. */
export type InvokeHandlers = {
  [K in InvokeChannel]: (args: InvokeMap[K]['args']) => Promise<InvokeMap[K]['result']>;
};

/** window.hearth, as the preload exposes it. */
export interface Bridge {
  readonly shell: 'electron' | 'harness';
  invoke<K extends InvokeChannel>(channel: K, args: InvokeMap[K]['args']): Promise<InvokeMap[K]['result']>;
  on<K extends EventChannel>(channel: K, listener: (payload: EventMap[K]) => void): () => void;
}

export function isInvokeChannel(value: unknown): value is InvokeChannel {
  return typeof value === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(value);
}

export function isEventChannel(value: unknown): value is EventChannel {
  return typeof value === 'string' && (EVENT_CHANNELS as readonly string[]).includes(value);
}
