// Joining from the lobby, as steps without React: ask the address (or each of an invite
// link's, common/reach.ts) what it is; where the shell pins hosts (the app), check the
// certificate the room presents; then join, ask for the password, or say why not. The order
// is reach → identity → password → join, so a password is only ever sent over a connection
// whose certificate was checked. Each step works with the room that just answered (its
// address, its name) instead of asking the same host again.
import type { RoomAddress } from '../../../common/address.ts';
import type { Invite } from '../../../common/invite.ts';
import type { IdentityCheck, IdentityCheckRequest, Result } from '../../../common/ipc.ts';
import type { FetchLike } from '../../../common/probe.ts';
import { reachRoom } from '../../../common/reach.ts';
import { notThisHostWords, type IdSource } from './identity-words.ts';

/** How the room is reached: plain ws (a host from before encryption, a page served over http) or wss with its certificate pinned. */
interface Connection {
  /** Join over TLS: `secureAddress(address).wsUrl`, with the shell's pin on the host's certificate. */
  secure: boolean;
  /** The pinned fingerprint (lowercase hex) when secure. */
  fingerprint?: string | undefined;
}

export interface JoinRequest extends Connection {
  /** The room's address as it answered (its ws/http form; `secure` says which one is joined). */
  address: RoomAddress;
  roomName: string;
  password?: string | undefined;
}

/** A room that answered and needs a password: the address that worked, its name, and how it is joined. */
export interface PasswordPrompt extends Connection {
  address: RoomAddress;
  roomName: string;
}

/** A room whose certificate is not the one remembered for its address: both, for the person to compare. */
export interface IdentityPrompt {
  address: RoomAddress;
  roomName: string;
  passwordRequired: boolean;
  /** Fingerprints, lowercase hex: the one this app joined before, and the one presented now. */
  remembered: string;
  presented: string;
}

export type JoinStep =
  | { kind: 'join'; request: JoinRequest }
  | { kind: 'password'; prompt: PasswordPrompt }
  | { kind: 'identity-changed'; prompt: IdentityPrompt }
  | { kind: 'refused'; reason: string };

export interface JoinTargetInfo {
  /** Names the room when its host gives none. */
  fallbackName: string;
  /** The id the room was listed by on the network (a link carries its own, `hostId`). */
  listedId?: string | undefined;
  /** The fingerprint a room was joined with, when it is joined again because its host's identity changed: compared even if the shell could not remember it. */
  previous?: string | undefined;
}

export interface JoinDeps {
  fetchImpl: FetchLike;
  /** The shell's certificate check (AppBridge.checkIdentity) where it pins hosts; absent in a browser. */
  checkIdentity?: ((request: IdentityCheckRequest) => Promise<Result<IdentityCheck>>) | undefined;
}

/**
 * Where to join, found by asking: clear errors, whether the host is who it should be, and
 * whether it needs a password. The room's header then shows the address that worked
 * (unless the room has a topic).
 */
export async function reachForJoin(target: RoomAddress | Invite, info: JoinTargetInfo, deps: JoinDeps): Promise<JoinStep> {
  const invite: Invite = 'candidates' in target ? target : { candidates: [target] };
  const reached = await reachRoom(invite, deps.fetchImpl);
  if (!reached.ok) return { kind: 'refused', reason: reached.reason };
  const { address, health } = reached;
  const room = { address, roomName: health.room || info.fallbackName, passwordRequired: health.passwordRequired };
  if (!deps.checkIdentity) return afterIdentity(room, { secure: false });

  const expected: { id: string; source: IdSource } | undefined =
    invite.hostId !== undefined ? { id: invite.hostId, source: 'link' } : info.listedId !== undefined ? { id: info.listedId, source: 'listing' } : undefined;
  const checked = await deps.checkIdentity({ host: address.host, port: address.port, expectedId: expected?.id, previous: info.previous });
  if (!checked.ok) return { kind: 'refused', reason: checked.error };
  const check = checked.value;
  switch (check.kind) {
    case 'trusted':
    case 'first-use':
      return afterIdentity(room, { secure: true, fingerprint: check.fingerprint });
    case 'no-tls':
      // A host from before encryption: joined in the clear, and the room says so.
      return afterIdentity(room, { secure: false });
    case 'changed':
      return { kind: 'identity-changed', prompt: { ...room, remembered: check.remembered, presented: check.presented } };
    case 'not-this-host':
      return { kind: 'refused', reason: notThisHostWords(address.display, check.expectedId, check.presented, expected?.source ?? 'link') };
  }
}

/**
 * The join once the person trusted the new identity (and the shell pinned it): over wss with
 * that fingerprint, the password asked for first when the room needs one.
 */
export function joinTrusted(prompt: IdentityPrompt): JoinStep {
  const { address, roomName, passwordRequired, presented } = prompt;
  return afterIdentity({ address, roomName, passwordRequired }, { secure: true, fingerprint: presented });
}

/** The join once the password is typed: the room that asked for it, as it answered, joined the same way. */
export function joinWithPassword(prompt: PasswordPrompt, password: string): JoinRequest {
  return { ...prompt, password };
}

function afterIdentity(room: { address: RoomAddress; roomName: string; passwordRequired: boolean }, connection: Connection): JoinStep {
  const { address, roomName } = room;
  const how: Connection = connection.secure ? { secure: true, fingerprint: connection.fingerprint } : { secure: false };
  if (room.passwordRequired) return { kind: 'password', prompt: { address, roomName, ...how } };
  return { kind: 'join', request: { address, roomName, password: undefined, ...how } };
}
