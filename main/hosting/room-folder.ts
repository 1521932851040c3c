// Where the desktop app keeps each room's history: one folder per room name under its data
// directory (rooms/<slug>), so hosting "Kitchen" again picks up Kitchen's history.
import { join } from 'node:path';

export function roomHistoryDir(dataDir: string, room: string): string {
  return join(dataDir, 'rooms', slug(room));
}

/** A folder name for a room's history: readable, safe on every OS. */
export function slug(room: string): string {
  const base = room
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  let hash = 0;
  for (const ch of room) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return `${base || 'room'}-${hash.toString(36)}`;
}
