// The TXT record of a Hearth room: v (protocol), room, users, lock, id. What we send stays
// under 200 bytes; what we receive is untrusted and checked like any other input.

export const SERVICE_TYPE = 'hearth';
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

/** Read a received TXT record; undefined when it is not a well-formed Hearth room. */
export function decodeTxt(raw: unknown): RoomTxt | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const text = (key: string) => (typeof r[key] === 'string' ? (r[key] as string) : Buffer.isBuffer(r[key]) ? (r[key] as Buffer).toString('utf8') : undefined);
  const v = Number(text('v'));
  const users = Number(text('users') ?? '0');
  const id = text('id');
  // eslint-disable-next-line no-control-regex
  const room = text('room')?.replace(/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g, '').trim();
  if (!Number.isInteger(v) || v < 0 || v > 1000) return undefined;
  if (!id || !/^[a-z0-9]{4,32}$/.test(id)) return undefined;
  if (!room || room.length > 200) return undefined;
  return {
    v,
    room: room.slice(0, 64),
    users: Number.isInteger(users) && users >= 0 ? Math.min(users, 1_000_000) : 0,
    lock: text('lock') === '1',
    id,
  };
}

/** Cut a string to at most `bytes` UTF-8 bytes without splitting a character. */
export function truncateBytes(value: string, bytes: number): string {
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

