// What the UI needs from its shell, in one interface with two implementations: the desktop
// (Electron, or the e2e harness that stands in for it: window.hearth) can host, discover,
// open the dashboard and check the network; a browser served by a host can only join that
// host. Nothing in renderer/src outside bridge/ touches window.hearth.
//
// The UI asks the capability flags what to offer, never `kind`.
//
// One error policy: every call resolves to a Result and never rejects. A failure, whether
// the shell refused (the main process's own sentence) or the call never arrived (IPC threw,
// the handler is missing), is `{ ok: false, error }`, a sentence the UI can show or set aside.
// Why: the main process already answers every channel with a Result, and most of the UI shows
// `error` where the action was; one shape means no call site needs both a catch and an `ok`
// check, and no failure is swallowed inside the bridge: what a failure looks like (an empty
// room list, "not hosting", a message) is decided by the UI that shows it.
import type { RoomAddress } from '../../../common/address.ts';
import type {
  ActivityEntry,
  DashboardSnapshot,
  EventMap,
  ExportedHistory,
  HostingInfo,
  IdentityCheck,
  IdentityCheckRequest,
  ModerationRequest,
  NetworkCheckReport,
  Result,
  RoomsSnapshot,
  ScanState,
  Settings,
  SettingsChange,
  StartHostingRequest,
  TrustIdentityRequest,
} from '../../../common/ipc.ts';

/** What this shell can do; the UI offers exactly these. */
export interface Capabilities {
  /** Host a room from here: the lobby's host form, the hosting panel, Stop hosting. */
  canHost: boolean;
  /** Find rooms on the network (mDNS, the subnet scan): the lobby's "Rooms on your network". */
  canDiscover: boolean;
  /** Join any address, and keep the rooms joined ("Joined before"). */
  canJoinAnyRoom: boolean;
  /** The hosted room's dashboard: its window, data and moderation. */
  canOpenDashboard: boolean;
  /** "Why can't they see my room?": the host's network check. */
  canCheckNetwork: boolean;
  /**
   * Check a host's certificate before joining and pin it for the room's wss connection
   * (checkIdentity, trustIdentity). A browser page cannot read or pin a certificate: it
   * joins the way the page was served.
   */
  pinsHosts: boolean;
}

/** The dashboard window's data when hosting. */
export interface DashboardData {
  snapshot: DashboardSnapshot;
  activity: ActivityEntry[];
}

export interface AppBridge extends Capabilities {
  /** Which shell this is: a label for the page (`data-shell`) and logs; behaviour reads the capabilities. */
  kind: 'desktop' | 'web';
  /** In a browser: the room whose host served this page (the only room it joins). */
  servedAddress: RoomAddress | undefined;

  getSettings(): Promise<Result<Settings>>;
  updateSettings(change: SettingsChange): Promise<Result<Settings>>;

  startHosting(request: StartHostingRequest): Promise<Result<HostingInfo>>;
  stopHosting(): Promise<Result<null>>;
  /** The room this machine hosts, or null. */
  hostingStatus(): Promise<Result<HostingInfo | null>>;
  /** The hosting panel's "Encrypted connections only", while hosting: on disconnects whoever joined without encryption. */
  setEncryptedOnly(on: boolean): Promise<Result<HostingInfo>>;

  listRooms(): Promise<Result<RoomsSnapshot>>;
  refreshRooms(): Promise<Result<null>>;
  /** Ask every address of the local subnets for a room (multicast filtered); resolves when done. */
  scanRooms(): Promise<Result<Extract<ScanState, { state: 'done' }>>>;

  openDashboard(): Promise<Result<null>>;
  /** The hosted room's dashboard data, or null when not hosting. */
  dashboard(): Promise<Result<DashboardData | null>>;
  moderate(request: ModerationRequest): Promise<Result<string>>;
  /**
   * Save a room's file (its download URL): the desktop app downloads it through the main
   * process. Absent in a browser, where the page's own download link does it.
   */
  download?: (url: string) => Promise<Result<null>>;
  /** Delete a file kept on the hosted room's host (the dashboard's Delete). */
  deleteFile(fileId: string): Promise<Result<string>>;
  exportHistory(format: 'json' | 'markdown'): Promise<Result<ExportedHistory>>;
  checkNetwork(): Promise<Result<NetworkCheckReport>>;
  /** What the certificate host:port presents means (trusted, first use, changed, another host, no TLS); a trusted one is pinned. */
  checkIdentity(request: IdentityCheckRequest): Promise<Result<IdentityCheck>>;
  /** Trust and pin a changed identity, after the person compared it with the host's screen. */
  trustIdentity(request: TrustIdentityRequest): Promise<Result<null>>;

  onRoomsChanged(listener: (snapshot: RoomsSnapshot) => void): () => void;
  onHostChanged(listener: (info: HostingInfo | null) => void): () => void;
  onCommand(listener: (command: EventMap['ui:command']['command']) => void): () => void;
  /** At most once a second while hosting; null when hosting stops. */
  onDashboardSnapshot(listener: (snapshot: DashboardSnapshot | null) => void): () => void;
  onDashboardActivity(listener: (entry: ActivityEntry) => void): () => void;
}
