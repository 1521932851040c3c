import { describe, expect, it } from 'vitest';
import { nextToUpload, readyCount, trayReducer, type TrayAction, type TrayFile } from './tray.ts';

const file = (name: string, size: number) => new File([new Uint8Array(size)], name, { type: 'application/octet-stream' });

function run(actions: TrayAction[], start: TrayFile[] = []): TrayFile[] {
  return actions.reduce(trayReducer, start);
}

const added = run([{ type: 'add', files: [{ key: 'a', file: file('a.pdf', 10) }, { key: 'b', file: file('b.iso', 2000) }, { key: 'c', file: file('c.png', 20) }], maxFileBytes: 1000 }]);

describe('the tray of files to send', () => {
  it('refuses a file over the room’s limit in the tray, with a sentence, and keeps the others ready', () => {
    expect(added.map((f) => f.state.kind)).toEqual(['ready', 'refused', 'ready']);
    expect(added[1]!.state).toEqual({ kind: 'refused', reason: 'b.iso is 2.0 KB; this room takes files up to 1.0 KB.' });
    expect(readyCount(added)).toBe(2);
  });

  it('queues the ready files on Send, the caption going with the first; refused ones stay behind', () => {
    const sent = run([{ type: 'send', caption: 'the figures' }], added);
    expect(sent.map((f) => [f.key, f.state.kind, f.caption])).toEqual([
      ['a', 'queued', 'the figures'],
      ['b', 'refused', ''],
      ['c', 'queued', ''],
    ]);
  });

  it('sends every queued file privately when the caption said whom to', () => {
    const sent = run([{ type: 'send', caption: 'for your eyes', to: 'Bob' }], added);
    expect(sent.filter((f) => f.state.kind === 'queued').map((f) => [f.key, f.caption, f.to])).toEqual([
      ['a', 'for your eyes', 'Bob'],
      ['c', '', 'Bob'],
    ]);
  });

  it('uploads one at a time, in order', () => {
    let tray = run([{ type: 'send', caption: '' }], added);
    expect(nextToUpload(tray)?.key).toBe('a');
    tray = run([{ type: 'phase', key: 'a', phase: { kind: 'sending', sent: 5, rate: undefined } }], tray);
    expect(nextToUpload(tray)).toBeUndefined();
    tray = run([{ type: 'sharing', key: 'a', messageId: 'm1' }], tray);
    expect(nextToUpload(tray)?.key).toBe('c');
  });

  it('leaves the tray only once the host stored the message', () => {
    let tray = run([{ type: 'send', caption: '' }, { type: 'sharing', key: 'a', messageId: 'm1' }], added);
    expect(tray.map((f) => f.key)).toEqual(['a', 'b', 'c']);
    tray = run([{ type: 'shared', messageId: 'm1' }], tray);
    expect(tray.map((f) => f.key)).toEqual(['b', 'c']);
  });

  it('keeps a failed file, with its reason and Retry, and queues it again on Retry', () => {
    let tray = run([{ type: 'send', caption: '' }, { type: 'phase', key: 'a', phase: { kind: 'failed', reason: 'The host has no space left for this file.', retryable: true } }], added);
    expect(tray[0]!.state).toEqual({ kind: 'failed', reason: 'The host has no space left for this file.', retryable: true });
    tray = run([{ type: 'retry', key: 'a' }], tray);
    expect(tray[0]!.state.kind).toBe('queued');
  });

  it('keeps a file whose share the host refused, saying why', () => {
    const tray = run([{ type: 'send', caption: '' }, { type: 'sharing', key: 'a', messageId: 'm1' }, { type: 'share_failed', messageId: 'm1', reason: 'That upload expired. Send the file again.' }], added);
    expect(tray[0]!.state).toEqual({ kind: 'failed', reason: 'That upload expired. Send the file again.', retryable: true });
  });

  it('ignores progress for a file no longer on its way (cancelled, removed)', () => {
    const tray = run([{ type: 'phase', key: 'a', phase: { kind: 'sending', sent: 5, rate: undefined } }], added);
    expect(tray[0]!.state.kind).toBe('ready');
    expect(run([{ type: 'remove', key: 'a' }], added).map((f) => f.key)).toEqual(['b', 'c']);
  });
});
