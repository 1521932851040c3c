import { describe, expect, it } from 'vitest';
import { isAllowedPermission, isExternalWebLink, isTrustedSender } from './trust.ts';

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

  it('allows notifications and nothing else', () => {
    expect(isAllowedPermission('notifications')).toBe(true);
    for (const p of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen']) expect(isAllowedPermission(p)).toBe(false);
  });
});
