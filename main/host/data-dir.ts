// Where a host keeps its history: the default folder, and why a folder cannot be used.
import { accessSync, constants, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env['HEARTH_DATA']) return env['HEARTH_DATA'];
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'Hearth');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Hearth');
  return join(env['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share'), 'hearth');
}

/**
 * Why history could not be opened in `dir`, in words a person can act on. On a read-only
 * disk SQLite says "unable to open database file" and a recursive mkdir says ENOENT; the
 * nearest folder that exists tells the real reason (access() reports a read-only file
 * system even to root).
 */
export function explainDataDirError(dir: string, error: unknown): string {
  let existing = resolve(dir);
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  try {
    accessSync(existing, constants.W_OK);
  } catch (problem) {
    const code = (problem as NodeJS.ErrnoException).code;
    if (code === 'EROFS') return `${existing} is on a read-only file system`;
    if (code === 'EACCES' || code === 'EPERM') return `no permission to write in ${existing}`;
  }
  return error instanceof Error ? error.message : String(error);
}
