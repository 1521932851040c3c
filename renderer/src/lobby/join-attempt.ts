// Joining from the lobby, as steps without React: ask the address (or each of an invite
// link's, common/reach.ts) what it is, then join, ask for the password, or say why not.
// The password is asked of the room that just answered: the join that follows uses that
// answer (its address, its name) instead of asking the same host again.
import type { RoomAddress } from '../../../common/address.ts';
import type { Invite } from '../../../common/invite.ts';
import type { FetchLike } from '../../../common/probe.ts';
import { reachRoom } from '../../../common/reach.ts';

export interface JoinRequest {
  address: RoomAddress;
  roomName: string;
  password?: string | undefined;
}

/** A room that answered and needs a password: the address that worked and its name. */
export interface PasswordPrompt {
  address: RoomAddress;
  roomName: string;
}

export type JoinStep = { kind: 'join'; request: JoinRequest } | { kind: 'password'; prompt: PasswordPrompt } | { kind: 'refused'; reason: string };

/**
 * Where to join, found by asking: clear errors, and whether it needs a password. The room's
 * header then shows the address that worked (unless the room has a topic). `fallbackName`
 * names the room when its host gives none.
 */
export async function reachForJoin(target: RoomAddress | Invite, fallbackName: string, fetchImpl: FetchLike): Promise<JoinStep> {
  const reached = await reachRoom('candidates' in target ? target : { candidates: [target] }, fetchImpl);
  if (!reached.ok) return { kind: 'refused', reason: reached.reason };
  const { address, health } = reached;
  const roomName = health.room || fallbackName;
  if (health.passwordRequired) return { kind: 'password', prompt: { address, roomName } };
  return { kind: 'join', request: { address, roomName, password: undefined } };
}

/** The join once the password is typed: the room that asked for it, as it answered. */
export function joinWithPassword(prompt: PasswordPrompt, password: string): JoinRequest {
  return { address: prompt.address, roomName: prompt.roomName, password };
}
