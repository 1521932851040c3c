// Files in the room: a `share` turned into a message carrying the upload's FileRef, the
// room's answers to the files service (whose token is good, which file a seq shows whom),
// and deleting a file from the host while its messages stay. The bytes are the files
// service's (main/host/files/); the room knows files only as FileRefs.
import type { FileRef, ShareFrame } from '../../../common/protocol.ts';
import { visibleTo } from '../store/history.ts';
import type { Delivery } from './delivery.ts';
import type { RoomParts } from './parts.ts';
import { author, send, sendError, type LeaveReason, type Session } from './session.ts';

/** How long a member's token stays good after they leave: a reconnect keeps its download URLs. */
export const TOKEN_GRACE_MS = 2 * 60_000;
/** Leavers remembered for the grace period; past this, the oldest are forgotten (their tokens end early). */
const RECENT_LEAVERS_KEPT = 10_000;

/** Who left lately, how and from where: enough to say whether their token is still good. */
export class RecentLeavers {
  readonly #left = new Map<string, { at: number; reason: LeaveReason; address: string }>();

  record(userId: string, reason: LeaveReason, address: string, now: number): void {
    this.#left.delete(userId); // re-inserted: the map stays in leaving order
    this.#left.set(userId, { at: now, reason, address });
    for (const [id, entry] of this.#left) {
      if (this.#left.size <= RECENT_LEAVERS_KEPT && now - entry.at < TOKEN_GRACE_MS) break;
      this.#left.delete(id);
    }
  }

  /** Left less than the grace period ago on their own (not kicked or banned): the address it left from, else undefined. */
  graced(userId: string, now: number): string | undefined {
    const entry = this.#left.get(userId);
    if (!entry || now - entry.at >= TOKEN_GRACE_MS) return undefined;
    return entry.reason === 'left' || entry.reason === 'timeout' ? entry.address : undefined;
  }
}

/** FileAccess.tokenHolderPresent: here now, or left moments ago without being removed (and not banned since). */
export function tokenHolderPresent(userId: string, { members, leavers, bans, now }: RoomParts): boolean {
  const session = members.get(userId);
  if (session && !session.retired) return true;
  const address = leavers.graced(userId, now());
  return address !== undefined && bans.of(userId, address) === undefined;
}

/** FileAccess.fileIn: the file of message `seq` if `viewer` may see the message and the file was not deleted. */
export function fileIn(seq: number, viewer: string, { store, health }: RoomParts): FileRef | undefined {
  let message;
  try {
    message = store.get(seq);
  } catch (error) {
    // Unreadable history: nothing can be shown as allowed (the download is refused).
    health.failed(error);
    return undefined;
  }
  if (!message?.file || message.file.deleted || !visibleTo(message, viewer)) return undefined;
  return message.file;
}

/** A `share` frame: the member's finished upload becomes a message (private with `to`), acked and retried like chat. */
export function share(session: Session, frame: ShareFrame, delivery: Delivery, context: RoomParts): void {
  const ref = { type: 'share', id: frame.id };
  if (!context.files) return sendError(session, 'no_such_upload', 'This room does not take files.', ref);
  // A retry of a share already stored is acked as it was, whatever became of its upload or
  // its recipient since (the first try may have been stored just before the connection fell).
  if (delivery.acknowledgeRetry(session, frame.id)) return;
  let to;
  if (frame.to !== undefined) {
    const target = context.members.find(frame.to);
    if (!target) return sendError(session, 'no_such_member', `nobody called "${frame.to.slice(0, 40)}" is here`, ref);
    if (target === session) return sendError(session, 'no_such_member', 'you cannot send a private message to yourself', ref);
    to = author(target.member!);
  }
  const file = context.files.claim(session.member!.id, frame.upload);
  if (!file) return sendError(session, 'no_such_upload', 'That upload is not finished, not yours, or expired. Send the file again.', ref);
  delivery.submit(session, frame.id, frame.text ?? '', 'text', to, file);
}

export type DeleteFileResult = { ok: true; detail: string } | { ok: false; error: string };

/**
 * The host deletes a file: its bytes go, every message carrying it says so (a "deleted"
 * card), and whoever may see one of those messages is told now (`file_deleted`).
 */
export function deleteFile(fileId: string, context: RoomParts & { flush(): void }): DeleteFileResult {
  const { files, store, members, stats, health } = context;
  if (!files) return { ok: false, error: 'This room does not take files.' };
  context.flush(); // a share of this file waiting for the group commit is marked too
  let changed;
  try {
    changed = store.markFileDeleted(fileId);
  } catch (error) {
    return { ok: false, error: `The file cannot be deleted: ${health.failed(error)}.` };
  }
  let removed = false;
  let stuck: string | undefined;
  try {
    removed = files.delete(fileId);
  } catch (error) {
    // The messages say "deleted" all the same (and everyone is told below); the bytes stay
    // listed on the dashboard, to delete again.
    stuck = `The file's messages are marked deleted, but its bytes could not be removed: ${error instanceof Error ? error.message : String(error)}.`;
  }
  if (!removed && stuck === undefined && changed.length === 0) return { ok: false, error: 'That file is not on this host.' };
  // A file shared only in private messages is news to their people alone.
  const frame = { type: 'file_deleted', file: fileId } as const;
  if (changed.some((m) => m.to === undefined)) {
    members.broadcast(frame);
  } else {
    const told = new Set(changed.flatMap((m) => [m.from.id, m.to!.id]));
    for (const id of told) {
      const session = members.get(id);
      if (session) send(session, frame);
    }
  }
  const name = changed.at(-1)?.file?.name;
  const kept = changed.length === 0 ? '' : changed.length === 1 ? ' (1 message keeps a note)' : ` (${changed.length} messages keep a note)`;
  const detail = `deleted the file ${name === undefined ? fileId.slice(0, 12) : `"${name}"`}${kept}`;
  stats.log('file', detail.charAt(0).toUpperCase() + detail.slice(1));
  if (stuck !== undefined) return { ok: false, error: stuck };
  return { ok: true, detail };
}
