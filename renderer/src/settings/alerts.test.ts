import { describe, expect, it } from 'vitest';
import type { ChatMessage, Member } from '../../../common/protocol.ts';
import { decideAlert, type AlertInput } from './alerts.ts';

const me: Member = { id: 'u-me', name: 'Alice' } as Member;
const ben = { id: 'u-ben', name: 'Ben' };

function message(text: string, extra: Partial<ChatMessage> = {}): ChatMessage {
  return { seq: 1, id: 'm1', from: ben, text, ts: 0, kind: 'text', ...extra };
}

function input(overrides: Partial<AlertInput>): AlertInput {
  return { message: message('hello everyone'), me, focused: false, muted: false, settings: { notifications: true, sound: true }, ...overrides };
}

describe('decideAlert', () => {
  it('alerts for a mention or a private message while the window is not focused', () => {
    expect(decideAlert(input({ message: message('@Alice tea?') }))).toEqual({ notify: true, sound: true });
    expect(decideAlert(input({ message: message('alice, tea?') }))).toEqual({ notify: true, sound: true });
    expect(decideAlert(input({ message: message('psst', { to: { id: me.id, name: me.name } }) }))).toEqual({ notify: true, sound: true });
  });

  it('stays quiet for ordinary messages, my own, and while I am looking', () => {
    const none = { notify: false, sound: false };
    expect(decideAlert(input({}))).toEqual(none);
    expect(decideAlert(input({ message: message('Alicetta is not Alice?', { from: { id: me.id, name: me.name } }) }))).toEqual(none);
    expect(decideAlert(input({ message: message('@Alice tea?'), focused: true }))).toEqual(none);
    expect(decideAlert(input({ message: message('@Alice tea?'), me: undefined }))).toEqual(none);
  });

  it('a muted room never notifies nor chimes', () => {
    expect(decideAlert(input({ message: message('@Alice tea?'), muted: true }))).toEqual({ notify: false, sound: false });
    expect(decideAlert(input({ message: message('psst', { to: { id: me.id, name: me.name } }), muted: true }))).toEqual({ notify: false, sound: false });
  });

  it('follows each setting on its own', () => {
    const mention = message('@Alice tea?');
    expect(decideAlert(input({ message: mention, settings: { notifications: false, sound: true } }))).toEqual({ notify: false, sound: true });
    expect(decideAlert(input({ message: mention, settings: { notifications: true, sound: false } }))).toEqual({ notify: true, sound: false });
  });
});
