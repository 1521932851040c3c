import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirsPerTest } from '../../test/support/host.ts';
import { freeTarget, safeLocalName, splitExtension } from './file-names.ts';

const folder = tempDirsPerTest('hearth-names-');

describe('safeLocalName: a name from the room becomes one plain file name', () => {
  it('keeps an ordinary name as it is', () => {
    expect(safeLocalName('report.pdf')).toBe('report.pdf');
    expect(safeLocalName('Relevé de compte 2026.pdf')).toBe('Relevé de compte 2026.pdf');
    expect(safeLocalName('写真 🎉.jpg')).toBe('写真 🎉.jpg');
  });

  it('never keeps a path: separators become "_", and leading dots go', () => {
    expect(safeLocalName('../../x')).toBe('_.._x');
    expect(safeLocalName('..\\..\\windows\\system32')).toBe('_.._windows_system32');
    expect(safeLocalName('/etc/passwd')).toBe('_etc_passwd');
    expect(safeLocalName('..')).toBe('file');
    expect(safeLocalName('.')).toBe('file');
    expect(safeLocalName('.bashrc')).toBe('bashrc');
    expect(safeLocalName('C:evil.txt')).toBe('C_evil.txt');
  });

  it('drops NUL, escapes, newlines and bidi overrides', () => {
    expect(safeLocalName('a\u0000b.txt')).toBe('ab.txt');
    expect(safeLocalName('\u001b[31mred\u001b[0m.txt')).toBe('[31mred[0m.txt');
    expect(safeLocalName('line\nbreak.txt')).toBe('linebreak.txt');
    // "invoice‮fdp.exe" would show as "invoiceexe.pdf".
    expect(safeLocalName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(safeLocalName('\u2066x\u2069.txt')).toBe('x.txt');
  });

  it('shortens a very long name to what file systems take, keeping its extension', () => {
    const long = `${'a'.repeat(300)}.pdf`;
    const safe = safeLocalName(long);
    expect(Buffer.byteLength(safe)).toBeLessThanOrEqual(200);
    expect(safe.endsWith('.pdf')).toBe(true);
    const wide = safeLocalName(`${'é'.repeat(300)}.txt`);
    expect(Buffer.byteLength(wide)).toBeLessThanOrEqual(200);
    expect(wide).toMatch(/^é+\.txt$/); // never half a character
  });

  it('gives a name to nothing, and steers clear of Windows device names', () => {
    expect(safeLocalName('')).toBe('file');
    expect(safeLocalName('\u0000\u0001')).toBe('file');
    expect(safeLocalName('nul.txt')).toBe('_nul.txt');
    expect(safeLocalName('CON')).toBe('_CON');
    expect(safeLocalName('trailing. . ')).toBe('trailing');
  });

  it('splits an extension only where one is', () => {
    expect(splitExtension('a.tar.gz')).toEqual(['a.tar', '.gz']);
    expect(splitExtension('README')).toEqual(['README', '']);
    expect(splitExtension('notes.from the big meeting')).toEqual(['notes.from the big meeting', '']);
  });
});

describe('freeTarget: never over a file already there', () => {
  it('numbers the name when taken, and treats a .part as the one to resume', async () => {
    const dir = folder();
    expect(await freeTarget(dir, 'report.pdf')).toBe(join(dir, 'report.pdf'));
    writeFileSync(join(dir, 'report.pdf'), 'mine');
    expect(await freeTarget(dir, 'report.pdf')).toBe(join(dir, 'report (1).pdf'));
    writeFileSync(join(dir, 'report (1).pdf'), 'mine too');
    mkdirSync(join(dir, 'report (2).pdf'));
    expect(await freeTarget(dir, 'report.pdf')).toBe(join(dir, 'report (3).pdf'));
    writeFileSync(join(dir, 'notes.txt.part'), 'half');
    expect(await freeTarget(dir, 'notes.txt')).toBe(join(dir, 'notes.txt'));
    expect(await freeTarget(dir, 'notes.txt', new Set([join(dir, 'notes.txt')]))).toBe(join(dir, 'notes (1).txt'));
  });
});
