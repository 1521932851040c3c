// The desktop app saves a room's file through the main process: from app://hearth a link to
// another origin cannot download (Chromium navigates instead, and navigation is refused), so
// the renderer hands the URL over and the main process starts the download in the chat
// window (webContents.downloadURL, which meets the pinned certificate check like every
// request). Only a room's file download URL (common/files.ts downloadPath) is taken.
import { parseDownloadPath } from '../../common/files.ts';

/** The URL as it will be fetched, or a sentence saying why it is not a room's file. */
export function roomFileUrl(raw: unknown): { ok: true; url: string } | { ok: false; error: string } {
  const refuse = { ok: false, error: 'That is not a link to a file in a room.' } as const;
  if (typeof raw !== 'string' || raw.length > 2048) return refuse;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return refuse;
  if (url.username !== '' || url.password !== '' || url.hash !== '') return refuse;
  if (parseDownloadPath(url.pathname) === undefined) return refuse;
  // The token and nothing else: `inline` is for pictures shown in the page, not for saving.
  const keys = [...url.searchParams.keys()];
  if (keys.length !== 1 || keys[0] !== 't' || url.searchParams.get('t') === '') return refuse;
  return { ok: true, url: url.href };
}
