// The network check end to end on this machine's loopback (addresses given in, so no test
// ever sends multicast on a real interface): a room, a stand-in when there is none, a port
// held by another program, another host's id, and Windows Firewall read from a recorded report.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../test/support/cli.ts';
import type { LocalAddress } from '../discovery/addresses.ts';
import { checkNetwork } from './network-check.ts';
import { AppServices } from '../services/services.ts';

const loopback: LocalAddress = { address: '127.0.0.1', family: 'IPv4', interface: 'lo', kind: 'lan', prefix: 8 };
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function serve(port: number, body: string): Promise<void> {
  const server = createServer((_req, res) => res.end(body));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
}

// macOS: no multicast route or link flags to read; its firewall command is answered as missing.
const base = { addresses: [loopback], discovery: false, platform: 'darwin' as const, timeoutMs: 1000, runCommand: async () => Promise.reject(new Error('not here')) };

describe('checkNetwork', () => {
  it('finds the room by its id on loopback and at each address', async () => {
    const port = await freePort();
    await serve(port, JSON.stringify({ app: 'hearth', id: 'abcdefghij12' }));
    const report = await checkNetwork({ ...base, port });
    expect(report.findings.find((f) => f.about === 'lo 127.0.0.1')).toMatchObject({ level: 'ok', text: `The room answers at http://127.0.0.1:${port}/.` });
    expect(report.blocking).toBe(false);
  });

  it('says when another Hearth host answers instead of this room', async () => {
    const port = await freePort();
    await serve(port, JSON.stringify({ app: 'hearth', id: 'otherhost123' }));
    const report = await checkNetwork({ ...base, port, hostId: 'ourhostid123' });
    expect(report.blocking).toBe(true);
    expect(report.findings.find((f) => f.level === 'blocking')?.text).toMatch(/^Another Hearth host, not this room, answers/);
  });

  it('with no room, listens with a stand-in and closes it after', async () => {
    const port = await freePort();
    const report = await checkNetwork({ ...base, port });
    expect(report.findings.find((f) => f.about === 'lo 127.0.0.1')?.text).toBe(`Port ${port} can be reached at http://127.0.0.1:${port}/ (no room is open: checked with a stand-in).`);
    // The port is free again.
    await serve(port, 'after');
  });

  it('a port held by another program blocks', async () => {
    const port = await freePort();
    await serve(port, 'not hearth');
    const report = await checkNetwork({ ...base, port });
    expect(report.findings[0]).toMatchObject({ level: 'blocking', text: `Another program, not a Hearth room, holds port ${port} on this machine.` });
  });

  it('Windows: reads the firewall with the recorded report of a Public Wi-Fi', async () => {
    const port = await freePort();
    await serve(port, JSON.stringify({ app: 'hearth', id: 'abcdefghij12' }));
    const recorded = readFileSync(new URL('./fixtures/network/windows-firewall-public-wifi.json', import.meta.url), 'utf8');
    const asked: Array<Record<string, string>> = [];
    const report = await checkNetwork({
      ...base,
      platform: 'win32',
      port,
      executable: 'C:\\Program Files\\Hearth\\Hearth.exe',
      runPowerShell: async (_script, env) => {
        asked.push(env);
        return recorded;
      },
    });
    expect(asked).toEqual([{ HEARTH_EXE: 'C:\\Program Files\\Hearth\\Hearth.exe' }]);
    const firewall = report.findings.filter((f) => f.about === 'Firewall');
    expect(firewall).toHaveLength(1);
    expect(firewall[0]?.level).toBe('blocking');
    expect(firewall[0]?.text).toMatch(/^Windows treats "Wi-Fi" as a Public network, and its firewall keeps people there from joining\. If you trust this network, make it Private/);
  });
});

describe("the hosting panel's call (host:check-network)", () => {
  it('checks the hosted room on its real port by its host id, and refuses when nothing is hosted', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hearth-check-'));
    const app = new AppServices({ dataDir, mdns: false, defaultPort: 0 });
    closers.push(async () => {
      await app.shutdown();
      rmSync(dataDir, { recursive: true, force: true });
    });
    expect(await app.handlers['host:check-network'](null)).toEqual({ ok: false, error: 'You are not hosting a room.' });
    const hosted = await app.handlers['host:start']({ room: 'Kitchen' });
    if (!hosted.ok) throw new Error(hosted.error);
    const result = await app.handlers['host:check-network'](null);
    if (!result.ok) throw new Error(result.error);
    expect(result.value.port).toBe(hosted.value.port);
    // Discovery off: said once, and nothing was sent by multicast.
    expect(result.value.findings.filter((f) => f.text.startsWith('Discovery is off'))).toHaveLength(1);
    expect(result.value.findings.some((f) => f.text.startsWith('Multicast'))).toBe(false);
    // Whatever addresses this machine has, the room is found at each of them, never a stand-in or another host.
    for (const address of hosted.value.addresses) {
      expect(result.value.findings).toContainEqual(expect.objectContaining({ level: 'ok', text: `The room answers at ${address.url}.` }));
    }
  });
});
