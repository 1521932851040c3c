// Who may join, decided as a pure function of the join frame and what the room holds:
// encryption (a room that takes only TLS connections), protocol version, password (with a
// lockout after repeated wrong ones, and bound to this host's certificate when the client
// says so), bans, capacity and names. It changes nothing; the room applies the outcome
// (membership.ts).
import { checkName, friendlyName } from '../../../common/names.ts';
import { passwordProof, proofsMatch, type PasswordKey } from '../../../common/password.ts';
import { PROTOCOL_VERSION, type JoinErrorCode, type JoinFrame } from '../../../common/protocol.ts';
import { ENCRYPTION_REQUIRED } from '../../../common/wording.ts';
import type { BanEntry } from './bans.ts';
import { takenBecause } from './members.ts';
import { userIdFor } from './session.ts';

/** What the decision reads from the room: nothing here is changed. */
export interface AdmissionRoom {
  /** Only connections that came over TLS may join (`--encrypted-only`). */
  encryptedOnly: boolean;
  /** SHA-256 of the certificate this host presents (lowercase hex): a bound proof must name it. Undefined without TLS. */
  fingerprint: string | undefined;
  passwordKey: PasswordKey | undefined;
  /** When this address may try a password again, if it is locked out. */
  lockedOutUntil: number | undefined;
  banOf(userId: string, address: string): BanEntry | undefined;
  /** The name of the member already here with this user id (the same client reconnecting). */
  nameOf(userId: string): string | undefined;
  /** Who holds this name or one that looks the same. */
  holderOf(name: string): { id: string; name: string } | undefined;
  /** Name keys in use, so a friendly name for someone who gave none is not one of them. */
  nameKeys(): Set<string>;
  memberCount: number;
  maxMembers: number;
  /** The room takes files (protocol 3): an older client is told that is why it must update. */
  sharesFiles: boolean;
}

export interface JoinRequest {
  frame: JoinFrame;
  /** The nonce this connection's hello carried (the password proof signs it). */
  nonce: string;
  /** The connection came over TLS (Session.encrypted). */
  encrypted: boolean;
  address: string;
  now: number;
}

/** How the password check went, for the lockout: a right proof clears it, a wrong one counts. */
export type PasswordOutcome = 'proved' | 'wrong' | 'not_asked';

export type Admission =
  | { ok: true; userId: string; name: string; takeover: boolean; password: PasswordOutcome }
  /** `close`: the connection is closed after the refusal (else it may try again, with another name or the password). */
  | { ok: false; code: JoinErrorCode; reason: string; close: boolean; password: PasswordOutcome };

export function decideAdmission({ frame, nonce, encrypted, address, now }: JoinRequest, room: AdmissionRoom): Admission {
  // First: a plain connection learns nothing more about the room than that it must come encrypted.
  if (room.encryptedOnly && !encrypted) return refuse('encryption_required', ENCRYPTION_REQUIRED, true);
  if (frame.v !== PROTOCOL_VERSION) return refuse('version_mismatch', versionMismatch(frame.v, room.sharesFiles), true);
  let password: PasswordOutcome = 'not_asked';
  if (room.passwordKey) {
    if (room.lockedOutUntil !== undefined && room.lockedOutUntil > now) {
      const seconds = Math.ceil((room.lockedOutUntil - now) / 1000);
      return refuse('too_many_attempts', `Too many wrong passwords. Try again in ${seconds} s.`, true);
    }
    if (!frame.proof) return refuse('password_required', 'This room needs a password.', false);
    const expected = expectedProof(room.passwordKey, nonce, frame, encrypted ? room.fingerprint : undefined);
    if (expected === undefined || !proofsMatch(expected, frame.proof)) return refuse('bad_password', 'Wrong password.', true, 'wrong');
    password = 'proved';
  }
  const userId = userIdFor(frame.clientId);
  const ban = room.banOf(userId, address);
  if (ban) return refuse('banned', `You are banned from this room.${ban.reason ? ` Reason: ${ban.reason}` : ''}`, true, password);
  const previousName = room.nameOf(userId);
  const takeover = previousName !== undefined;
  if (!takeover && room.memberCount >= room.maxMembers) {
    return refuse('room_full', `The room is full (${room.maxMembers} people).`, true, password);
  }

  if (frame.name.trim() === '') {
    return { ok: true, userId, name: previousName ?? friendlyName(room.nameKeys()), takeover, password };
  }
  const check = checkName(frame.name);
  if (!check.ok) return refuse('name_invalid', check.reason, false, password);
  const holder = room.holderOf(check.name);
  // The same client may keep (or take back) its own name.
  if (holder && holder.id !== userId) {
    return refuse('name_taken', `${takenBecause(check.name, holder.name)} Pick another name.`, false, password);
  }
  return { ok: true, userId, name: check.name, takeover, password };
}

function versionMismatch(clientVersion: number, sharesFiles: boolean): string {
  if (clientVersion > PROTOCOL_VERSION) return 'This room runs an older Hearth. Ask the host to update.';
  // Version 3 brought files: a client from before cannot show or send them.
  if (sharesFiles && clientVersion < 3) return 'This room shares files and needs a newer Hearth. Please update.';
  return 'This room needs a newer Hearth. Please update.';
}

/**
 * The proof this join must carry. A bound one signs the certificate this host presents, so
 * it holds only on a TLS connection to it: bound to another certificate (a man in the middle
 * relaying it), or sent over plain, it cannot match (undefined), and counts as a wrong
 * password for the lockout. An unbound one is taken either way: a browser cannot read the
 * certificate to bind to it.
 */
function expectedProof(key: PasswordKey, nonce: string, frame: JoinFrame, channelFingerprint: string | undefined): string | undefined {
  if (frame.proofBound !== true) return passwordProof(key, nonce, frame.clientId);
  return channelFingerprint === undefined ? undefined : passwordProof(key, nonce, frame.clientId, channelFingerprint);
}

function refuse(code: JoinErrorCode, reason: string, close: boolean, password: PasswordOutcome = 'not_asked'): Admission {
  return { ok: false, code, reason, close, password };
}

const FAILED_PASSWORD_LOCKOUT = { freeAttempts: 5, baseMs: 2000, maxMs: 5 * 60_000 };

/** Wrong passwords by address: after a few free ones, each locks the address out for longer. */
export class PasswordLockout {
  readonly #failed = new Map<string, { count: number; until: number }>();

  until(address: string): number | undefined {
    return this.#failed.get(address)?.until;
  }

  record(address: string, outcome: PasswordOutcome, now: number): void {
    if (outcome === 'proved') this.#failed.delete(address);
    if (outcome !== 'wrong') return;
    const entry = this.#failed.get(address) ?? { count: 0, until: 0 };
    entry.count++;
    const over = entry.count - FAILED_PASSWORD_LOCKOUT.freeAttempts;
    if (over >= 0) entry.until = now + Math.min(FAILED_PASSWORD_LOCKOUT.maxMs, FAILED_PASSWORD_LOCKOUT.baseMs * 2 ** over);
    this.#failed.set(address, entry);
  }
}
