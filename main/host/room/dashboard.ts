// The room as the host's dashboard shows it: one row per person, and the files kept.
import { DASHBOARD_FILES_LISTED, type DashboardFile, type DashboardFiles, type DashboardPerson } from '../../../common/dashboard.ts';
import type { RoomFiles } from '../files/contract.ts';
import type { FileInHistory, HistoryStore } from '../store/index.ts';
import type { Session } from './session.ts';

/** One row of the dashboard's people table (the contract's shape). */
export type PersonRow = DashboardPerson;

export function personRow(s: Session): PersonRow {
  return {
    id: s.member!.id,
    name: s.member!.name,
    address: s.peer.address,
    since: s.member!.since,
    messages: s.messagesSent,
    lastActive: s.lastActive,
    rttMs: s.rttMs ?? null,
    typing: s.typingTimer !== undefined,
    encrypted: s.encrypted,
  };
}

/**
 * The files the host keeps, named from the history. The dashboard asks every second; the
 * history's side is read again only after a file message, a delete or a clear (stale()).
 */
export class FilesOverview {
  readonly #files: RoomFiles;
  readonly #store: HistoryStore;
  #inHistory: Map<string, FileInHistory> | undefined;

  constructor(files: RoomFiles, store: HistoryStore) {
    this.#files = files;
    this.#store = store;
  }

  /** What the history says about files changed. */
  stale(): void {
    this.#inHistory = undefined;
  }

  /** Files in the history, by id (read once until stale). Throws StoreError. */
  inHistory(): Map<string, FileInHistory> {
    this.#inHistory ??= new Map(this.#store.files().map((f) => [f.file.id, f]));
    return this.#inHistory;
  }

  snapshot(): DashboardFiles {
    const usage = this.#files.usage();
    let named: Map<string, FileInHistory>;
    try {
      named = this.inHistory();
    } catch {
      named = new Map(); // an unreadable history: the files are still listed, by size and date
    }
    const list: DashboardFile[] = this.#files.list().map((stored) => {
      const shared = named.get(stored.id);
      if (!shared) return { id: stored.id, name: '', size: stored.size, type: '', from: '', at: stored.storedAt, messages: 0 };
      const { file, from, ts, messages } = shared;
      return { id: stored.id, name: file.name, size: stored.size, type: file.type, from: from.name, at: ts, messages };
    });
    list.sort((a, b) => b.at - a.at);
    const carried = list.filter((f) => f.messages > 0);
    return {
      usedBytes: usage.usedBytes,
      reservedBytes: usage.reservedBytes,
      quotaBytes: usage.quotaBytes,
      maxFileBytes: usage.maxFileBytes,
      count: list.length,
      inHistory: { count: carried.length, bytes: carried.reduce((sum, f) => sum + f.size, 0) },
      list: list.slice(0, DASHBOARD_FILES_LISTED),
    };
  }
}
