// The host's contract for dashboards: what a room reports about itself (counters, the time
// series, people, bans, the activity log). The room server (main/host) defines these and
// fills them in; the desktop contract (common/ipc.ts) re-exports them and adds what only the
// hosting shell knows (addresses, discovery), so the host never depends on the desktop.

/**
 * Activity entries kept, by the host's log and by a dashboard's list as entries arrive: a
 * dashboard opened late gets as many as one that was open all along.
 */
export const ACTIVITY_KEEP = 3000;

export interface DashboardCounters {
  people: number;
  peak: number;
  messagesTotal: number;
  messagesPerMinute: number;
  bytesInPerSecond: number;
  bytesOutPerSecond: number;
  rejectedBadInput: number;
  /** Times a connection went over its budget and the host read it more slowly (nothing is dropped). */
  slowedDown: number;
  reconnects: number;
}

/** One point of the time series: t in seconds since epoch. */
export interface DashboardSeriesPoint {
  t: number;
  messagesPerMinute: number;
  connections: number;
}

export interface DashboardPerson {
  id: string;
  name: string;
  address: string;
  since: number;
  messages: number;
  lastActive: number;
  rttMs: number | null;
  typing: boolean;
  /** Joined over TLS (wss); false: anyone on the network could read what this person reads and sends. */
  encrypted: boolean;
}

/**
 * One ban, as the host's room keeps it (in memory, for the room's life). A ban by name holds
 * on the member's user id and on their address (another browser on the same machine is the
 * same person); a ban by address holds on the address alone.
 */
export interface DashboardBan {
  /** The member's name when banned; '' for an address banned with nobody from it here. */
  name: string;
  /** The member's public user id; null for a ban by address. */
  userId: string | null;
  /** null when the ban holds on the user id alone (a member on the host's own machine). */
  address: string | null;
  /** As the host typed it; '' for none. */
  reason: string;
  at: number;
  /** Who banned: the admin member's name, or "the host". */
  by: string;
}

export interface ActivityEntry {
  id: number;
  ts: number;
  kind: 'host' | 'join' | 'leave' | 'rename' | 'kick' | 'ban' | 'unban' | 'lock' | 'topic' | 'clear' | 'file' | 'rate_limit' | 'bad_frame' | 'slow_consumer' | 'store';
  text: string;
}

export type ActivityKind = ActivityEntry['kind'];

/** What the room itself reports to a dashboard; the hosting shell adds where it is reachable. */
export interface RoomDashboard {
  room: string;
  topic: string;
  locked: boolean;
  startedAt: number;
  now: number;
  counters: DashboardCounters;
  /** 15 minutes at 5-second steps. */
  series: DashboardSeriesPoint[];
  people: DashboardPerson[];
  /** The hosting app's own member (its window's user id): the dashboard offers no Kick or Ban on it. */
  hostMemberId: string;
  bans: DashboardBan[];
  /** Files kept on the host; null when the room takes no files. */
  files: DashboardFiles | null;
}

/** One file kept on the host, as the dashboard lists it. */
export interface DashboardFile {
  /** Its SHA-256 (what Delete names). */
  id: string;
  /** From the newest message carrying it; '' when no message in the history does. */
  name: string;
  size: number;
  type: string;
  /** Who shared it last ('' when no message carries it). */
  from: string;
  /** When it was last shared, or stored when no message carries it (ms since epoch). */
  at: number;
  /** Messages in the history that carry it (0: none, since a clear or before it was shared). */
  messages: number;
}

/** Files on the host: space, and the files themselves. */
export interface DashboardFiles {
  usedBytes: number;
  /** Held for uploads in progress. */
  reservedBytes: number;
  quotaBytes: number;
  maxFileBytes: number;
  /** Every stored file (the list may stop short of it). */
  count: number;
  /** The stored files the history's messages carry: what clearing it with its files would delete. */
  inHistory: { count: number; bytes: number };
  /** Newest first, at most DASHBOARD_FILES_LISTED. */
  list: DashboardFile[];
}

/** Files a snapshot lists (it is sent every second): the rest are counted, not listed. */
export const DASHBOARD_FILES_LISTED = 500;
