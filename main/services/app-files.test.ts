import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DESKTOP_CSP } from '../../common/csp.ts';
import { APP_RESPONSE_HEADERS, locateAppFile, resolveAppFile } from './app-files.ts';

const root = resolve('/srv/hearth-renderer');

describe('app://hearth/', () => {
  it('serves index.html at the root and files by their path', () => {
    expect(resolveAppFile(root, 'app://hearth/')).toEqual({ file: join(root, 'index.html') });
    expect(resolveAppFile(root, 'app://hearth/dashboard.html')).toEqual({ file: join(root, 'dashboard.html') });
    expect(resolveAppFile(root, 'app://hearth/assets/index-abc.js?x=1#top')).toEqual({ file: join(root, 'assets/index-abc.js') });
  });

  it('serves nothing outside the renderer folder, however the path is spelled', () => {
    for (const url of [
      'app://hearth/../../etc/passwd',
      'app://hearth/%2e%2e/%2e%2e/etc/passwd',
      'app://hearth/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
      'app://hearth/assets/..%2f..%2f..%2fetc/passwd',
      'app://hearth/..%5c..%5cetc%5cpasswd',
    ]) {
      const target = resolveAppFile(root, url);
      if ('file' in target) expect(target.file.startsWith(root + '/')).toBe(true);
      else expect(target.status).toBe(404);
    }
    // The URL parser folds "../" and "%2e%2e/" away; an escaped slash survives it and is refused.
    expect(resolveAppFile(root, 'app://hearth/assets/..%2f..%2f..%2fetc/passwd')).toEqual({ status: 404, body: 'Not found' });
  });

  it('refuses other hosts, broken escapes and NUL bytes', () => {
    expect(resolveAppFile(root, 'app://elsewhere/index.html')).toEqual({ status: 404, body: 'Not found' });
    expect(resolveAppFile(root, 'app://hearth/%E0%A4%A')).toEqual({ status: 400, body: 'Bad request' });
    expect(resolveAppFile(root, 'app://hearth/index.html%00.png')).toEqual({ status: 400, body: 'Bad request' });
  });

  it('sends the desktop CSP and nosniff with every response', () => {
    expect(APP_RESPONSE_HEADERS).toEqual({ 'Content-Security-Policy': DESKTOP_CSP, 'X-Content-Type-Options': 'nosniff' });
  });

  it('puts the same policy in every page, for a page opened any other way', () => {
    // A <meta> policy cannot carry frame-ancestors; everything else must match the header's.
    const expected = DESKTOP_CSP.split('; ').filter((d) => !d.startsWith('frame-ancestors')).sort();
    const pages = readdirSync('renderer').filter((f) => f.endsWith('.html'));
    expect(pages.sort()).toEqual(['dashboard.html', 'index.html']);
    for (const page of pages) {
      const html = readFileSync(join('renderer', page), 'utf8');
      const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
      expect(meta, `${page} has a CSP meta`).not.toBeNull();
      expect(meta![1]!.split('; ').sort(), page).toEqual(expected);
    }
  });
});

describe('app://hearth/ on disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-renderer-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html>');
  writeFileSync(join(dir, 'assets', 'app.js'), '');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers a file that is there', async () => {
    expect(await locateAppFile(dir, 'app://hearth/')).toEqual({ file: join(dir, 'index.html') });
    expect(await locateAppFile(dir, 'app://hearth/assets/app.js')).toEqual({ file: join(dir, 'assets', 'app.js') });
  });

  it('answers 404, not an error, for a missing file, a folder, or a path through a file', async () => {
    for (const url of ['app://hearth/missing.js', 'app://hearth/assets/', 'app://hearth/assets', 'app://hearth/index.html/x']) {
      expect(await locateAppFile(dir, url), url).toEqual({ status: 404, body: 'Not found' });
    }
    expect(await locateAppFile(dir, 'app://hearth/%E0%A4%A')).toEqual({ status: 400, body: 'Bad request' });
  });
});
