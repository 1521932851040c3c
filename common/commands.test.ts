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

  it('parses /clearhistory --files, and refuses anything else after it (a clear cannot be undone)', () => {
    expect(parseCommand('/clearhistory --files')).toEqual({ kind: 'clearhistory', deleteFiles: true });
    expect(parseCommand('/CLEARHISTORY  --FILES ')).toEqual({ kind: 'clearhistory', deleteFiles: true });
    for (const bad of ['/clearhistory files', '/clearhistory --file', '/clearhistory -f', '/clearhistory now please']) {
      expect(parseCommand(bad)).toEqual({ kind: 'invalid', message: 'Usage: /clearhistory [--files] (--files deletes the files its messages carry too)' });
    }
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

  it('parses /send: a quoted path or the first word, then the caption', () => {
    expect(parseCommand('/send report.pdf')).toEqual({ kind: 'send', path: 'report.pdf' });
    expect(parseCommand('/send ~/report.pdf  the figures ')).toEqual({ kind: 'send', path: '~/report.pdf', caption: 'the figures' });
    expect(parseCommand('/send "My Docs/a b.pdf" see page 2')).toEqual({ kind: 'send', path: 'My Docs/a b.pdf', caption: 'see page 2' });
    expect(parseCommand("/send '/tmp/it''s'")).toEqual({ kind: 'send', path: "/tmp/it''s" });
    expect(parseCommand("/send '/tmp/x y'")).toEqual({ kind: 'send', path: '/tmp/x y' });
    expect(parseCommand('/send')).toEqual({ kind: 'invalid', message: 'Usage: /send PATH [CAPTION] (quote a path that has spaces)' });
    expect(parseCommand('/send ""')).toEqual({ kind: 'invalid', message: 'Usage: /send PATH [CAPTION] (quote a path that has spaces)' });
  });

  it('parses /get: the number shown, then an optional folder', () => {
    expect(parseCommand('/get 3')).toEqual({ kind: 'get', number: 3 });
    expect(parseCommand('/get #12 ~/Downloads')).toEqual({ kind: 'get', number: 12, dir: '~/Downloads' });
    expect(parseCommand('/get 2 My Files/in here ')).toEqual({ kind: 'get', number: 2, dir: 'My Files/in here' });
    expect(parseCommand('/get 2 "/tmp/a b"')).toEqual({ kind: 'get', number: 2, dir: '/tmp/a b' });
    for (const bad of ['/get', '/get x', '/get 0', '/get -1', '/get 1.5', '/get 99999999999']) {
      expect(parseCommand(bad)).toEqual({ kind: 'invalid', message: 'Usage: /get N [DIR], where N is the number shown before the file, like /get 3' });
    }
  });
});
