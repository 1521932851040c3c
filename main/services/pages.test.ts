import { describe, expect, it } from 'vitest';
import { devServerOrigin, pageUrl } from './pages.ts';

describe('where the windows’ pages come from', () => {
  it('uses the dev server only when the app is not packaged', () => {
    expect(devServerOrigin({ packaged: false, devServerUrl: 'http://localhost:5173' })).toBe('http://localhost:5173');
    expect(devServerOrigin({ packaged: true, devServerUrl: 'http://localhost:5173' })).toBeUndefined();
    expect(devServerOrigin({ packaged: false, devServerUrl: undefined })).toBeUndefined();
    expect(devServerOrigin({ packaged: false, devServerUrl: '' })).toBeUndefined();
  });

  it('takes only the origin of an http(s) URL, and nothing that is not one', () => {
    expect(devServerOrigin({ packaged: false, devServerUrl: 'https://127.0.0.1:5173/some/path?q' })).toBe('https://127.0.0.1:5173');
    for (const devServerUrl of ['file:///tmp/index.html', 'javascript:alert(1)', 'app://hearth', 'localhost:5173', 'not a url']) {
      expect(devServerOrigin({ packaged: false, devServerUrl }), devServerUrl).toBeUndefined();
    }
  });

  it('loads app://hearth/ pages unless a dev server is in use', () => {
    expect(pageUrl('index.html', undefined)).toBe('app://hearth/index.html');
    expect(pageUrl('dashboard.html', undefined)).toBe('app://hearth/dashboard.html');
    expect(pageUrl('dashboard.html', 'http://localhost:5173')).toBe('http://localhost:5173/dashboard.html');
  });
});
