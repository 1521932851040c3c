import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../common/protocol.ts';
import { foldPresenceRuns, presenceSummary } from './presence-runs.ts';
import type { TimelineItem } from './timeline.ts';

let n = 0;
const joined = (name: string, ts = 1000): TimelineItem => ({ key: `s:${++n}`, kind: 'system', text: `${name} joined`, ts, tone: 'join', presence: { name, change: 'joined' } });
const left = (name: string, ts = 1000): TimelineItem => ({ key: `s:${++n}`, kind: 'system', text: `${name} left`, ts, tone: 'leave', presence: { name, change: 'left' } });
const kicked = (name: string): TimelineItem => ({ key: `s:${++n}`, kind: 'system', text: `${name} was removed by the host`, ts: 1000, tone: 'leave' });
const message = (seq: number): TimelineItem => {
  const m: ChatMessage = { seq, id: `m${seq}`, from: { id: 'ann', name: 'Ann' }, text: 'hi', ts: 1000, kind: 'text' };
  return { key: `m:${seq}`, kind: 'message', message: m };
};
const shape = (items: TimelineItem[]) => foldPresenceRuns(items).map((r) => (r.kind === 'run' ? `run(${r.items.length}): ${r.summary}` : r.item.key.startsWith('m:') ? r.item.key : (r.item as { text: string }).text));

describe('runs of joins and leaves', () => {
  it('folds three or more in a row into one line', () => {
    const rows = foldPresenceRuns([message(1), joined('Ann'), joined('Ben'), joined('Cleo'), joined('Dan'), joined('Eve'), left('Cleo'), message(2)]);
    expect(rows.map((r) => r.kind)).toEqual(['item', 'run', 'item']);
    expect(rows[1]).toMatchObject({ kind: 'run', summary: 'Ann, Ben and 3 others joined; Cleo left' });
  });

  it('leaves one or two alone', () => {
    expect(shape([joined('Ann'), message(1), joined('Ben'), left('Cleo'), message(2)])).toEqual(['Ann joined', 'm:1', 'Ben joined', 'Cleo left', 'm:2']);
  });

  it('keeps removals by the host as their own lines, and breaks a run there', () => {
    expect(shape([joined('Ann'), joined('Ben'), kicked('Pest'), joined('Cleo'), joined('Dan'), joined('Eve')])).toEqual([
      'Ann joined',
      'Ben joined',
      'Pest was removed by the host',
      'run(3): Cleo, Dan and Eve joined',
    ]);
  });

  it('breaks a run at midnight, where the day divider goes', () => {
    const lateNight = new Date(2026, 11, 1, 23, 59).getTime();
    const morning = new Date(2026, 11, 2, 0, 1).getTime();
    const rows = foldPresenceRuns([joined('Ann', lateNight), joined('Ben', lateNight), joined('Cleo', lateNight), joined('Dan', morning), joined('Eve', morning)]);
    expect(rows.map((r) => r.kind)).toEqual(['run', 'item', 'item']);
  });

  it('keeps the key of its first line as it grows, so an opened run stays open', () => {
    const first = joined('Ann');
    const items = [first, joined('Ben'), joined('Cleo')];
    const before = foldPresenceRuns(items)[0]!;
    const after = foldPresenceRuns([...items, joined('Dan')])[0]!;
    expect(after.key).toBe(before.key);
    expect(after.kind === 'run' && after.items.length).toBe(4);
  });

  it('names each person once per change, in the order things happened', () => {
    expect(presenceSummary([{ name: 'Ann', change: 'joined' }, { name: 'Ben', change: 'lost connection' }, { name: 'Ann', change: 'joined' }, { name: 'Cleo', change: 'lost connection' }])).toBe('Ann joined; Ben and Cleo lost connection');
    expect(presenceSummary(['A', 'B', 'C', 'D'].map((name) => ({ name, change: 'left' as const })))).toBe('A, B and 2 others left');
    expect(presenceSummary(['A', 'B', 'C'].map((name) => ({ name, change: 'left' as const })))).toBe('A, B and C left');
    expect(presenceSummary(['A', 'B', 'C', 'D', 'E'].map((name) => ({ name, change: 'joined' as const }))).startsWith('A, B and 3 others')).toBe(true);
  });
});
