// Comings and goings. A join carried out: the admission decision (admission.ts) applied to
// the room: a refusal sent, or a seat taken (quietly taking over the same client's older
// connection), the welcome, the history hand-off and the news for everyone else. A leave:
// the seat given up, and everyone told why.
import type { PasswordKey } from '../../../common/password.ts';
import { CloseCode, type JoinFrame, type Member } from '../../../common/protocol.ts';
import { ENCRYPTION_REQUIRED } from '../../../common/wording.ts';
import { decideAdmission, type PasswordLockout } from './admission.ts';
import { startHistory } from './catch-up.ts';
import type { RoomParts } from './parts.ts';
import { publicMember, send, sendError, type LeaveReason, type Session } from './session.ts';
import type { Typing } from './typing.ts';

export interface MembershipContext extends RoomParts {
  typing: Typing;
  lockout: PasswordLockout;
  maxMembers: number;
  passwordKey(): PasswordKey | undefined;
  /** Only TLS connections may join (switchable while the room is open). */
  encryptedOnly(): boolean;
  /** The certificate this host presents (lowercase hex SHA-256), which a bound password proof names. */
  fingerprint: string | undefined;
  topic(): string;
  /** The older connection of a client that joined again stops speaking for it. */
  retire(session: Session): void;
  /** Someone new is here (not a takeover). */
  joined(member: Member): void;
  left(member: Member, why: LeaveReason): void;
}

export function join(session: Session, frame: JoinFrame, context: MembershipContext): void {
  if (session.member) return sendError(session, 'already_joined', 'already joined', { type: 'join' });
  const { members, store, stats } = context;
  const address = session.peer.address;
  const admission = decideAdmission({ frame, nonce: session.nonce, encrypted: session.encrypted, address, now: context.now() }, {
    encryptedOnly: context.encryptedOnly(),
    fingerprint: context.fingerprint,
    passwordKey: context.passwordKey(),
    lockedOutUntil: context.lockout.until(address),
    banOf: (userId, at) => context.bans.of(userId, at),
    nameOf: (userId) => members.get(userId)?.member?.name,
    holderOf: (name) => members.holderOf(name)?.member,
    nameKeys: () => members.nameKeys(),
    memberCount: members.size,
    maxMembers: context.maxMembers,
    sharesFiles: context.files !== undefined,
  });
  context.lockout.record(address, admission.password, context.now());
  if (!admission.ok) {
    send(session, { type: 'join_error', code: admission.code, reason: admission.reason });
    if (admission.close) session.peer.close(CloseCode.joinRefused, admission.code);
    return;
  }
  const { userId, name } = admission;
  // The same client again (a reconnect racing its own dead socket): the new connection
  // takes over quietly, so nobody sees a leave and a join.
  const previous = admission.takeover ? members.get(userId) : undefined;
  if (previous) {
    context.retire(previous);
    members.releaseName(previous.member!.name);
    previous.peer.close(CloseCode.replaced, 'replaced by a newer connection');
  }
  const member = { id: userId, name, since: previous?.member?.since ?? context.now(), clientId: frame.clientId };
  session.member = member;
  if (previous) session.sent = previous.sent;
  // `since` counts in the history the client names; in another one (a history that was
  // lost and started again) it means nothing here.
  const since = frame.historyId === undefined || frame.historyId === store.historyId ? frame.since : undefined;
  members.seat(session);

  session.peer.send(members.welcomeFrame(member, context.name, store, context.topic(), context.files?.offerFor(userId)));
  startHistory(session, frame.clientId, since, context);
  stats.setPeople(members.size);
  const reconnect = previous !== undefined || frame.since !== undefined;
  if (reconnect) stats.reconnects++;
  if (!previous) {
    stats.log('join', `${name} joined from ${address}${reconnect ? ' (reconnected)' : ''}`);
    members.broadcast({ type: 'member_joined', member: publicMember(member) }, session);
    context.joined(publicMember(member));
  } else if (previous.member!.name !== name) {
    members.broadcast({ type: 'renamed', id: userId, from: previous.member!.name, to: name }, session);
  }
}

/** The connection is gone (closed, timed out, kicked or replaced); a replaced one changes nothing. */
export function leave(session: Session, reason: 'left' | 'timeout', context: MembershipContext): void {
  session.feed?.close();
  const { members, stats } = context;
  const member = session.member;
  if (!member || !members.isCurrent(session)) return;
  context.typing.stop(session, false);
  members.unseat(member);
  const why = session.leaveReason === 'left' ? reason : session.leaveReason;
  context.leavers.record(member.id, why, session.peer.address, context.now());
  members.broadcast({ type: 'member_left', member: publicMember(member), reason: why });
  stats.setPeople(members.size);
  if (why !== 'kicked' && why !== 'banned') {
    stats.log('leave', `${member.name} ${why === 'timeout' ? 'lost connection (no heartbeat)' : 'left'}`);
  }
  context.left(publicMember(member), why);
}

/**
 * Encrypted connections only, just switched on: whoever joined plain is told the sentence a
 * plain join gets and disconnected for good (the client does not retry a refusal). Their names.
 */
export function turnAwayPlain(context: MembershipContext): string[] {
  const plain = [...context.members.values()].filter((s) => !s.encrypted);
  const names = plain.map((s) => s.member!.name);
  const gone = names.length === 1 ? '1 person without encryption was disconnected' : `${names.length} people without encryption were disconnected`;
  context.stats.log('lock', `Encrypted connections only: on. ${names.length === 0 ? 'Everyone here is encrypted' : `${gone}: ${names.join(', ')}`}`);
  for (const session of plain) {
    send(session, { type: 'join_error', code: 'encryption_required', reason: ENCRYPTION_REQUIRED });
    leave(session, 'left', context);
    context.retire(session);
    session.peer.close(CloseCode.joinRefused, 'encryption_required');
  }
  return names;
}
