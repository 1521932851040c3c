// Store failures: whatever SQLite or the file system throws leaves a store as a
// StoreError, with a kind for code and a phrase for people.
/** What went wrong in the store, decided once (storeErrorKind) so no caller reads error text. */
export type StoreErrorKind = 'full' | 'read_only' | 'corrupt' | 'busy' | 'io' | 'other';

/** The only error a SqliteHistoryStore throws; the SQLite error it came from is its `cause`. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly kind: StoreErrorKind;
  constructor(kind: StoreErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }
}

/** A short phrase for a person: "not sent: the host cannot save messages (disk full)". */
export function describeStoreError(kind: StoreErrorKind): string {
  switch (kind) {
    case 'full':
      return 'disk full';
    case 'read_only':
      return 'history is read-only';
    case 'corrupt':
      return 'history file is damaged';
    case 'busy':
      return 'history file is busy in another program';
    case 'io':
      return 'disk error reading or writing history';
    case 'other':
      return 'history store failed';
  }
}

// SQLite's primary result codes (https://sqlite.org/rescode.html). node:sqlite puts the
// extended code in `errcode` (SQLITE_IOERR_WRITE = 778); its low byte is the primary one.
const SQLITE_PERM = 3;
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_READONLY = 8;
const SQLITE_IOERR = 10;
const SQLITE_CORRUPT = 11;
const SQLITE_FULL = 13;
const SQLITE_CANTOPEN = 14;
const SQLITE_NOTADB = 26;

// The file system's words for the same troubles (making the folder, before SQLite runs).
const ERRNO_KINDS: Partial<Record<string, StoreErrorKind>> = {
  ENOSPC: 'full',
  EDQUOT: 'full',
  EROFS: 'read_only',
  EACCES: 'read_only',
  EPERM: 'read_only',
  EIO: 'io',
};

function storeErrorKind(error: unknown): StoreErrorKind {
  const { errcode, code } = (error ?? {}) as { errcode?: unknown; code?: unknown };
  if (typeof errcode !== 'number') {
    // Not from SQLite: the file system, or a closed database, a bad argument ('other').
    return (typeof code === 'string' && ERRNO_KINDS[code]) || 'other';
  }
  switch (errcode & 0xff) {
    case SQLITE_FULL:
      return 'full';
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return 'read_only';
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return 'corrupt';
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return 'busy';
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      return 'io';
    default:
      return 'other';
  }
}

/** Any error as a StoreError (one that already is one is returned as it is). */
export function toStoreError(error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  return new StoreError(storeErrorKind(error), error instanceof Error ? error.message : String(error), { cause: error });
}

/** Run one store operation; whatever SQLite throws leaves as a StoreError. */
export function guarded<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw toStoreError(error);
  }
}

