// Attack 5: DNS rebinding. A page on evil.example re-points its own name at 127.0.0.1 (or
// a LAN address); the browser then sends `Origin: http://evil.example:PORT` together with
// `Host: evil.example:PORT`. "The origin is the host's own" must not mean "the origin
// matches whatever Host says". And /health is readable by the desktop app, not by any page.
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost } from '../support/host.ts';

type TestHost = Awaited<ReturnType<typeof startTestHost>>;
let host: TestHost;
const allowedBefore = process.env['HEARTH_ALLOWED_ORIGINS'];

beforeAll(async () => {
  // Nothing extra allowed (the Playwright config allows http://127.0.0.1:*): only the rules.
  delete process.env['HEARTH_ALLOWED_ORIGINS'];
  host = await startTestHost();
});
afterAll(async () => {
  await host?.dispose();
  if (allowedBefore !== undefined) process.env['HEARTH_ALLOWED_ORIGINS'] = allowedBefore;
});

/** The status of a WebSocket upgrade sent with exactly these Host and Origin headers. */
function upgradeStatus(hostHeader: string, origin?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(host.port, '127.0.0.1');
    let answer = '';
    const timer = setTimeout(() => (socket.destroy(), reject(new Error(`no answer to the upgrade (${answer.slice(0, 80)})`))), 5000);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      answer += chunk;
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (status) {
        clearTimeout(timer);
        socket.destroy();
        resolve(Number(status[1]));
      }
    });
    socket.on('error', () => {});
    socket.write(
      [
        'GET /ws HTTP/1.1',
        `Host: ${hostHeader}`,
        ...(origin !== undefined ? [`Origin: ${origin}`] : []),
        'Upgrade: websocket',
        'Connection: Upgrade',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        'Sec-WebSocket-Version: 13',
        '',
        '',
      ].join('\r\n'),
    );
  });
}

function health(origin?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path: '/health', headers: origin ? { origin } : {} }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('a web page elsewhere cannot reach the room through DNS rebinding', () => {
  it('refuses a WebSocket from a rebound name even when Origin and Host agree', async () => {
    const evil = `evil.example:${host.port}`;
    expect.soft(await upgradeStatus(evil, `http://${evil}`), 'Origin http://evil.example:PORT, Host evil.example:PORT').toBe(403);
    expect.soft(await upgradeStatus(`127.0.0.1:${host.port}`, `http://${evil}`), 'Origin http://evil.example:PORT, Host 127.0.0.1:PORT').toBe(403);
  });

  it('still accepts its own page, the desktop app and clients that are not browsers', async () => {
    const self = `127.0.0.1:${host.port}`;
    expect.soft(await upgradeStatus(self, `http://${self}`), 'its own page').toBe(101);
    expect.soft(await upgradeStatus(self), 'no Origin (the CLI)').toBe(101);
    expect.soft(await upgradeStatus(self, 'app://hearth'), 'the desktop app').toBe(101);
  });

  it('lets the desktop app read /health, and no page anywhere', async () => {
    const plain = await health();
    expect(plain.status).toBe(200);
    expect.soft(plain.headers['access-control-allow-origin'], '/health without Origin: access-control-allow-origin').not.toBe('*');

    const app = await health('app://hearth');
    expect.soft(app.headers['access-control-allow-origin'], '/health from app://hearth: access-control-allow-origin').toBe('app://hearth');
    expect.soft(String(app.headers['vary'] ?? '').toLowerCase(), '/health from app://hearth: vary').toMatch(/\borigin\b/);

    const evil = await health(`http://evil.example:${host.port}`);
    expect.soft(evil.headers['access-control-allow-origin'], '/health from evil.example: access-control-allow-origin').toBeUndefined();
  });
});
