import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../common/protocol.ts';
import { exportFilename, historyAsJson, historyAsMarkdown } from './export.ts';

const at = Date.UTC(2026, 10, 22, 9, 30);
const messages: ChatMessage[] = [
  { seq: 1, id: 'a', from: { id: 'u1', name: 'Ann' }, text: 'Hello *world* <script>x</script>', ts: at, kind: 'text' },
  { seq: 2, id: 'b', from: { id: 'u2', name: 'Ben' }, text: 'waves', ts: at + 60_000, kind: 'action' },
  { seq: 3, id: 'c', from: { id: 'u1', name: 'Ann' }, text: 'two\nlines', ts: at + 86_400_000, kind: 'text' },
];
const photo = { id: 'ab'.repeat(32), name: 'beach_[1].png', size: 2_400_000, type: 'image/png', image: { width: 800, height: 600 } };
const withFiles: ChatMessage[] = [
  { seq: 4, id: 'd', from: { id: 'u2', name: 'Ben' }, text: 'the beach', ts: at, kind: 'text', file: photo },
  { seq: 5, id: 'e', from: { id: 'u2', name: 'Ben' }, text: '', ts: at, kind: 'text', file: { id: 'cd'.repeat(32), name: 'old.zip', size: 900, type: 'application/zip', deleted: true } },
];

describe('history export', () => {
  it('writes JSON with ISO times and names', () => {
    const parsed = JSON.parse(historyAsJson('Kitchen', 'Tea', messages, new Date(at)));
    expect(parsed).toMatchObject({ room: 'Kitchen', topic: 'Tea', exportedAt: '2026-11-22T09:30:00.000Z' });
    expect(parsed.messages[0]).toEqual({ seq: 1, time: '2026-11-22T09:30:00.000Z', from: 'Ann', kind: 'text', text: 'Hello *world* <script>x</script>' });
  });

  it('writes Markdown by day, with what people typed kept as text', () => {
    const md = historyAsMarkdown('Kitchen', '', messages, new Date(at));
    expect(md).toContain('# Kitchen');
    expect(md).toContain('## 2026-11-22');
    expect(md).toContain('## 2026-11-23');
    expect(md).toContain('- 09:30 **Ann:** Hello \\*world\\* \\<script\\>x\\</script\\>');
    expect(md).toContain('- 09:31 *Ben waves*');
    expect(md).toContain('two  \n  lines');
    expect(historyAsMarkdown('Empty', '', [])).toContain('_No messages._');
  });

  it('lists each shared file with its name, size and SHA-256, in both formats', () => {
    const parsed = JSON.parse(historyAsJson('Kitchen', '', withFiles, new Date(at)));
    expect(parsed.messages[0]).toMatchObject({ seq: 4, text: 'the beach', file: photo });
    expect(parsed.messages[1].file).toMatchObject({ name: 'old.zip', deleted: true });
    expect(parsed).not.toHaveProperty('messages.2');
    expect(JSON.parse(historyAsJson('Kitchen', '', messages, new Date(at))).messages[0]).not.toHaveProperty('file');

    const md = historyAsMarkdown('Kitchen', '', withFiles, new Date(at));
    expect(md).toContain(`- 09:30 **Ben:** the beach  \n  📎 beach\\_\\[1\\]\\.png (2.4 MB, sha256: ${'ab'.repeat(32)})`);
    expect(md).toContain(`- 09:30 **Ben:** 📎 old\\.zip (900 B, sha256: ${'cd'.repeat(32)}, deleted from the host)`);
  });

  it('names files after the room and the day', () => {
    expect(exportFilename('Class 4B', 'json', new Date(at))).toBe('Class-4B-2026-11-22.json');
    expect(exportFilename('../../etc', 'markdown', new Date(at))).toBe('etc-2026-11-22.md');
    expect(exportFilename('🔥', 'json', new Date(at))).toBe('room-2026-11-22.json');
  });
});
