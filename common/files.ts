// Files over HTTP on the room's port (README › Files): the paths, header and metadata names
// the host, the app, the web client and `hearth join` agree on. The bytes never travel in
// WebSocket frames; a message only carries a FileRef (common/protocol.ts).
import type { FileRef } from './protocol.ts';

/** tus 1.0.0 uploads: POST here creates one, HEAD/PATCH/DELETE `${UPLOAD_PATH}/<id>` resume, append, cancel. */
export const UPLOAD_PATH = '/files/uploads';

/** The header that carries the upload token (`welcome.files.token`) on every upload request. */
export const TOKEN_HEADER = 'Hearth-Token';

/**
 * Upload-Metadata keys a client sends when it creates an upload: the file's name and media
 * type as the person's machine knows them (the host makes both safe), and the SHA-256 of
 * the whole file in lowercase hex (the host refuses the upload if what arrived differs).
 */
export const UPLOAD_METADATA = { name: 'name', type: 'type', sha256: 'sha256' } as const;

/**
 * Where a message's file is downloaded: by the message's seq (its file, name and who may see
 * it come from the message), with the member's download token (`welcome.files.downloadToken`:
 * the upload token is refused here, as this one is for uploads). `inline` asks for an image
 * to show in the page; the host only grants it to a recognised PNG, JPEG, GIF or WebP.
 */
export function downloadPath(seq: number, downloadToken: string, options: { inline?: boolean } = {}): string {
  return `/files/${seq}?t=${encodeURIComponent(downloadToken)}${options.inline ? '&inline=1' : ''}`;
}

/** What a download path names: undefined for anything else. */
export function parseDownloadPath(path: string): number | undefined {
  const match = /^\/files\/(\d{1,15})$/.exec(path);
  return match ? Number(match[1]) : undefined;
}

/** Shown inline as a picture: only what the host recognised as a raster image, and not deleted. */
export function isInlineImage(file: FileRef): boolean {
  return file.image !== undefined && file.deleted !== true;
}

/** "512 B", "2.4 KB", "18 MB", "1.2 GB" (decimal units, as file managers show sizes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
