// What the room and the host's files service (main/host/files/) ask of each other. The room
// knows files only as FileRefs in messages; the service knows the room only through
// FileAccess. Neither imports the other's modules.
import type { FileRef, FilesOffer } from '../../../common/protocol.ts';

/** The room's side of files: what `share`, the welcome and moderation need. */
export interface RoomFiles {
  /** The largest file the host takes, in bytes (sent in `welcome.files`). */
  readonly maxFileBytes: number;
  /**
   * What this member's `welcome.files` says: their upload token (Hearth-Token) and download
   * token (?t=), each good only for its own purpose and while the member is in the room, and
   * the host's limits.
   */
  offerFor(userId: string): FilesOffer;
  /**
   * A finished, verified upload of this member's, as the FileRef its message will carry;
   * undefined if the upload is unknown, unfinished, someone else's or no longer kept.
   * Claiming again (a retried `share`) gives the same answer.
   */
  claim(userId: string, uploadId: string): FileRef | undefined;
  /** Space used and allowed, for the dashboard. */
  usage(): FilesUsage;
  /** Every stored file, for the dashboard and exports. */
  list(): StoredFile[];
  /** Remove a stored file (the dashboard's Delete; clearing the history with its files). False if it was not there. */
  delete(fileId: string): boolean;
  /** Stop: cancel timers, close what is open. Uploads in progress stay on disk, resumable next start. */
  close(): void;
}

export interface FilesUsage {
  /** Bytes in stored files. */
  usedBytes: number;
  /** Bytes reserved by uploads in progress. */
  reservedBytes: number;
  /** The total the host allows (files + uploads in progress). */
  quotaBytes: number;
  maxFileBytes: number;
  files: number;
}

export interface StoredFile {
  id: string;
  size: number;
  /** When it was stored, ms since epoch. */
  storedAt: number;
}

/** The files service's view of the room: who may upload, and who may download what. */
export interface FileAccess {
  /** A member who is in the room now (or left moments ago and was not removed): their token is good. */
  tokenHolderPresent(userId: string): boolean;
  /**
   * The file of the message `seq` if `viewer` may see that message (a private one: its two
   * people only) and the file was not deleted; else undefined. The name, type and size
   * served come from here.
   */
  fileIn(seq: number, viewer: string): FileRef | undefined;
}
