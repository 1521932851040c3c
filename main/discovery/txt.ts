// The TXT record of a Hearth room: v (protocol), room, users, lock, id. What we send stays
// under 200 bytes; what we receive is untrusted and checked like any other input.
import { ESCAPE_SEQUENCE, LINE_BREAKS_AND_TABS } from '../../common/characters.ts';
import { stripInvisible } from '../../common/names.ts';

export const SERVICE_TYPE = 'hearth';
/** The DNS-SD service name rooms are announced and browsed under. */
export const SERVICE_NAME = `_${SERVICE_TYPE}._tcp.local`;
export const MAX_TXT_BYTES = 200;

export interface RoomTxt {
  v: number;
  room: string;
  users: number;
  lock: boolean;
  id: string;
}

export function encodeTxt(txt: RoomTxt): Record<string, string> {
  const fixed = { v: String(txt.v), users: String(Math.max(0, Math.floor(txt.users))), lock: txt.lock ? '1' : '0', id: txt.id };
  // Each entry costs 1 length byte + "key=" + value.
  const fixedBytes = Object.entries(fixed).reduce((n, [k, v]) => n + 1 + Buffer.byteLength(`${k}=${v}`), 0);
  const roomBudget = MAX_TXT_BYTES - fixedBytes - 1 - Buffer.byteLength('room=');
  return { ...fixed, room: truncateBytes(txt.room, roomBudget) };
}

export function txtBytes(record: Record<string, string>): number {
  return Object.entries(record).reduce((n, [k, v]) => n + 1 + Buffer.byteLength(`${k}=${v}`), 0);
}

/** No room holds more people than this (the host's own cap is 2,000): a bigger count is a lie. */
const MAX_ROOM_USERS = 100_000;
/** Characters of a room name a list shows; the rest is cut (never inside an emoji). */
const MAX_LISTED_ROOM_CHARS = 64;

/**
 * Read a received TXT record (its strings, as DNS carries them); undefined when it is not a
 * well-formed Hearth room. Keys are matched without case and only their first occurrence
 * counts (RFC 6763 §6.4); a value may hold any byte, '=' and line breaks included.
 */
export function decodeTxt(strings: ReadonlyArray<Uint8Array | string>): RoomTxt | undefined {
  const entries = new Map<string, Uint8Array>();
  for (const raw of strings.slice(0, 64)) {
    const bytes = typeof raw === 'string' ? Buffer.from(raw) : Buffer.from(raw);
    const eq = bytes.indexOf(0x3d);
    if (eq <= 0) continue;
    const key = bytes.subarray(0, eq).toString('latin1').toLowerCase();
    if (!entries.has(key)) entries.set(key, bytes.subarray(eq + 1));
  }
  const ascii = (key: string) => (entries.has(key) ? Buffer.from(entries.get(key)!).toString('latin1') : undefined);
  const v = ascii('v');
  const users = ascii('users') ?? '0';
  const id = ascii('id');
  const roomBytes = entries.get('room');
  if (!v || !/^\d{1,4}$/.test(v) || Number(v) > 1000) return undefined;
  if (!id || !/^[a-z0-9]{4,32}$/.test(id)) return undefined;
  if (!/^\d{1,6}$/.test(users) || Number(users) > MAX_ROOM_USERS) return undefined;
  const room = roomBytes && roomName(roomBytes);
  if (!room) return undefined;
  return { v: Number(v), room, users: Number(users), lock: ascii('lock') === '1', id };
}

/**
 * A room name as a list may show it, or undefined when nothing readable is left. A name
 * cut mid-character by its sender loses the broken tail; terminal escape sequences go as
 * a whole (not just their ESC, which left "[31m" behind); line breaks and tabs become
 * spaces; invisible characters go (common/names.ts decides which).
 */
function roomName(bytes: Uint8Array): string | undefined {
  const text = utf8WithoutCutTail(bytes);
  if (text === undefined) return undefined;
  const cleaned = stripInvisible(
    text
      .replace(ESCAPE_SEQUENCE, '')
      .replace(LINE_BREAKS_AND_TABS, ' '),
  )
    .replace(/\s+/gu, ' ')
    .trim();
  if (!cleaned) return undefined;
  return cutChars(cleaned.normalize('NFC'), MAX_LISTED_ROOM_CHARS);
}

/** UTF-8 text; a character cut at the end is dropped (a sender's byte limit), any other damage refuses it. */
function utf8WithoutCutTail(bytes: Uint8Array): string | undefined {
  try {
    // In stream mode an unfinished last character waits for bytes that never come: it is left out.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
  } catch {
    return undefined;
  }
}

/** At most `max` characters, cut between user-perceived characters (never mid-emoji). */
function cutChars(text: string, max: number): string {
  if ([...text].length <= max) return text;
  let out = '';
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) {
    if ([...out].length + [...segment].length > max - 1) break;
    out += segment;
  }
  return `${out.trimEnd()}…`;
}

/** Cut a string to at most `bytes` UTF-8 bytes without splitting a character. */
function truncateBytes(value: string, bytes: number): string {
  if (Buffer.byteLength(value) <= bytes) return value;
  let out = '';
  for (const ch of value) {
    if (Buffer.byteLength(out + ch) > bytes - 3) break;
    out += ch;
  }
  return `${out}…`;
}

/** A DNS-SD instance name: the room plus a short host id, unique on the LAN, one DNS label. */
export function instanceName(room: string, hostId: string): string {
  const suffix = ` (${hostId.slice(0, 6)})`;
  // bonjour-service turns dots into dashes; a label is at most 63 bytes.
  const clean = room.replace(/\./g, '-');
  return `${truncateBytes(clean, 63 - Buffer.byteLength(suffix))}${suffix}`;
}

