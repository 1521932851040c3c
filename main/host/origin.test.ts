import { hostname, networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createOriginCheck, isOwnOrigin } from './origin.ts';

const check = (extra: string[] = [], names: string[] = []) => createOriginCheck({ port: () => 47800, extra, hostNames: () => names });

describe('which pages may open a WebSocket', () => {
  it('allows clients without Origin, the desktop app and this host\'s own page', () => {
    const origins = check();
    expect(origins.allows(undefined)).toBe(true);
    expect(origins.allows('app://hearth')).toBe(true);
    expect(origins.allows('http://127.0.0.1:47800')).toBe(true);
    expect(origins.allows('http://localhost:47800')).toBe(true);
    expect(origins.allows(`http://${hostname()}.local:47800`)).toBe(true);
    const lan = Object.values(networkInterfaces()).flat().find((a) => a?.family === 'IPv4' && !a.internal);
    if (lan) expect(origins.allows(`http://${lan.address}:47800`)).toBe(true);
  });

  it('refuses a rebinding name, another port, another host and odd spellings', () => {
    const origins = check();
    expect(origins.allows('http://evil.example:47800')).toBe(false); // DNS rebinding: the name points here, but it is not ours
    expect(origins.allows('http://127.0.0.1:5173')).toBe(false); // another server on this machine
    expect(origins.allows('http://192.0.2.44:47800')).toBe(false); // someone else's host
    expect(origins.allows('null')).toBe(false);
    expect(origins.allows('http://127.0.0.1:47800/path')).toBe(false);
    expect(origins.allows('ftp://127.0.0.1:47800')).toBe(false);
    expect(isOwnOrigin('http://user@127.0.0.1:47800', 47800, [])).toBe(false);
  });

  it('takes extra names (the advertised mDNS name) and extra origins with a port wildcard, nothing looser', () => {
    expect(check([], ['Kitchen-2.local.']).allows('http://kitchen-2.local:47800')).toBe(true);
    const dev = check(['http://127.0.0.1:*', 'https://x.example']);
    expect(dev.allows('http://127.0.0.1:5173')).toBe(true);
    expect(dev.allows('http://127.0.0.1:5173.evil.example')).toBe(false);
    expect(dev.allows('http://127.0.0.10:80')).toBe(false);
    expect(dev.allows('https://x.example')).toBe(true);
  });

  it('lets only the app and the extra pages read across origins', () => {
    const origins = check(['http://127.0.0.1:*']);
    expect(origins.allowsCrossOrigin('app://hearth')).toBe(true);
    expect(origins.allowsCrossOrigin('http://127.0.0.1:5173')).toBe(true);
    expect(origins.allowsCrossOrigin('http://evil.example:47800')).toBe(false);
    // The host's own page is same-origin: it needs no CORS header.
    expect(check().allowsCrossOrigin('http://127.0.0.1:47800')).toBe(false);
  });
});
