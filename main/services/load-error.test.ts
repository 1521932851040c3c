import { describe, expect, it } from 'vitest';
import { isWindowLoadFailure, loadErrorPage } from './load-error.ts';

function html(dataUrl: string): string {
  expect(dataUrl.startsWith('data:text/html;charset=utf-8,')).toBe(true);
  return decodeURIComponent(dataUrl.slice('data:text/html;charset=utf-8,'.length));
}

describe('a window whose page does not load', () => {
  it('counts failures of the main frame, not aborted loads (reloads, hot reload) or subframes', () => {
    expect(isWindowLoadFailure(-6, true)).toBe(true); // ERR_FILE_NOT_FOUND
    expect(isWindowLoadFailure(-102, true)).toBe(true); // ERR_CONNECTION_REFUSED (dev server down)
    expect(isWindowLoadFailure(-3, true)).toBe(false); // ERR_ABORTED
    expect(isWindowLoadFailure(-6, false)).toBe(false);
  });

  it('shows what failed and what to do: reinstall for app://, the dev server otherwise', () => {
    const installed = html(loadErrorPage({ url: 'app://hearth/index.html', errorCode: -6, description: 'ERR_FILE_NOT_FOUND' }));
    expect(installed).toContain('Reinstalling Hearth should fix it');
    expect(installed).toContain('app://hearth/index.html');
    expect(installed).toContain('ERR_FILE_NOT_FOUND (-6)');
    const dev = html(loadErrorPage({ url: 'http://localhost:5173/index.html', errorCode: -102, description: 'ERR_CONNECTION_REFUSED' }));
    expect(dev).toContain('npm run dev');
  });

  it('is inert: no script may run, nothing is fetched, and the text is escaped', () => {
    const page = html(loadErrorPage({ url: 'app://hearth/<img src=x onerror=alert(1)>', errorCode: -6, description: '<script>alert(1)</script>' }));
    expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(page).not.toMatch(/<script|<img/);
    expect(page).toContain('&#60;script&#62;');
  });
});
