// AppServices' hostWarnings hook (how the Windows firewall check reaches the hosting
// panel): asked once a room is open, on the room's real port; its sentences arrive as
// HostingInfo.warnings through host:changed; it never delays or fails hosting.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HostingInfo } from '../../common/ipc.ts';
import { AppServices } from './services.ts';

const dirs: string[] = [];
const services: AppServices[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.shutdown()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function start(hostWarnings: (port: number) => Promise<string[]>, log?: (line: string) => void) {
  const dataDir = mkdtempSync(join(tmpdir(), 'hearth-warnings-'));
  dirs.push(dataDir);
  const app = new AppServices({ dataDir, mdns: false, defaultPort: 0, hostWarnings, ...(log && { log }) });
  services.push(app);
  const changes: Array<HostingInfo | null> = [];
  app.on('host:changed', (info) => changes.push(info && structuredClone(info)));
  return { app, changes };
}

describe('hosting warnings', () => {
  it('reach the hosting info after the room is open, checked on its real port', async () => {
    const check = vi.fn(async (port: number) => [`Windows Firewall has no rule for port ${port}.`]);
    const { app, changes } = start(check);
    const result = await app.handlers['host:start']({ room: 'Kitchen' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    await vi.waitFor(() => expect(changes.at(-1)?.warnings).toBeDefined());
    expect(check).toHaveBeenCalledWith(result.value.port);
    expect(changes.at(-1)?.warnings).toEqual([`Windows Firewall has no rule for port ${result.value.port}.`]);
    const status = await app.handlers['host:status'](null);
    expect(status.ok && status.value?.warnings).toEqual([`Windows Firewall has no rule for port ${result.value.port}.`]);
  });

  it('leave the info alone when there is nothing to say, or the check fails', async () => {
    const lines: string[] = [];
    const { app, changes } = start(async () => Promise.reject(new Error('powershell.exe missing')), (line) => lines.push(line));
    const result = await app.handlers['host:start']({ room: 'Kitchen' });
    expect(result.ok).toBe(true);
    await vi.waitFor(() => expect(lines.some((l) => l.includes('powershell.exe missing'))).toBe(true));
    expect(changes.every((info) => info?.warnings === undefined)).toBe(true);
  });

  it('are dropped when hosting stopped before the check answered', async () => {
    let answer!: (warnings: string[]) => void;
    const { app, changes } = start(() => new Promise((resolve) => (answer = resolve)));
    await app.handlers['host:start']({ room: 'Kitchen' });
    await app.handlers['host:stop'](null);
    answer(['too late']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(changes.at(-1)).toBeNull();
  });
});
