// What the UI needs from its shell. The desktop (Electron, or the e2e harness that stands
// in for it) can host and discover; a browser served by a host can only join that host.
import type { RoomAddress } from '../../../common/address.ts';
import type { EventMap, HostingInfo, Result, RoomsSnapshot, ScanState, Settings, SettingsChange, StartHostingRequest } from '../../../common/ipc.ts';

export interface AppBridge {
  kind: 'desktop' | 'web';
  canHost: boolean;
  canDiscover: boolean;
  /** In a browser: the room whose host served this page. */
  servedAddress: RoomAddress | undefined;
  getSettings(): Promise<Settings>;
  updateSettings(change: SettingsChange): Promise<Result<Settings>>;
  startHosting(request: StartHostingRequest): Promise<Result<HostingInfo>>;
  stopHosting(): Promise<Result<null>>;
  hostingStatus(): Promise<HostingInfo | null>;
  listRooms(): Promise<RoomsSnapshot>;
  refreshRooms(): void;
  /** Ask every address of the local subnets for a room (multicast filtered); resolves when done. */
  scanRooms(): Promise<Result<Extract<ScanState, { state: 'done' }>>>;
  onRoomsChanged(listener: (snapshot: RoomsSnapshot) => void): () => void;
  onHostChanged(listener: (info: HostingInfo | null) => void): () => void;
  onCommand(listener: (command: EventMap['ui:command']['command']) => void): () => void;
}
