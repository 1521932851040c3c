// Where a room's files live over HTTP: the same host and port as its WebSocket, http for ws
// and https for wss (a pinned app talks TLS to the host the same way as its socket). The web
// client's socket is its own origin, so its file URLs are same-origin too.
import { downloadPath, UPLOAD_PATH } from '../../../common/files.ts';

/** "ws://192.168.1.7:47800/ws" → "http://192.168.1.7:47800"; "wss://[fe80::1]:5000/ws" → "https://[fe80::1]:5000". */
export function roomHttpBase(wsUrl: string): string {
  const url = new URL(wsUrl);
  const scheme = url.protocol === 'wss:' ? 'https:' : 'http:';
  return `${scheme}//${url.host}`;
}

/** Where uploads are created (tus POST). */
export function uploadEndpoint(base: string): string {
  return `${base}${UPLOAD_PATH}`;
}

/** A message's file: to show in the page (`inline`, images only) or to download, with the download token; undefined without one. */
export function fileUrl(base: string, seq: number, downloadToken: string | undefined, options: { inline?: boolean } = {}): string | undefined {
  return downloadToken === undefined ? undefined : `${base}${downloadPath(seq, downloadToken, options)}`;
}

/** The upload's id: the last part of the URL the host gave it (`/files/uploads/<id>`). */
export function uploadIdOf(uploadUrl: string): string | undefined {
  const path = new URL(uploadUrl).pathname;
  if (!path.startsWith(`${UPLOAD_PATH}/`)) return undefined;
  const id = decodeURIComponent(path.slice(UPLOAD_PATH.length + 1));
  return id !== '' && !id.includes('/') ? id : undefined;
}
