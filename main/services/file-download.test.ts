import { afterEach, describe, expect, it } from 'vitest';
import { downloadPath } from '../../common/files.ts';
import { tempDir } from '../../test/support/host.ts';
import { roomFileUrl } from './file-download.ts';
import { AppServices } from './services.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('the desktop app saving a room file', () => {
  it('takes a room file download URL, over https or plain http', () => {
    const path = downloadPath(42, 'u1.abc-_');
    expect(roomFileUrl(`https://192.168.1.20:47800${path}`)).toEqual({ ok: true, url: `https://192.168.1.20:47800${path}` });
    expect(roomFileUrl(`http://kitchen.local:47800${path}`)).toEqual({ ok: true, url: `http://kitchen.local:47800${path}` });
  });

  it('refuses anything else with one sentence', () => {
    const refused = { ok: false, error: 'That is not a link to a file in a room.' };
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'app://hearth/files/1?t=x',
      'https://192.168.1.20:47800/files/uploads/abc?t=x',
      'https://192.168.1.20:47800/files/1/../../x?t=x',
      'https://192.168.1.20:47800/health',
      'https://192.168.1.20:47800/files/1',
      'https://192.168.1.20:47800/files/1?t=',
      'https://192.168.1.20:47800/files/1?t=x&inline=1',
      'https://me:pw@192.168.1.20:47800/files/1?t=x',
      'https://192.168.1.20:47800/files/1?t=x#frag',
      `https://192.168.1.20:47800/files/1?t=${'x'.repeat(3000)}`,
      'not a url',
      42,
      undefined,
    ]) {
      expect(roomFileUrl(url)).toEqual(refused);
    }
  });

  it('hands a checked URL to the shell, and nothing else (the file:download call)', async () => {
    const dir = tempDir();
    const services = new AppServices({ dataDir: dir.path, mdns: false, defaultPort: 0 });
    cleanups.push(() => dir.remove(), () => services.shutdown());
    const asked: string[] = [];
    services.on('download-file', (url) => asked.push(url));
    const good = `https://192.168.1.20:47800${downloadPath(7, 'u.t')}`;
    expect(await services.handlers['file:download']({ url: good })).toEqual({ ok: true, value: null });
    expect(await services.handlers['file:download']({ url: 'file:///etc/passwd' })).toEqual({ ok: false, error: 'That is not a link to a file in a room.' });
    expect(await services.handlers['file:download'](null as never)).toEqual({ ok: false, error: 'That is not a link to a file in a room.' });
    expect(asked).toEqual([good]);
  });
});
