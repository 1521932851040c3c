import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../common/protocol.ts';
import { emptyTimeline, oldestSeq, timelineReducer, type Timeline, type TimelineAction } from './timeline.ts';

const msg = (seq: number, id = `m${seq}`): ChatMessage => ({ seq, id, from: { id: 'ann', name: 'Ann' }, text: `t${seq}`, ts: seq * 1000, kind: 'text' });
const run = (...actions: TimelineAction[]): Timeline => actions.reduce(timelineReducer, emptyTimeline());
const seqs = (t: Timeline) => t.items.flatMap((i) => (i.kind === 'message' ? [i.message.seq] : []));

describe('timeline', () => {
  it('replaces on a latest page and appends a resume without doubles', () => {
    const t = run(
      { type: 'history', frame: { type: 'history', messages: [msg(1), msg(2)], mode: 'latest', complete: true } },
      { type: 'message', message: msg(3) },
      { type: 'history', frame: { type: 'history', messages: [msg(3), msg(4)], mode: 'resume', complete: true } },
      { type: 'message', message: msg(4) },
    );
    expect(seqs(t)).toEqual([1, 2, 3, 4]);
  });

  it('takes "nothing older" from the host on a latest page cut short by bytes, and stops loading when a page fails', () => {
    // Three heavy messages fill a page: fewer than 200 does not mean the beginning.
    const cut = run({ type: 'history', frame: { type: 'history', messages: [msg(7), msg(8), msg(9)], mode: 'latest', complete: false, exhausted: false } });
    expect(cut.exhausted).toBe(false);
    const whole = run({ type: 'history', frame: { type: 'history', messages: [msg(1)], mode: 'latest', complete: true, exhausted: true } });
    expect(whole.exhausted).toBe(true);
    const failed = run({ type: 'loading_older' }, { type: 'older_failed' });
    expect(failed.loadingOlder).toBe(false);
  });

  it('shows a latest page whole, even with seqs it knew from a history that started again', () => {
    const t = run(
      { type: 'history', frame: { type: 'history', messages: [msg(1), msg(2), msg(3)], mode: 'latest', complete: true } },
      { type: 'history', frame: { type: 'history', messages: [msg(1, 'new1'), msg(2, 'new2')], mode: 'latest', complete: true } },
    );
    expect(t.items.flatMap((i) => (i.kind === 'message' ? [i.message.id] : []))).toEqual(['new1', 'new2']);
  });

  it('forgets every seq on a reset, keeping what is still being sent', () => {
    const t = run(
      { type: 'history', frame: { type: 'history', messages: [msg(1), msg(2)], mode: 'latest', complete: true } },
      { type: 'pending', id: 'typed', text: 'hi', action: false, ts: 5 },
      { type: 'reset' },
      { type: 'history', frame: { type: 'history', messages: [msg(1, 'other')], mode: 'resume', complete: true } },
    );
    expect(t.items.map((i) => (i.kind === 'message' ? i.message.id : i.kind)).sort()).toEqual(['other', 'pending']);
  });

  it('turns a pending message into the stored one, in place', () => {
    const t = run(
      { type: 'pending', id: 'x', text: 'hi', action: false, ts: 5 },
      { type: 'message', message: msg(1) },
      { type: 'message', message: msg(2, 'x') },
    );
    expect(t.items.map((i) => i.kind)).toEqual(['message', 'message']);
    expect(seqs(t)).toEqual([1, 2]);
  });

  it('marks a failed message and keeps it visible', () => {
    const t = run({ type: 'pending', id: 'x', text: 'hi', action: false, ts: 5 }, { type: 'failed', id: 'x', reason: 'too long' });
    expect(t.items[0]).toMatchObject({ kind: 'pending', failed: 'too long' });
  });

  it('prepends older pages and knows when history is exhausted', () => {
    const t = run(
      { type: 'history', frame: { type: 'history', messages: [msg(300), msg(301)], mode: 'latest', complete: true } },
      { type: 'loading_older' },
      { type: 'history', frame: { type: 'history', messages: [msg(298), msg(299)], mode: 'older', complete: true, exhausted: true } },
    );
    expect(seqs(t)).toEqual([298, 299, 300, 301]);
    expect(oldestSeq(t)).toBe(298);
    expect(t.exhausted).toBe(true);
    expect(t.loadingOlder).toBe(false);
  });

  it('keeps the chunks of one long latest answer together', () => {
    const t = run(
      { type: 'history', frame: { type: 'history', messages: [msg(1), msg(2)], mode: 'latest', complete: false } },
      { type: 'history', frame: { type: 'history', messages: [msg(3)], mode: 'latest', complete: true } },
    );
    expect(seqs(t)).toEqual([1, 2, 3]);
  });

  it('keeps seq order when a message arrives out of order', () => {
    const t = run({ type: 'message', message: msg(5) }, { type: 'message', message: msg(3) });
    expect(seqs(t)).toEqual([3, 5]);
  });
});

describe('the timeline around a lost connection', () => {
  const system = (text: string, ts: number): TimelineAction => ({ type: 'system', text, ts, tone: 'connection' });
  const order = (t: Timeline) => t.items.map((i) => (i.kind === 'message' ? `m${i.message.seq}` : i.kind === 'system' ? i.text : `p:${i.id}`));

  it('puts messages missed while away after the "connection lost" line, in seq order', () => {
    const t = run(
      { type: 'message', message: msg(1) },
      system('Connection lost at 14:02', 1500),
      { type: 'pending', id: 'typed', text: 'hi', action: false, ts: 1600 },
      { type: 'history', frame: { type: 'history', messages: [msg(2), msg(3)], mode: 'resume', complete: true } },
      system('Reconnected.', 3500),
      { type: 'message', message: msg(4, 'typed') },
    );
    expect(order(t)).toEqual(['m1', 'Connection lost at 14:02', 'm2', 'm3', 'Reconnected.', 'm4']);
  });

  it('keeps seq order across a system line: a late lower seq goes before the higher one, not after the line', () => {
    const t = run({ type: 'message', message: msg(1) }, { type: 'message', message: msg(3) }, system('Reconnected.', 3500), { type: 'message', message: msg(2) });
    expect(order(t)).toEqual(['m1', 'm2', 'm3', 'Reconnected.']);
  });

  it('marks every message carrying a deleted file as deleted, and leaves others alone', () => {
    const ref = { id: 'a'.repeat(64), name: 'report.pdf', size: 1200, type: 'application/pdf' };
    const other = { ...ref, id: 'b'.repeat(64), name: 'notes.txt' };
    const t = run(
      { type: 'message', message: { ...msg(1), text: '', file: ref } },
      { type: 'message', message: { ...msg(2), text: 'again', file: ref } },
      { type: 'message', message: { ...msg(3), file: other } },
      { type: 'file_deleted', file: ref.id },
    );
    const files = t.items.flatMap((i) => (i.kind === 'message' ? [i.message.file] : []));
    expect(files.map((f) => f?.deleted === true)).toEqual([true, true, false]);
    // Nothing carries it: the same timeline, so nothing re-renders.
    expect(timelineReducer(t, { type: 'file_deleted', file: 'c'.repeat(64) })).toBe(t);
  });
});
