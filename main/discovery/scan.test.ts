// Scanning a subnet for rooms: which addresses, and the bounds (in flight, per second, the
// deadline) checked against real servers on 127.0.0.x (loopback only; Linux routes all of
// 127.0.0.0/8 to lo, so each address is a "machine" without touching any network).
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestHost, tempDir } from '../../test/support/host.ts';
import { loadOrCreateIdentity } from '../host/identity.ts';
import type { LocalAddress } from './addresses.ts';
import { rememberedTargets, scanNetwork, scanRange, scanRanges } from './scan.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function listen(server: HttpServer | TcpServer, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

function close(server: HttpServer | TcpServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** An HTTP server at `host` answering /health with `body`, on `port` (0: any). */
async function healthServer(host: string, port: number, body: object): Promise<number> {
  const server = createHttpServer((req, res) => {
    res.writeHead(req.url === '/health' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  const bound = await listen(server, host, port);
  cleanups.push(() => close(server));
  return bound;
}

/**
 * A machine at every address of 127.0.0.0/24. Silent ones accept and never answer; slow
 * ones answer 404 after `answerAfterMs`. `waiting` counts connections not yet answered:
 * a slow machine answers before the client may start another request, so its peak is the
 * scan's peak in flight.
 */
async function subnetOfMachines(answerAfterMs?: number) {
  const sockets = new Set<Socket>();
  let waiting = 0;
  let peak = 0;
  let longestMs = 0;
  const servers: TcpServer[] = [];
  const make = () => {
    const server = createTcpServer((socket) => {
      const since = performance.now();
      sockets.add(socket);
      peak = Math.max(peak, ++waiting);
      socket.on('error', () => {});
      // Read (and drop) the request, or the client's FIN would wait behind it unseen.
      socket.resume();
      const answer =
        answerAfterMs === undefined
          ? undefined
          : setTimeout(() => {
              waiting--;
              socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
            }, answerAfterMs);
      socket.on('close', () => {
        if (answer) clearTimeout(answer);
        if (answerAfterMs === undefined) waiting--;
        sockets.delete(socket);
        longestMs = Math.max(longestMs, performance.now() - since);
      });
    });
    servers.push(server);
    return server;
  };
  const port = await listen(make(), '127.0.0.2', 0);
  for (let octet = 3; octet <= 254; octet++) await listen(make(), `127.0.0.${octet}`, port);
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all(servers.map(close));
  });
  return { port, open: () => sockets.size, peak: () => peak, longestMs: () => longestMs };
}

describe('the addresses a scan asks', () => {
  it('asks a /24 around the address, nearest first, never our own, the network or the broadcast address', () => {
    const range = scanRange('192.168.1.7', 24)!;
    expect(range.cidr).toBe('192.168.1.0/24');
    expect(range.hosts).toHaveLength(253);
    expect(range.hosts.slice(0, 4)).toEqual(['192.168.1.6', '192.168.1.8', '192.168.1.5', '192.168.1.9']);
    for (const skipped of ['192.168.1.0', '192.168.1.7', '192.168.1.255']) expect(range.hosts).not.toContain(skipped);
  });

  it('takes a wider prefix up to a /22, and a whole /24 for a narrower one', () => {
    const wide = scanRange('10.1.5.7', 16)!;
    expect(wide.cidr).toBe('10.1.4.0/22');
    expect(wide.hosts).toHaveLength(1021);
    expect(wide.hosts).toContain('10.1.4.1');
    expect(wide.hosts).toContain('10.1.7.254');
    expect(wide.hosts).not.toContain('10.1.8.1');
    expect(scanRange('10.1.5.7', 23)!.cidr).toBe('10.1.4.0/23');
    expect(scanRange('10.1.5.7', 30)!.cidr).toBe('10.1.5.0/24');
    expect(scanRange('fd00::1', 64)).toBeUndefined();
  });

  it('leaves container bridges out unless named, and scans a shared subnet once', () => {
    const addresses: LocalAddress[] = [
      { address: '192.168.1.7', family: 'IPv4', interface: 'wlan0', kind: 'lan', prefix: 24 },
      { address: '192.168.1.9', family: 'IPv4', interface: 'eth0', kind: 'lan', prefix: 24 },
      { address: '172.17.0.1', family: 'IPv4', interface: 'docker0', kind: 'virtual', prefix: 16, label: 'container bridge' },
      { address: '10.147.17.3', family: 'IPv4', interface: 'ztabc', kind: 'virtual', prefix: 24, label: 'ZeroTier network' },
    ];
    const ranges = scanRanges(['192.168.1.7', '192.168.1.9', '172.17.0.1', '10.147.17.3'], false, addresses);
    expect(ranges.map((r) => r.cidr)).toEqual(['192.168.1.0/24', '10.147.17.0/24']);
    expect(ranges[0]!.hosts).toHaveLength(252);
    expect(ranges[0]!.hosts).not.toContain('192.168.1.9');
    expect(scanRanges(['172.17.0.1'], true, addresses).map((r) => r.cidr)).toEqual(['172.17.0.0/22']);
  });
});

describe('the rooms joined before', () => {
  it('are asked by IPv4 address, narrowed by HEARTH_MDNS_ONLY like the interfaces (loopback always)', () => {
    const recent = ['192.168.1.7:47800', 'http://10.231.5.2:47999/', 'kitchen.local:47800', '127.0.0.1:5000', 'not an address'];
    expect(rememberedTargets(recent, {})).toEqual([
      { address: '192.168.1.7', port: 47800 },
      { address: '10.231.5.2', port: 47999 },
      { address: '127.0.0.1', port: 5000 },
    ]);
    expect(rememberedTargets(recent, { HEARTH_MDNS_ONLY: '10.231.' })).toEqual([
      { address: '10.231.5.2', port: 47999 },
      { address: '127.0.0.1', port: 5000 },
    ]);
  });
});

describe('a scan on loopback', () => {
  it('finds the Hearth hosts that name an id, and nothing else', async () => {
    const port = await healthServer('127.0.0.2', 0, { ok: true, app: 'hearth', id: 'abcd1234', room: 'Kitchen', version: 1, members: 2, passwordRequired: true });
    await healthServer('127.0.0.3', port, { app: 'something-else', id: 'zzzz9999' });
    await healthServer('127.0.0.4', port, { app: 'hearth', room: 'Old host without an id', version: 1 });
    const seen: string[] = [];
    const report = await scanNetwork({
      ranges: [scanRange('127.0.0.1', 24)!],
      ports: [port],
      targets: [{ address: '127.0.0.2', port }],
      limits: { perSecond: 2000 },
      onHit: (hit) => seen.push(hit.address),
    });
    expect(report.subnets).toEqual(['127.0.0.0/24']);
    // The remembered target is the same address: asked once.
    expect(report.planned).toBe(253);
    expect(report.asked).toBe(253);
    expect(report.hits).toEqual([{ address: '127.0.0.2', port, health: { id: 'abcd1234', room: 'Kitchen', version: 1, members: 2, passwordRequired: true } }]);
    expect(seen).toEqual(['127.0.0.2']);
  });

  it('carries the proof of a host that serves its own certificate (issue #16)', async () => {
    const dir = tempDir('hearth-scan-id-');
    cleanups.push(async () => dir.remove());
    const identity = await loadOrCreateIdentity(dir.path);
    const host = await startTestHost({ bind: '127.0.0.5', tls: { key: identity.key, cert: identity.cert }, hostId: identity.hostId });
    cleanups.push(() => host.dispose());
    const report = await scanNetwork({ ranges: [], targets: [{ address: '127.0.0.5', port: host.port }] });
    expect(report.hits).toEqual([{ address: '127.0.0.5', port: host.port, health: expect.objectContaining({ id: identity.hostId, provenId: identity.hostId }) }]);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const subnet = await subnetOfMachines(100);
    const report = await scanNetwork({
      ranges: [scanRange('127.0.0.1', 24)!],
      ports: [subnet.port],
      limits: { concurrency: 16, perSecond: 10_000, deadlineMs: 20_000 },
    });
    expect(report.asked).toBe(253);
    expect(subnet.peak()).toBeLessThanOrEqual(16);
    expect(subnet.peak()).toBeGreaterThanOrEqual(8);
  });

  it('gives each address its timeout, ends by the deadline and leaves nothing open', async () => {
    const subnet = await subnetOfMachines();
    const started = performance.now();
    const report = await scanNetwork({
      ranges: [scanRange('127.0.0.1', 24)!],
      ports: [subnet.port],
      limits: { concurrency: 16, timeoutMs: 300, perSecond: 10_000, deadlineMs: 1000 },
    });
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(950);
    expect(took).toBeLessThan(2500); // the deadline, with room for a loaded machine
    // About 16 per 300 ms for 1 s: far from all 253, and the report says how far it got.
    expect(report.asked).toBeGreaterThan(16);
    expect(report.asked).toBeLessThan(report.planned);
    expect(report.hits).toEqual([]);
    await expect.poll(() => subnet.open(), { timeout: 1000 }).toBe(0);
    expect(subnet.longestMs()).toBeLessThan(1000);
  });

  it('starts at most `perSecond` requests a second, however fast addresses refuse', async () => {
    // Nothing listens on this port anywhere on 127.0.0.0/24: every request is refused at once.
    const free = createTcpServer();
    const port = await listen(free, '127.0.0.1', 0);
    await close(free);
    const report = await scanNetwork({ ranges: [scanRange('127.0.0.1', 24)!], ports: [port], limits: { perSecond: 50, deadlineMs: 1000 } });
    expect(report.asked).toBeGreaterThanOrEqual(30);
    expect(report.asked).toBeLessThanOrEqual(52);
  });

  it('stops when asked to, with nothing left in flight', async () => {
    const subnet = await subnetOfMachines();
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 200);
    const started = performance.now();
    await scanNetwork({ ranges: [scanRange('127.0.0.1', 24)!], ports: [subnet.port], limits: { timeoutMs: 5000 }, signal: abort.signal });
    expect(performance.now() - started).toBeLessThan(1500);
    expect(subnet.peak()).toBeGreaterThan(0);
    await expect.poll(() => subnet.open(), { timeout: 1000 }).toBe(0);
  });
});
