// Where Electron's binary is, and getting it when it is not there.
//
// Electron 42+ installs no binary with `npm ci`: the electron package downloads it on the
// first `require('electron')`. electron-vite never requires it; it reads the package's
// path.txt, which only that download writes, so `electron-vite preview` on a fresh clone
// failed with a bare "Electron uninstall". Here the package's own installer (install.js:
// its cache, ELECTRON_MIRROR, the pinned checksums, the extraction, path.txt) runs first,
// under a deadline: a machine that cannot reach the download server hears so in seconds
// rather than after the network's own minutes-long timeouts. The deadline ends when the
// server answers (installer-fetch.ts says so), so a slow download still completes.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { GiveUp, InstallerNews } from './installer-fetch.ts';

export interface ElectronPackage {
  /** The electron npm package: package.json, install.js, path.txt and dist/ once installed. */
  dir: string;
  version: string;
}

export type BinaryResult = { ok: true; path: string } | { ok: false; reason: string };

/** The electron package the repository at `root` resolves, or the one `override` names (tests). */
export function electronPackage(root: string, override = process.env['HEARTH_ELECTRON_PACKAGE']): ElectronPackage {
  const dir = override || dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json'));
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
  return { dir, version };
}

/** The binary path.txt names, when it is on disk: exactly what electron-vite would run. */
export function installedBinary(pkg: ElectronPackage): string | undefined {
  try {
    const binary = join(pkg.dir, 'dist', readFileSync(join(pkg.dir, 'path.txt'), 'utf8').trim());
    return existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs the package's installer, giving up when the download server has not answered within
 * `deadlineMs` of being asked (a zip already in Electron's download cache asks nobody). Its
 * progress goes to our stdout; its stderr is kept, so a failure can be told in one sentence
 * built from its first error line instead of a stack.
 */
export function downloadBinary(pkg: ElectronPackage, deadlineMs: number): Promise<BinaryResult> {
  const hooks = new URL('./installer-fetch.ts', import.meta.url).href;
  const installer = spawn(process.execPath, ['--import', hooks, join(pkg.dir, 'install.js')], {
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    // Its own progress bar would land in the kept stderr; installer-fetch.ts shows one.
    env: { ...process.env, ELECTRON_GET_NO_PROGRESS: '1' },
  });
  let stderr = '';
  installer.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let deadline: NodeJS.Timeout | undefined;
  let tooLate: string | undefined;
  installer.on('message', (news: InstallerNews) => {
    if ('answered' in news) {
      // Answered: the next request (checksums, then the zip) gets its own bound.
      clearTimeout(deadline);
      deadline = undefined;
    }
    else deadline ??= setTimeout(() => giveUp(`no answer from ${news.request} within ${deadlineMs / 1000} s`), deadlineMs);
  });
  // Asked to give up, the installer removes its temporary files and exits; if it cannot
  // (a blocked event loop), it is killed: the wait stays bounded either way.
  const giveUp = (reason: string) => {
    tooLate = reason;
    if (installer.connected) installer.send({ giveUp: reason } satisfies GiveUp);
    setTimeout(() => installer.kill('SIGKILL'), 2_000).unref();
  };
  return new Promise((resolve) => {
    installer.on('error', (error) => resolve({ ok: false, reason: error.message }));
    installer.on('close', (code) => {
      clearTimeout(deadline);
      const binary = installedBinary(pkg);
      if (code === 0 && binary) resolve({ ok: true, path: binary });
      else resolve({ ok: false, reason: tooLate ?? firstError(stderr) ?? `its installer exited with code ${code}` });
    });
  });
}

/** "Error: cannot reach github.com: …" out of a stack trace, without the class name. */
function firstError(stderr: string): string | undefined {
  return /^\w*Error: (.+)$/m.exec(stderr)?.[1]?.trim();
}
