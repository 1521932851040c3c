// A read-only data folder: a real read-only bind mount (root ignores file modes, not a
// read-only mount). The host must say so in words and start nothing, on the command line
// and in the desktop app, whether the folder is empty or already holds a history.
// Needs root (mount); says so plainly otherwise.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { AppServices } from '../../main/services/services.ts';
import { openHistory } from '../../main/host/history-file.ts';
import { Proc } from '../support/cli.ts';

const base = mkdtempSync(join(tmpdir(), 'hearth-readonly-'));
const source = join(base, 'source');
const readOnly = join(base, 'read-only');
mkdirSync(source);
mkdirSync(readOnly);
// A history written while the disk was still writable.
const earlier = openHistory(join(source, 'with-history')).store;
earlier.append([{ id: 'm1', clientId: 'client-earlier-000001', from: { id: 'earlier00001', name: 'Earlier' }, text: 'from before', ts: 1_700_000_000_000, kind: 'text' }]);
earlier.close();
mkdirSync(join(source, 'rooms'));

const canMount = (() => {
  try {
    execFileSync('mount', ['--bind', source, readOnly], { stdio: 'ignore' });
    execFileSync('mount', ['-o', 'remount,bind,ro', readOnly], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!canMount) console.log('skipped: cannot make a read-only bind mount (needs root)');

afterAll(() => {
  if (canMount) execFileSync('umount', ['-l', readOnly], { stdio: 'ignore' });
  rmSync(base, { recursive: true, force: true });
});

for (const [what, folder] of [
  ['a new history', 'new-room'],
  ['an existing history', 'with-history'],
] as const) {
  it.skipIf(!canMount)(`hearth host refuses ${what} on a read-only disk, saying why and what to do`, async () => {
    const host = new Proc(['host', '--no-mdns', '--port', '0', '--data', join(readOnly, folder)]);
    expect(await host.exit).toBe(1);
    const said = host.errLines.join('\n');
    expect(said).toContain(`cannot keep history in ${join(readOnly, folder)}`);
    expect(said).toMatch(/is on a read-only file system/);
    expect(said).toMatch(/--data.*--store memory/);
    expect(host.lines.join('\n')).not.toMatch(/listening|On this machine/);
  });
}

it.skipIf(!canMount)('the desktop app starts on a read-only disk, keeps settings in memory, and refuses to host with a sentence', async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const services = new AppServices({ dataDir: readOnly, mdns: false, defaultPort: 0 });
  try {
    const renamed = await services.handlers['settings:update']({ displayName: 'Reader' });
    expect(renamed.ok && renamed.value.displayName).toBe('Reader');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/cannot save settings .*read-only file system.*until Hearth quits/);
    const hosted = await services.handlers['host:start']({ room: 'Read only' });
    expect(hosted).toEqual({ ok: false, error: `Cannot keep this room's history: ${join(readOnly, 'rooms')} is on a read-only file system.` });
  } finally {
    await services.shutdown();
    warn.mockRestore();
  }
});
