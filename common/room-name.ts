// What a room may be called: one rule for `hearth host --room` and the desktop's "Host a
// room", so a name one shell accepts the other does too. It is counted in characters
// (Unicode code points, like message text and display names), not UTF-16 units: "🔥" is one.
import { CONTROL } from './characters.ts';
import { countChars } from './protocol.ts';

/** Characters (code points) a room name may have, after trimming. */
export const MAX_ROOM_NAME_CHARS = 64;

/** A room name that passed checkRoomName (trimmed, within the rule): the hosting session takes nothing else. */
export type RoomName = string & { readonly __roomName: true };

/** Why a name was refused; each shell says it in its own words. */
export type RoomNameProblem = 'empty' | 'too_long' | 'control';

export type RoomNameCheck = { ok: true; name: RoomName } | { ok: false; problem: RoomNameProblem };

export function checkRoomName(raw: string): RoomNameCheck {
  const name = raw.trim();
  if (name.length === 0) return { ok: false, problem: 'empty' };
  if (countChars(name) > MAX_ROOM_NAME_CHARS) return { ok: false, problem: 'too_long' };
  // A room name is shown in terminals, lists and window titles, never obeyed.
  if (CONTROL.test(name)) return { ok: false, problem: 'control' };
  return { ok: true, name: name as RoomName };
}
