// Where a host keeps its history: the default folder, and why a folder cannot be used.
import { accessSync, constants, existsSync, renameSync } from 'node:fs';
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

/**
 * Rename each of `names` present in `dataDir` to `<name>.broken-<time>` (a start over keeps
 * the old files, never deletes them); returns the new paths. Used for a damaged history
 * (history-file.ts) and a damaged identity (identity.ts).
 */
export function moveAside(dataDir: string, names: readonly string[], when: Date): string[] {
  const stamp = when.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z'); // 20250102T030405Z
  const moved: string[] = [];
  let suffix = `.broken-${stamp}`;
  // Twice in one second: never rename over files an earlier start-over kept.
  for (let n = 2; names.some((name) => existsSync(join(dataDir, name + suffix))); n++) suffix = `.broken-${stamp}-${n}`;
  for (const name of names) {
    const from = join(dataDir, name);
    if (!existsSync(from)) continue;
    renameSync(from, from + suffix);
    moved.push(from + suffix);
  }
  return moved;
}
