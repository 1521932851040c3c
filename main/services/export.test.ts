import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../common/protocol.ts';
import { exportFilename, historyAsJson, historyAsMarkdown } from './export.ts';

const at = Date.UTC(2026, 10, 22, 9, 30);
const messages: ChatMessage[] = [
  { seq: 1, id: 'a', from: { id: 'u1', name: 'Ann' }, text: 'Hello *world* <script>x</script>', ts: at, kind: 'text' },
  { seq: 2, id: 'b', from: { id: 'u2', name: 'Ben' }, text: 'waves', ts: at + 60_000, kind: 'action' },
  { seq: 3, id: 'c', from: { id: 'u1', name: 'Ann' }, text: 'two\nlines', ts: at + 86_400_000, kind: 'text' },
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

  it('names files after the room and the day', () => {
    expect(exportFilename('Class 4B', 'json', new Date(at))).toBe('Class-4B-2026-11-22.json');
    expect(exportFilename('../../etc', 'markdown', new Date(at))).toBe('etc-2026-11-22.md');
    expect(exportFilename('🔥', 'json', new Date(at))).toBe('room-2026-11-22.json');
  });
});
