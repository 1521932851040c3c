// What app://hearth/ serves: files from the built renderer folder and nothing outside it,
// each with the desktop CSP. Pure (no electron import) so it is unit-tested;
// main/electron/app-protocol.ts hands Electron's requests to it.
import { stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { DESKTOP_CSP } from '../../common/csp.ts';
import { isAppUrl } from './trust.ts';

/** Headers on every app:// response: the policy itself, and no guessing of types. */
export const APP_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': DESKTOP_CSP,
  'X-Content-Type-Options': 'nosniff',
};

export type AppFile = { file: string } | { status: 400 | 404; body: string };

/** The file an app:// URL names inside `rendererDir`, or why there is none. */
export function resolveAppFile(rendererDir: string, url: string): AppFile {
  if (!isAppUrl(url)) return { status: 404, body: 'Not found' };
  const root = resolve(rendererDir);
  let path: string;
  try {
    path = decodeURIComponent(new URL(url).pathname);
  } catch {
    return { status: 400, body: 'Bad request' };
  }
  if (path.includes('\0')) return { status: 400, body: 'Bad request' };
  const file = resolve(root, `.${path === '/' ? '/index.html' : path}`);
  if (!file.startsWith(root + sep)) return { status: 404, body: 'Not found' };
  return { file };
}

/**
 * resolveAppFile, then only a regular file that is there: a missing file or a folder is
 * a 404 answer. Handing such a path to net.fetch would reject the protocol handler, and
 * the page would see a network error instead of "Not found".
 */
export async function locateAppFile(rendererDir: string, url: string): Promise<AppFile> {
  const target = resolveAppFile(rendererDir, url);
  if (!('file' in target)) return target;
  try {
    if ((await stat(target.file)).isFile()) return target;
  } catch {
    // ENOENT, ENOTDIR (a path through a file), EACCES: there is nothing to serve.
  }
  return { status: 404, body: 'Not found' };
}
