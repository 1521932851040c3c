import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../common/protocol.ts';
import { createFormatter, fileLabel } from './terminal-format.ts';

// Colors off, as a log or a test terminal sees them.
const fmt = createFormatter(new PassThrough() as unknown as NodeJS.WriteStream);
const ada = { id: 'ada-id', name: 'Ada' };
const bo = { id: 'bo-id', name: 'Bo' };
const file = { id: 'a'.repeat(64), name: 'report.pdf', size: 2_400_000, type: 'application/pdf' };

function message(extra: Partial<ChatMessage>): ChatMessage {
  return { seq: 7, id: 'm'.repeat(16), from: ada, text: '', ts: new Date(2026, 0, 1, 12, 4).getTime(), kind: 'text', ...extra };
}

describe('file messages in the terminal', () => {
  it('print with their number, name and size, the caption on the next line', () => {
    expect(fmt.message(message({ file }), bo.id, 3)).toBe('12:04 Ada shared #3 report.pdf (2.4 MB)');
    expect(fmt.message(message({ file, text: 'the figures\nfor March' }), bo.id, 3)).toBe('12:04 Ada shared #3 report.pdf (2.4 MB)\n      the figures\n      for March');
    expect(fmt.message(message({ file, from: bo }), bo.id, 1)).toBe('12:04 you shared #1 report.pdf (2.4 MB)');
  });

  it('mark a private one as private messages are', () => {
    expect(fmt.message(message({ file, to: bo }), bo.id, 2)).toBe('12:04 Ada → you (private) shared #2 report.pdf (2.4 MB)');
  });

  it('say when the host deleted the file', () => {
    expect(fmt.message(message({ file: { ...file, deleted: true } }), bo.id, 3)).toBe('12:04 Ada shared #3 report.pdf (deleted by the host)');
  });

  it('show a hostile name as text on one line, never as a control', () => {
    const label = fileLabel({ ...file, name: '\u001b]0;pwned\u0007a\nb\u202Etxt.exe' }, 4);
    // eslint-disable-next-line no-control-regex
    expect(label).not.toMatch(/[\u001b\u0007\n\u202E]/);
    expect(label).toBe('#4 \uFFFDa b\uFFFDtxt.exe (2.4 MB)');
  });
});
