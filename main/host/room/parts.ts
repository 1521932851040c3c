// What the room's modules share: the room's own state, handed to each by the coordinator
// (room/index.ts) so none of them reaches into another.
import type { RoomFiles } from '../files/contract.ts';
import type { RoomStats } from '../stats.ts';
import type { HistoryStore } from '../store/index.ts';
import type { Bans } from './bans.ts';
import type { RecentLeavers } from './files.ts';
import type { Members } from './members.ts';
import type { StoreHealth } from './store-health.ts';

export interface RoomParts {
  readonly name: string;
  readonly store: HistoryStore;
  readonly members: Members;
  readonly bans: Bans;
  readonly stats: RoomStats;
  readonly health: StoreHealth;
  readonly now: () => number;
  /** The host's files service; undefined: this room takes no files. */
  readonly files: RoomFiles | undefined;
  /** Who left lately: their file tokens stay good a little while. */
  readonly leavers: RecentLeavers;
}
