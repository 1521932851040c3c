import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestHost, tempDir } from '../../test/support/host.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A raw GET, so paths reach the server exactly as written (fetch would normalise them). */
function get(port: number, path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function hostWithWebRoot() {
  const dir = tempDir();
  cleanups.push(() => dir.remove());
  const root = join(dir.path, 'web');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Hearth</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir.path, 'secret.txt'), 'do not serve');
  symlinkSync(join(dir.path, 'secret.txt'), join(root, 'link.txt'));
  const host = await startTestHost({ webRoot: root });
  cleanups.push(() => host.dispose());
  return host;
}

describe('the web client', () => {
  it('is served with a strict CSP that only allows talking to this host', async () => {
    const host = await hostWithWebRoot();
    const page = await get(host.port, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Hearth</title>');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.headers['content-security-policy']).toMatch(/connect-src 'self'(;|$)/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['x-frame-options']).toBe('DENY');
    const asset = await get(host.port, '/assets/app.js');
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toMatch(/immutable/);
  });

  it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%5csecret.txt', '/assets/..%252f..%252fsecret.txt', '/%00index.html', '/%E0%A4%A'])(
    'refuses traversal and junk: %s',
    async (path) => {
      const host = await hostWithWebRoot();
      const res = await get(host.port, path);
      expect([400, 404]).toContain(res.status);
      expect(res.body).not.toContain('do not serve');
    },
  );

  it('does not follow a symlink out of the web root', async () => {
    const host = await hostWithWebRoot();
    const res = await get(host.port, '/link.txt');
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('do not serve');
  });

  it('says so when the web client is not built', async () => {
    const host = await startTestHost();
    cleanups.push(() => host.dispose());
    const res = await get(host.port, '/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('This is a Hearth room');
    expect(res.body).not.toContain('<script');
  });
});
