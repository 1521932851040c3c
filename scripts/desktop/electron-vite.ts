// Hands over to electron-vite as if it had been run directly: same arguments, the binary we
// checked (ELECTRON_EXEC_PATH, which electron-vite reads before path.txt), signals passed
// on, and its exit code or signal as ours.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** electron-vite's CLI script, or the stand-in HEARTH_ELECTRON_VITE names (tests). */
export function electronViteCli(root: string, override = process.env['HEARTH_ELECTRON_VITE']): string {
  if (override) return override;
  const manifest = createRequire(join(root, 'package.json')).resolve('electron-vite/package.json');
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> };
  return join(dirname(manifest), bin['electron-vite'] ?? 'bin/electron-vite.js');
}

export function runElectronVite(cli: string, args: string[], electronBinary: string): void {
  const child = spawn(process.execPath, [cli, ...args], {
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_EXEC_PATH: electronBinary },
  });
  // A terminal's Ctrl-C reaches the whole process group, but `kill` or a closing terminal
  // may reach only us: the app must hear it too, and we stay until it has gone. Not a
  // terminal's SIGINT, though: Electron (and electron-vite, which passes it on) got it
  // already, and Electron quits cleanly only on the first; a second one kills it outright.
  const forward = (signal: NodeJS.Signals) => {
    if (signal === 'SIGINT' && process.stdin.isTTY) return;
    child.kill(signal);
  };
  for (const signal of FORWARDED) process.on(signal, forward);
  child.on('error', (error) => {
    console.error(`Could not start electron-vite (${cli}): ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    for (const s of FORWARDED) process.off(s, forward);
    // Ending by the same signal tells the shell (and npm) what happened to the app.
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}
