import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/host.ts';
import { loadOrCreateIdentity, type LoadedIdentity } from '../host/identity.ts';
import { devServerOrigin } from './pages.ts';
import { PinStore } from './pins.ts';
import { certificateVerdict, isAllowedPermission, isExternalWebLink, isOurPage, isTrustedSender } from './trust.ts';

describe('desktop trust rules', () => {
  it('sends only plain http(s) links to the system browser', () => {
    expect(isExternalWebLink('https://example.org/menu')).toBe(true);
    expect(isExternalWebLink('http://192.168.1.7:47800/')).toBe(true);
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'app://hearth/index.html', 'smb://server/share', 'https://user:pw@example.org/', 'not a url', 'data:text/html,x']) {
      expect(isExternalWebLink(url), url).toBe(false);
    }
  });

  it('answers IPC only from the main frame of our own app:// window', () => {
    expect(isTrustedSender({ url: 'app://hearth/index.html', isMainFrame: true }, true)).toBe(true);
    expect(isTrustedSender({ url: 'app://hearth/index.html', isMainFrame: false }, true)).toBe(false);
    expect(isTrustedSender({ url: 'app://hearth/index.html', isMainFrame: true }, false)).toBe(false);
    expect(isTrustedSender({ url: 'http://192.168.1.7:47800/', isMainFrame: true }, true)).toBe(false);
    expect(isTrustedSender({ url: 'app://evil/index.html', isMainFrame: true }, true)).toBe(false);
    expect(isTrustedSender(null, true)).toBe(false);
  });

  it('answers the Vite dev server’s pages in a development run, and never in a packaged app', () => {
    const devServerUrl = 'http://localhost:5173';
    const dev = devServerOrigin({ packaged: false, devServerUrl });
    const packaged = devServerOrigin({ packaged: true, devServerUrl });
    const frame = { url: 'http://localhost:5173/dashboard.html', isMainFrame: true };
    expect(isTrustedSender(frame, true, dev)).toBe(true);
    expect(isTrustedSender(frame, true, packaged)).toBe(false);
    // Still only the main frame of our own window, and only that exact origin.
    expect(isTrustedSender({ ...frame, isMainFrame: false }, true, dev)).toBe(false);
    expect(isTrustedSender(frame, false, dev)).toBe(false);
    for (const url of ['http://localhost:5174/', 'https://localhost:5173/', 'http://127.0.0.1:5173/', 'http://localhost.evil.example:5173/', 'http://evil.example/?http://localhost:5173']) {
      expect(isOurPage(url, dev), url).toBe(false);
    }
    expect(isOurPage('app://hearth/index.html', dev)).toBe(true);
  });

  it('allows notifications and writing to the clipboard, nothing else', () => {
    expect(isAllowedPermission('notifications')).toBe(true);
    // navigator.clipboard.writeText ("Copy link") asks for this one.
    expect(isAllowedPermission('clipboard-sanitized-write')).toBe(true);
    for (const p of ['clipboard-read', 'deprecated-sync-clipboard-read', 'media', 'geolocation', 'openExternal', 'fullscreen', 'local-network-access', 'unknown']) {
      expect(isAllowedPermission(p), p).toBe(false);
    }
  });
});

describe('the renderer’s certificate check (certificateVerdict)', () => {
  const dir = tempDir('hearth-verdict-');
  let a: LoadedIdentity;
  let b: LoadedIdentity;
  beforeAll(async () => {
    a = await loadOrCreateIdentity(`${dir.path}/a`);
    b = await loadOrCreateIdentity(`${dir.path}/b`);
  });
  afterAll(() => dir.remove());

  it('accepts a pinned certificate, refuses another at a pinned host, and leaves hosts never pinned to Chromium', () => {
    const pins = new PinStore();
    pins.pin('192.168.1.7', a.fingerprint);
    expect(certificateVerdict('192.168.1.7', a.cert, pins)).toBe(0);
    expect(certificateVerdict('192.168.1.7', b.cert, pins)).toBe(-2);
    expect(certificateVerdict('192.168.1.8', a.cert, pins)).toBe(-3);
    expect(certificateVerdict('example.org', b.cert, pins)).toBe(-3);
  });

  it('accepts only the latest pin for a hostname: an identity trusted before cannot stand in for the one the proof is bound to', () => {
    const pins = new PinStore();
    pins.pin('laptop.local', a.fingerprint);
    pins.pin('laptop.local', b.fingerprint.toUpperCase());
    expect(certificateVerdict('laptop.local', a.cert, pins)).toBe(-2);
    expect(certificateVerdict('laptop.local', b.cert, pins)).toBe(0);
  });

  it('matches a hostname however Chromium or the renderer writes it', () => {
    const pins = new PinStore();
    pins.pin('fe80::1', a.fingerprint);
    pins.pin('[::1]', a.fingerprint);
    pins.pin('Laptop.Local', b.fingerprint);
    pins.pin('127.1', b.fingerprint);
    expect(certificateVerdict('[fe80::1]', a.cert, pins)).toBe(0);
    expect(certificateVerdict('fe80:0:0::1', a.cert, pins)).toBe(0);
    expect(certificateVerdict('::1', a.cert, pins)).toBe(0);
    expect(certificateVerdict('[0:0::1]', b.cert, pins)).toBe(-2);
    expect(certificateVerdict('laptop.local', b.cert, pins)).toBe(0);
    expect(certificateVerdict('127.0.0.1', b.cert, pins)).toBe(0);
  });

  it('refuses what is no certificate at a pinned host, and leaves it to Chromium elsewhere', () => {
    const pins = new PinStore();
    pins.pin('192.168.1.7', a.fingerprint);
    for (const pem of ['', 'not a certificate', a.key]) {
      expect(certificateVerdict('192.168.1.7', pem, pins), pem.slice(0, 20)).toBe(-2);
      expect(certificateVerdict('192.168.1.8', pem, pins), pem.slice(0, 20)).toBe(-3);
    }
  });
});
