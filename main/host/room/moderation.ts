// Moderation: kick, ban, unban, clear history, topic, lock and unlock. Whoever asks has
// been checked already (the admin token, or the hosting process itself); this decides what
// each action does to the room, or why it is refused.
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { CONTROL_OR_BIDI } from '../../../common/characters.ts';
import { LIMITS, type ErrorCode, type ModerationAction } from '../../../common/protocol.ts';
import { peerAddress } from '../peer.ts';
import type { RoomParts } from './parts.ts';
import type { Session } from './session.ts';
import { capitalize } from '../../../common/wording.ts';

/** What a moderation action did, or why not: a missing person, or an action refused as asked. */
export type ModerationResult = { ok: true; detail: string } | { ok: false; code: Extract<ErrorCode, 'no_such_member' | 'admin_refused'>; error: string };

export interface ModerationContext extends RoomParts {
  /** The hosting app's own member: never removed. */
  ownerId: string | undefined;
  /** Store what is waiting for the group commit (before clearing history). */
  flush(): void;
  remove(session: Session, reason: string, banned: boolean): void;
  setTopic(topic: string): void;
  /** Lock with this password, or unlock (undefined). */
  setPassword(password: string | undefined): void;
}

/** `by`: the user id of the member asking, if any. Every action done is logged. */
export function moderate(action: ModerationAction, by: string | undefined, room: ModerationContext): ModerationResult {
  const result = decide(action, by, room);
  if (result.ok) {
    const kind = action.action === 'clear_history' ? 'clear' : action.action === 'unlock' ? 'lock' : action.action;
    room.stats.log(kind, capitalize(result.detail));
  }
  return result;
}

function decide(action: ModerationAction, by: string | undefined, room: ModerationContext): ModerationResult {
  switch (action.action) {
    case 'kick':
    case 'ban':
      return remove(action, by, room);
    case 'unban': {
      const lifted = room.bans.lift(action.target.trim());
      return lifted.ok ? lifted : { ok: false, code: 'no_such_member', error: lifted.error };
    }
    case 'clear_history':
      return clearHistory(action.deleteFiles === true, room);
    case 'topic': {
      const topic = action.topic.replace(/\s+/g, ' ').trim();
      if ([...topic].length > LIMITS.maxTopicChars) return { ok: false, code: 'admin_refused', error: `a topic is at most ${LIMITS.maxTopicChars} characters` };
      if (CONTROL_OR_BIDI.test(topic)) return { ok: false, code: 'admin_refused', error: 'a topic cannot contain control characters' };
      room.setTopic(topic);
      return { ok: true, detail: topic ? `topic set: ${topic}` : 'topic cleared' };
    }
    case 'lock': {
      if (!action.password) return { ok: false, code: 'admin_refused', error: 'give a password to lock the room' };
      room.setPassword(action.password);
      return { ok: true, detail: 'room locked: new people need the password' };
    }
    case 'unlock': {
      room.setPassword(undefined);
      return { ok: true, detail: 'room unlocked' };
    }
  }
}

/**
 * Every message goes; with `deleteFiles`, so do the files they carried (after a clear no
 * message holds them any more). Without it they stay on the host, on the dashboard's list.
 */
function clearHistory(deleteFiles: boolean, room: ModerationContext): ModerationResult {
  room.flush();
  let carried: string[] = [];
  try {
    if (deleteFiles && room.files) carried = room.store.files().map((f) => f.file.id);
    room.store.clear();
  } catch (error) {
    return { ok: false, code: 'admin_refused', error: `the history cannot be cleared: ${room.health.failed(error)}` };
  }
  room.members.broadcast({ type: 'cleared', lastSeq: room.store.lastSeq });
  if (!deleteFiles || !room.files) return { ok: true, detail: 'history cleared' };
  let deleted = 0;
  let failed = 0;
  for (const id of carried) {
    // The history is already cleared: a file the disk will not let go of stays listed on the
    // dashboard (to delete again), and the clear still stands.
    try {
      if (room.files.delete(id)) deleted++;
    } catch {
      failed++;
    }
  }
  const notDeleted = failed === 0 ? '' : ` (${failed} could not be deleted: see the dashboard's files)`;
  return { ok: true, detail: `history cleared, and ${deleted} ${deleted === 1 ? 'file' : 'files'} deleted${notDeleted}` };
}

function remove(action: Extract<ModerationAction, { action: 'kick' | 'ban' }>, by: string | undefined, room: ModerationContext): ModerationResult {
  const { members, bans } = room;
  const ban = action.action === 'ban';
  const given = action.reason?.trim() ?? '';
  const reason = given || (ban ? 'You were banned by the host.' : 'You were removed by the host.');
  const target = action.target.trim();
  const banner = (by !== undefined && members.get(by)?.member?.name) || 'the host';
  if (ban && isIP(target)) {
    const address = peerAddress(target);
    // Those who moderate stay (the host's own window shares 127.0.0.1 with others on its machine).
    const removed = [...members.values()].filter((s) => s.peer.address === address && !bans.isModerator(s.member!.id));
    bans.add({ name: removed.map((s) => s.member!.name).join(', '), userId: null, address, reason: given, at: room.now(), by: banner });
    for (const s of removed) room.remove(s, reason, true);
    return { ok: true, detail: `banned address ${address} (${removed.length} removed)` };
  }
  const session = members.find(target);
  if (!session) return { ok: false, code: 'no_such_member', error: `nobody called "${target.slice(0, 40)}" is here` };
  const member = session.member!;
  if (member.id === by || member.id === room.ownerId) return { ok: false, code: 'admin_refused', error: 'you cannot remove yourself' };
  if (ban) {
    // The address too: a new browser profile on the same machine is the same person. Not
    // loopback, though: that is the host's own machine, where its windows and terminals are.
    const address = isLoopback(session.peer.address) || session.peer.address === 'unknown' ? null : session.peer.address;
    bans.add({ name: member.name, userId: member.id, address, reason: given, at: room.now(), by: banner });
  }
  room.remove(session, reason, ban);
  return { ok: true, detail: `${ban ? 'banned' : 'kicked'} ${member.name}${given ? `: ${given}` : ''}` };
}

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.');
}

/** Whether a frame's token is the room's admin token (compared in constant time). */
export function isAdminToken(token: string, adminToken: string): boolean {
  const given = Buffer.from(token);
  const expected = Buffer.from(adminToken);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
