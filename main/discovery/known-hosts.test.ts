import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/host.ts';
import { endpointOf, KnownHosts, MAX_KNOWN_HOSTS, normaliseEndpoint } from './known-hosts.ts';

const fp = (seed: string) => createHash('sha256').update(seed).digest('hex');
const dirs: Array<{ remove(): void }> = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
function fileIn(): string {
  const dir = tempDir('hearth-known-');
  dirs.push(dir);
  mkdirSync(join(dir.path, 'sub'));
  return join(dir.path, 'sub', 'known_hosts');
}

describe('KnownHosts', () => {
  it('remembers a fingerprint per endpoint across loads, in a readable owner-only file', () => {
    const file = fileIn();
    const hosts = new KnownHosts(file);
    expect(hosts.get('192.168.1.7:47800')).toBeUndefined();
    hosts.remember('192.168.1.7:47800', fp('a').toUpperCase(), new Date('2026-12-01T18:30:00Z'));
    hosts.remember('Laptop.Local:47801', fp('b'));
    const again = new KnownHosts(file);
    expect(again.get('192.168.1.7:47800')).toBe(fp('a'));
    expect(again.get('laptop.local:47801')).toBe(fp('b'));
    expect(readFileSync(file, 'utf8')).toContain(`192.168.1.7:47800 ${fp('a')} 2026-12-01T18:30:00.000Z\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('replaces a fingerprint deliberately and forgets on request', () => {
    const file = fileIn();
    const hosts = new KnownHosts(file);
    hosts.remember('10.0.0.2:47800', fp('a'));
    hosts.remember('10.0.0.2:47800', fp('b'));
    expect(new KnownHosts(file).get('10.0.0.2:47800')).toBe(fp('b'));
    hosts.forget('10.0.0.2:47800');
    expect(new KnownHosts(file).get('10.0.0.2:47800')).toBeUndefined();
  });

  it('skips damaged and hand-edited lines instead of refusing every join', () => {
    const file = fileIn();
    new KnownHosts(file).remember('10.0.0.9:1', fp('ok'));
    writeFileSync(file, `${readFileSync(file, 'utf8')}garbage\n10.0.0.3:47800 nothex\n10.0.0.4 ${fp('x')}\n\u0000\u202e:1 ${fp('y')}\n  10.0.0.5:47800   ${fp('z')}  \n`);
    const hosts = new KnownHosts(file);
    expect(hosts.get('10.0.0.9:1')).toBe(fp('ok'));
    expect(hosts.get('10.0.0.5:47800')).toBe(fp('z'));
    expect(hosts.size).toBe(2);
  });

  it('reads the file again when someone else changed it: a line deleted by hand stays deleted, another run\'s entry stays', () => {
    const file = fileIn();
    const app = new KnownHosts(file);
    app.remember('10.0.0.2:47800', fp('a'));
    app.remember('10.0.0.3:47800', fp('b'));
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^10\.0\.0\.2:.*\n/m, '')); // the person forgets 10.0.0.2
    new KnownHosts(file).remember('10.0.0.4:47800', fp('c')); // another `hearth join` on the same folder
    expect(app.get('10.0.0.2:47800')).toBeUndefined();
    app.remember('10.0.0.5:47800', fp('d'));
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('10.0.0.2:47800');
    for (const kept of ['10.0.0.3:47800', '10.0.0.4:47800', '10.0.0.5:47800']) expect(text).toContain(kept);
  });

  it('keeps any host name a URL leaves, and refuses an endpoint it could not read back', () => {
    const file = fileIn();
    const hosts = new KnownHosts(file);
    hosts.remember('a~b.lan:47800', fp('a'));
    hosts.remember('[fe80::1%eth0]:47800', fp('b'));
    expect(new KnownHosts(file).get('a~b.lan:47800')).toBe(fp('a'));
    expect(new KnownHosts(file).get('[fe80::1%eth0]:47800')).toBe(fp('b'));
    for (const bad of ['#x:1', 'a b:1', 'host', 'x:1\ny:2', '\u202ex:1']) expect(() => hosts.remember(bad, fp('c')), JSON.stringify(bad)).toThrow(/known_hosts can keep/);
  });

  it('refuses to remember what is not a fingerprint', () => {
    expect(() => new KnownHosts(fileIn()).remember('10.0.0.2:47800', 'abc')).toThrow(/SHA-256/);
  });

  it('keeps at most MAX_KNOWN_HOSTS, dropping the oldest', () => {
    const file = fileIn();
    const lines = Array.from({ length: MAX_KNOWN_HOSTS }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:47800 ${fp('f')} x\n`);
    writeFileSync(file, lines.join(''));
    const hosts = new KnownHosts(file);
    hosts.remember('192.168.9.9:47800', fp('new'));
    expect(hosts.size).toBe(MAX_KNOWN_HOSTS);
    expect(hosts.get('10.0.0.0:47800')).toBeUndefined();
    expect(hosts.get('10.0.0.1:47800')).toBe(fp('f'));
  });
});

describe('endpoints', () => {
  it('brackets IPv6 and lowercases names', () => {
    expect(endpointOf('fd00::2', 47800)).toBe('[fd00::2]:47800');
    expect(endpointOf('Laptop.LOCAL', 47800)).toBe('laptop.local:47800');
    expect(normaliseEndpoint('[FD00::2]:47800')).toBe('[fd00::2]:47800');
  });
});
