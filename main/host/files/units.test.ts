// The files service's small parts on their own: shown names, recognised types, tokens, the
// space budget.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsPerTest } from '../../../test/support/host.ts';
import { displayFileName, MAX_FILE_NAME_CHARS } from './file-name.ts';
import { recognise, servableType } from './recognise.ts';
import { BlobStorage, DEFAULT_QUOTA_BYTES } from './storage.ts';
import { createFileTokens } from './tokens.ts';

const tempDir = tempDirsPerTest('hearth-files-unit-');

describe('displayFileName', () => {
  it('keeps the text, drops what would make it lie or break its line', () => {
    expect(displayFileName('../../etc/passwd')).toBe('../../etc/passwd');
    expect(displayFileName('C:\\Windows\\x.dll')).toBe('C:\\Windows\\x.dll');
    expect(displayFileName('a\u0000b')).toBe('ab');
    expect(displayFileName('line\r\nbreak.txt')).toBe('line break.txt');
    expect(displayFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(displayFileName('\u2066isolate\u2069.txt')).toBe('isolate.txt');
    expect(displayFileName('  spaced  ')).toBe('spaced');
    expect(displayFileName('\u0000\u202E')).toBe('file');
    expect(displayFileName('')).toBe('file');
    expect(displayFileName('👩‍👩‍👧 family.jpg')).toBe('👩‍👩‍👧 family.jpg');
  });

  it('shortens to 255 characters, keeping the extension, never splitting a character', () => {
    const long = displayFileName(`${'🔥'.repeat(300)}.tar.gz`);
    expect(Array.from(long)).toHaveLength(MAX_FILE_NAME_CHARS);
    expect(long.endsWith('🔥….gz')).toBe(true);
    expect(long).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(Array.from(displayFileName('x'.repeat(400)))).toHaveLength(MAX_FILE_NAME_CHARS);
  });
});

describe('recognise', () => {
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  const gif = Buffer.from('R0lGODlhAgADAIAAAP///wAAACH5BAEAAAAALAAAAAACAAMAAAIChF8AOw==', 'base64');

  it('makes images only of what the bytes say is PNG, JPEG, GIF or WebP', () => {
    expect(recognise(png, 'application/octet-stream')).toEqual({ type: 'image/png', image: { width: 1, height: 1 } });
    expect(recognise(gif, '')).toEqual({ type: 'image/gif', image: { width: 2, height: 3 } });
    expect(recognise(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'), 'image/svg+xml')).toEqual({ type: 'application/octet-stream' });
    expect(recognise(Buffer.from('GIF89a'), 'image/gif')).toEqual({ type: 'application/octet-stream' });
    expect(recognise(png.subarray(0, 10), 'image/png')).toEqual({ type: 'application/octet-stream' });
  });

  it('keeps a declared passive type, never an active one', () => {
    expect(recognise(Buffer.from('%PDF-1.7'), 'application/pdf').type).toBe('application/pdf');
    expect(recognise(Buffer.from('x'), 'video/mp4').type).toBe('video/mp4');
    expect(recognise(Buffer.from('x'), 'Text/Plain; charset=utf-8').type).toBe('text/plain');
    for (const active of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/javascript', 'application/xml', 'text/xml', 'nonsense']) {
      expect(recognise(Buffer.from('x'), active).type).toBe('application/octet-stream');
    }
    expect(servableType('text/html')).toBe('application/octet-stream');
    expect(servableType('image/png')).toBe('image/png');
  });
});

describe('file tokens', () => {
  it('name their member and cannot be forged or carried to another host process', () => {
    const tokens = createFileTokens();
    const token = tokens.tokenFor('AbC-123_xyz0', 'upload');
    expect(tokens.userIdOf(token, 'upload')).toBe('AbC-123_xyz0');
    expect(tokens.userIdOf(token.replace('AbC', 'XbC'), 'upload')).toBeUndefined();
    expect(tokens.userIdOf(`${token.slice(0, -2)}AA`, 'upload')).toBeUndefined();
    expect(tokens.userIdOf('AbC-123_xyz0', 'upload')).toBeUndefined();
    expect(tokens.userIdOf(undefined, 'upload')).toBeUndefined();
    expect(tokens.userIdOf('../x.y', 'upload')).toBeUndefined();
    expect(createFileTokens().userIdOf(token, 'upload')).toBeUndefined();
  });

  it('serve only the purpose they were made for: a download link is no upload key', () => {
    const tokens = createFileTokens();
    const upload = tokens.tokenFor('member-1', 'upload');
    const download = tokens.tokenFor('member-1', 'download');
    expect(download).not.toBe(upload);
    expect(tokens.userIdOf(download, 'download')).toBe('member-1');
    expect(tokens.userIdOf(download, 'upload')).toBeUndefined();
    expect(tokens.userIdOf(upload, 'download')).toBeUndefined();
  });
});

describe('BlobStorage', () => {
  it('counts what is stored and reserved against the quota, and finds files by hash only', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a'.repeat(64)), randomBytes(100));
    writeFileSync(join(dir, 'not-a-file-id.txt'), 'x');
    const storage = new BlobStorage(dir, { quotaBytes: 1000 });
    expect(storage.usage()).toMatchObject({ usedBytes: 100, reservedBytes: 0, quotaBytes: 1000, files: 1 });
    expect(storage.pathOf('a'.repeat(64))).toBe(join(dir, 'a'.repeat(64)));
    expect(storage.pathOf('not-a-file-id.txt')).toBeUndefined();
    expect(storage.pathOf('../' + 'a'.repeat(61))).toBeUndefined();
    storage.reserve('u1', 800);
    expect(storage.overQuotaBy(100)).toBe(0);
    expect(storage.overQuotaBy(101)).toBe(1);
    storage.release('u1');
    expect(storage.usage().reservedBytes).toBe(0);
    expect(storage.delete('a'.repeat(64))).toBe(true);
    expect(storage.delete('a'.repeat(64))).toBe(false);
    expect(storage.usage()).toMatchObject({ usedBytes: 0, files: 0 });
  });

  it('defaults the quota to 10 GiB, or half the free space plus what is stored on a small disk', () => {
    const quota = new BlobStorage(tempDir()).quotaBytes;
    expect(quota).toBeGreaterThan(0);
    expect(quota).toBeLessThanOrEqual(DEFAULT_QUOTA_BYTES);
  });
});
