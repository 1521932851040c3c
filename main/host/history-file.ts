// Opening a room's history folder, and noticing when its history was lost. SQLite would
// happily start a fresh file where the old one was deleted or emptied, and the new history
// would hand out seqs 1, 2, 3… again: a returning client that saw up to 50 would wait for
// 51 and never see them. A small marker (history.json), written when a history is created,
// says "this folder had a history, with this id"; a history file gone behind its back is
// refused with a sentence a person can act on. Starting over is a deliberate act
// (`hearth host --new-history`) that moves the old files aside, never deletes them.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { moveAside } from './data-dir.ts';
import { HISTORY_ID, SqliteHistoryStore, StoreError, inspectHistoryFile } from './store/index.ts';

export const HISTORY_FILE = 'history.sqlite';
export const HISTORY_MARKER = 'history.json';
/** SQLite's companions of HISTORY_FILE in WAL mode. */
const COMPANIONS = ['-wal', '-shm'] as const;

const START_OVER = 'start a new history on purpose with `hearth host --new-history`';

/** The history file is missing, empty, damaged or another one: opening it would start over silently. */
export class HistoryLostError extends Error {
  override readonly name = 'HistoryLostError';
  /** The history file the sentence is about. */
  readonly file: string;
  constructor(file: string, message: string) {
    super(message);
    this.file = file;
  }
}

export interface OpenHistoryOptions {
  /** Start a new history (new id, seqs from 1), moving whatever history files are there aside. */
  newHistory?: boolean;
  /** The clock for the marker and the names of moved files (tests). */
  now?: () => Date;
}

export interface OpenedHistory {
  store: SqliteHistoryStore;
  /** Files moved aside by `newHistory`, full paths (none when there was nothing to move). */
  movedAside: string[];
}

/**
 * Open the history kept in `dataDir`, creating it in a new folder. Throws HistoryLostError
 * (the message is the sentence to show) when a history the folder had is gone, and
 * StoreError or a file system error when the folder cannot be used at all.
 */
export function openHistory(dataDir: string, options: OpenHistoryOptions = {}): OpenedHistory {
  const now = options.now ?? (() => new Date());
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, HISTORY_FILE);
  if (options.newHistory) {
    const movedAside = moveAside(dataDir, [HISTORY_FILE, ...COMPANIONS.map((suffix) => `${HISTORY_FILE}${suffix}`), HISTORY_MARKER], now());
    return { store: create(dataDir, file, now()), movedAside };
  }

  const marker = readMarker(dataDir);
  const had = marker ? `this folder had a room history${marker.historyId ? ` (id ${marker.historyId})` : ''}` : 'this folder had a room history';
  const lost = (why: string) => new HistoryLostError(file, `The history in ${file} is gone (${why}), but ${had}. Restore the file from a backup, or ${START_OVER}.`);

  const size = fileSize(file);
  if (size === undefined) {
    // Without its main file a leftover WAL is a history's last pages, not a history.
    if (existsSync(`${file}-wal`)) throw lost(`the file is missing, and only its write-ahead log ${HISTORY_FILE}-wal is left`);
    if (marker) throw lost('the file is missing');
    return { store: create(dataDir, file, now()), movedAside: [] };
  }
  if (size === 0) throw lost('the file is empty');

  let found;
  try {
    found = inspectHistoryFile(file);
  } catch (error) {
    if (error instanceof StoreError && error.kind === 'corrupt') {
      throw new HistoryLostError(file, `The history in ${file} is damaged (${error.message}). Restore the file from a backup, or ${START_OVER}.`);
    }
    throw error;
  }
  if (marker && found.schema === 0) throw lost('the file has no history in it');
  if (marker?.historyId && found.historyId && found.historyId !== marker.historyId) {
    throw lost(`the file there holds another history, id ${found.historyId}`);
  }
  // A folder from before markers, or a history from before ids (which gets a new id as it
  // opens): the marker follows the file.
  const store = new SqliteHistoryStore(file);
  if (marker?.historyId !== store.historyId) {
    try {
      writeMarker(dataDir, store.historyId, now());
    } catch (error) {
      store.close();
      throw error;
    }
  }
  return { store, movedAside: [] };
}

function create(dataDir: string, file: string, when: Date): SqliteHistoryStore {
  // The file first, the marker after: a crash in between leaves a history without a
  // marker, which the next open adopts, never a marker without its history.
  let store;
  try {
    store = new SqliteHistoryStore(file);
  } catch (error) {
    // A file SQLite made but could not write (a full disk) is nobody's lost history: left
    // there, it would be refused as one on the next start.
    if (fileSize(file) === 0) for (const name of [file, ...COMPANIONS.map((suffix) => file + suffix)]) rmSync(name, { force: true });
    throw error;
  }
  try {
    writeMarker(dataDir, store.historyId, when);
  } catch (error) {
    store.close();
    throw error;
  }
  return store;
}

interface Marker {
  /** Undefined when the marker is there but unreadable: the folder still had a history. */
  historyId: string | undefined;
}

function readMarker(dataDir: string): Marker | undefined {
  let text;
  try {
    text = readFileSync(join(dataDir, HISTORY_MARKER), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const { historyId } = JSON.parse(text) as { historyId?: unknown };
    return { historyId: typeof historyId === 'string' && HISTORY_ID.test(historyId) ? historyId : undefined };
  } catch {
    return { historyId: undefined };
  }
}

/** Written whole or not at all: a temporary file, flushed, renamed over the old one. */
function writeMarker(dataDir: string, historyId: string, createdAt: Date): void {
  const target = join(dataDir, HISTORY_MARKER);
  const temporary = `${target}.${process.pid}.tmp`;
  const body = {
    historyId,
    createdAt: createdAt.toISOString(),
    note: `Hearth keeps this to notice when ${HISTORY_FILE} is lost. Do not delete it.`,
  };
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, `${JSON.stringify(body, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, target);
}

function fileSize(file: string): number | undefined {
  try {
    return statSync(file).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
