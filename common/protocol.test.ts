import { describe, expect, expectTypeOf, it } from 'vitest';
import * as limits from './limits.ts';
import { LIMITS, PROTOCOL_VERSION, countChars, parseClientFrame, parseServerFrame, textProblem, type AdminAction, type AdminFrame, type ModerationAction, type ServerFrame } from './protocol.ts';

describe('parseClientFrame', () => {
  it('accepts every well-formed client frame', () => {
    const frames = [
      { type: 'join', v: PROTOCOL_VERSION, name: 'Alice', clientId: 'abcdefghijklmnop' },
      { type: 'join', v: PROTOCOL_VERSION, name: '', clientId: 'abcdefghijklmnop', since: 42, proof: 'a'.repeat(64) },
      { type: 'chat', id: 'm1', text: 'hello' },
      { type: 'chat', id: 'm1', text: 'waves', action: true },
      { type: 'private', id: 'p1', to: 'Bob', text: 'psst' },
      { type: 'rename', name: 'Robert' },
      { type: 'typing', active: true },
      { type: 'fetch_history', before: 100, limit: 50 },
      { type: 'ping', id: 7 },
      { type: 'admin', token: 't', action: 'kick', target: 'Bob', reason: 'spam' },
      { type: 'admin', token: 't', action: 'clear_history' },
    ];
    for (const frame of frames) {
      const parsed = parseClientFrame(JSON.stringify(frame));
      expect(parsed.ok, JSON.stringify(frame)).toBe(true);
    }
  });

  it('says what is wrong, naming the frame type and id', () => {
    expect(parseClientFrame('{"type":"chat","id":"x1","text":""}')).toMatchObject({
      ok: false,
      code: 'bad_frame',
      ref: { type: 'chat', id: 'x1' },
    });
    expect(parseClientFrame('{"type":"admin","token":"t","action":"nuke"}')).toMatchObject({ ok: false, code: 'bad_frame' });
    expect(parseClientFrame('{"type":"fetch_history","before":1,"limit":100000}')).toMatchObject({ ok: false, code: 'bad_frame' });
    expect(parseClientFrame('{"type":"constructor"}')).toMatchObject({ ok: false, code: 'unknown_type' });
    expect(parseClientFrame('null')).toMatchObject({ ok: false, code: 'bad_frame' });
    const longType = parseClientFrame(JSON.stringify({ type: 'x'.repeat(1000) }));
    expect(!longType.ok && longType.message.length).toBeLessThan(120);
  });

  it('rejects unknown fields rather than ignoring them', () => {
    const parsed = parseClientFrame('{"type":"typing","active":true,"extra":1,"more":2}');
    expect(parsed).toMatchObject({ ok: false, code: 'bad_frame' });
    expect(!parsed.ok && parsed.message).toBe('typing: unknown fields "extra", "more"');
  });
});

describe('text rules', () => {
  it('counts characters as code points', () => {
    expect(countChars('a😀b')).toBe(3);
    expect(textProblem('😀'.repeat(4000))).toBeUndefined();
    expect(textProblem('😀'.repeat(4001))).toMatch(/longer/);
  });

  it('allows newlines and tabs but no other controls, C1 included', () => {
    expect(textProblem('line one\n\tline two')).toBeUndefined();
    expect(textProblem('carriage\rreturn')).toMatch(/control/);
    expect(textProblem('escape \u001b[31m red')).toMatch(/control/);
    expect(textProblem('csi \u009b31m')).toMatch(/control/);
    expect(textProblem(' \n\t ')).toMatch(/empty/);
  });
});

describe('parseServerFrame', () => {
  it('parses what the host sends and reports what it does not understand', () => {
    const frame = parseServerFrame(JSON.stringify({ type: 'ack', id: 'm1', seq: 3 }));
    expect(frame).toEqual({ type: 'ack', id: 'm1', seq: 3 });
    expect(parseServerFrame('{"type":"from_the_future"}')).toHaveProperty('error');
    expect(parseServerFrame('nope')).toEqual({ error: 'frame is not valid JSON' });
  });
});

describe('welcome.files', () => {
  const welcome = (files: Record<string, unknown>) =>
    JSON.stringify({ type: 'welcome', you: { id: 'u1', name: 'Ada', since: 1 }, room: 'Kitchen', members: [], lastSeq: 0, historyId: 'h1', topic: '', files });
  const files = { token: 'u1.up', downloadToken: 'u1.down', maxFileBytes: 1000, uploadsAtOnce: 4 };

  it('carries an upload token, a download token and the uploads a member may have open at once', () => {
    expect(parseServerFrame(welcome(files))).toMatchObject({ type: 'welcome', files });
  });

  it('is refused without the download token or with a limit of no uploads at all', () => {
    const { downloadToken: _, ...noDownloadToken } = files;
    expect(parseServerFrame(welcome(noDownloadToken))).toHaveProperty('error');
    expect(parseServerFrame(welcome({ ...files, uploadsAtOnce: 0 }))).toHaveProperty('error');
  });
});

describe('moderation types', () => {
  it('are derived from the admin frame: one per action, without the envelope', () => {
    expectTypeOf<AdminAction['action']>().toEqualTypeOf<AdminFrame['action']>();
    expectTypeOf<Extract<AdminAction, { action: 'kick' }>>().toEqualTypeOf<{ action: 'kick'; target: string; reason?: string | undefined }>();
    expectTypeOf<Extract<AdminAction, { action: 'topic' }>>().toEqualTypeOf<{ action: 'topic'; topic: string }>();
    expectTypeOf<AdminAction>().not.toHaveProperty('token');
    // Lock and unlock are the hosting process's own; admin_done reports every action.
    expectTypeOf<ModerationAction['action']>().toEqualTypeOf<Extract<ServerFrame, { type: 'admin_done' }>['action']>();
    const parsed = parseClientFrame(JSON.stringify({ type: 'admin', token: 't', action: 'lock', password: 'x' }));
    expect(parsed.ok).toBe(false);
  });
});

describe('limits', () => {
  it('are the same objects whether imported from the protocol or their own module', () => {
    expect(LIMITS).toBe(limits.LIMITS);
  });
});
