import { describe, expect, it } from 'vitest';
import { parseCommand } from './commands.ts';

describe('parseCommand', () => {
  it('passes plain text through, and // escapes a leading slash', () => {
    expect(parseCommand('hello')).toEqual({ kind: 'say', text: 'hello' });
    expect(parseCommand('//shrug')).toEqual({ kind: 'say', text: '/shrug' });
  });

  it('parses every command', () => {
    expect(parseCommand('/help')).toEqual({ kind: 'help' });
    expect(parseCommand('/users')).toEqual({ kind: 'users' });
    expect(parseCommand('/nick  New Name ')).toEqual({ kind: 'nick', name: 'New Name' });
    expect(parseCommand('/me waves hello')).toEqual({ kind: 'me', text: 'waves hello' });
    expect(parseCommand('/msg bob hi there')).toEqual({ kind: 'msg', to: 'bob', text: 'hi there' });
    expect(parseCommand('/clear')).toEqual({ kind: 'clear' });
    expect(parseCommand('/quit')).toEqual({ kind: 'quit' });
    expect(parseCommand('/kick bob spamming links')).toEqual({ kind: 'kick', target: 'bob', reason: 'spamming links' });
    expect(parseCommand('/ban 10.0.0.7')).toEqual({ kind: 'ban', target: '10.0.0.7' });
    expect(parseCommand('/unban abc123')).toEqual({ kind: 'unban', target: 'abc123' });
    // A banned person is no longer in the member list: their whole name is the target.
    expect(parseCommand('/unban Sunny Otter', ['Bob'])).toEqual({ kind: 'unban', target: 'Sunny Otter' });
    expect(parseCommand('/unban')).toEqual({ kind: 'invalid', message: 'Usage: /unban NAME|ADDRESS' });
    expect(parseCommand('/clearhistory')).toEqual({ kind: 'clearhistory' });
  });

  it('resolves names with spaces from the member list, or from quotes', () => {
    const members = ['Sunny', 'Sunny Otter', 'Bob'];
    expect(parseCommand('/msg Sunny Otter hi', members)).toEqual({ kind: 'msg', to: 'Sunny Otter', text: 'hi' });
    expect(parseCommand('/msg sunny hi', members)).toEqual({ kind: 'msg', to: 'Sunny', text: 'hi' });
    expect(parseCommand('/msg "Brave Fox" hello', members)).toEqual({ kind: 'msg', to: 'Brave Fox', text: 'hello' });
    expect(parseCommand('/kick Sunny Otter', members)).toEqual({ kind: 'kick', target: 'Sunny Otter' });
  });

  it('explains misuse', () => {
    expect(parseCommand('/msg bob')).toEqual({ kind: 'invalid', message: 'Usage: /msg NAME TEXT' });
    expect(parseCommand('/nick')).toEqual({ kind: 'invalid', message: 'Usage: /nick NAME' });
    expect(parseCommand('/dance')).toMatchObject({ kind: 'invalid', message: /Unknown command \/dance/ });
  });
});
