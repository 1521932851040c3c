// The one sentence `npm start` / `npm run dev` ends with when Electron's binary is missing
// and cannot be downloaded: what is missing and why, how to get it here, and what works
// without it. Paths are this machine's, so the advice can be followed as printed.
import { homedir } from 'node:os';
import { join, sep } from 'node:path';

export interface MissingElectron {
  version: string;
  /** Why the download failed, as fetch-deadline.ts or the installer said it. */
  reason: string;
  /** What the person ran: `npm start` or `npm run dev`. */
  command: string;
  platform?: NodeJS.Platform;
  arch?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

export function missingElectronSentence(m: MissingElectron): string {
  const { platform = process.platform, arch = process.arch, env = process.env, home = homedir() } = m;
  const cache = tilde(electronCacheDir(platform, env, home), home);
  return (
    `Hearth's desktop app needs the Electron ${m.version} binary, which is not installed and could not be downloaded (${m.reason}): ` +
    `run \`npx install-electron\` in a Hearth checkout on a ${PLATFORMS[platform] ?? platform} ${arch} machine that can reach GitHub ` +
    `and copy its Electron download cache into ${cache} here (or set ELECTRON_MIRROR to a mirror you can reach), then \`${m.command}\` again; ` +
    'meanwhile `npm run hearth -- host` opens a room that anyone on your network can join from a browser.'
  );
}

const PLATFORMS: Partial<Record<NodeJS.Platform, string>> = { linux: 'Linux', darwin: 'macOS', win32: 'Windows' };

/**
 * Where @electron/get keeps downloaded zips (electron_config_cache, else env-paths' cache
 * folder for "electron"); install.js looks there before it goes to the network, so a copy
 * of that folder from a connected machine installs offline.
 */
export function electronCacheDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  if (env['electron_config_cache']) return env['electron_config_cache'];
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'electron');
  if (platform === 'win32') return join(env['LOCALAPPDATA'] || join(home, 'AppData', 'Local'), 'electron', 'Cache');
  return join(env['XDG_CACHE_HOME'] || join(home, '.cache'), 'electron');
}

function tilde(path: string, home: string): string {
  return path.startsWith(home + sep) ? `~${path.slice(home.length)}` : path;
}
