import { describe, expect, it } from 'vitest';
import { runCommand, type CommandClient, type CommandShell } from './command-runner.ts';
import { parseCommand } from './commands.ts';
import type { Member } from './protocol.ts';

const ann: Member = { id: 'a', name: 'Ann', since: 0 };
const bob: Member = { id: 'b', name: 'Bob', since: 0 };

function setup(adminToken?: string, hostOnlyHint?: string) {
  return setupWith({ adminToken, hostOnlyHint });
}

function setupWith({ adminToken, hostOnlyHint, files }: { adminToken?: string | undefined; hostOnlyHint?: string | undefined; files?: CommandShell['files'] }) {
  const calls: unknown[][] = [];
  let nextSend: ReturnType<CommandClient['send']> = { ok: true, id: 'm1' };
  const client: CommandClient = {
    members: [ann, bob],
    me: ann,
    send: (text, options) => (calls.push(['send', text, options]), nextSend),
    rename: (name) => void calls.push(['rename', name]),
    admin: (token, action) => void calls.push(['admin', token, action]),
  };
  const shown: unknown[][] = [];
  const shell: CommandShell = {
    adminToken,
    ...(hostOnlyHint && { hostOnlyHint }),
    sent: (id, message) => void shown.push(['sent', id, message]),
    refused: (words) => void shown.push(['refused', words]),
    help: (commands) => void shown.push(['help', commands.map((c) => c.usage)]),
    users: (members, me) => void shown.push(['users', members.map((m) => m.name), me?.name]),
    clearScreen: () => void shown.push(['clear']),
    quit: () => void shown.push(['quit']),
    ...(files && { files }),
  };
  const run = (line: string) => runCommand(parseCommand(line, client.members.map((m) => m.name)), client, shell);
  return { run, calls, shown, refuseNextSend: (error: string) => (nextSend = { ok: false, error }) };
}

describe('the command runner', () => {
  it('sends messages, actions and private messages, and tells the shell which went out', () => {
    const { run, calls, shown } = setup();
    expect(run('hello')).toBe(true);
    expect(run('/me waves')).toBe(true);
    expect(run('/msg Bob psst')).toBe(true);
    expect(calls).toEqual([
      ['send', 'hello', {}],
      ['send', 'waves', { action: true }],
      ['send', 'psst', { to: 'Bob' }],
    ]);
    expect(shown).toEqual([
      ['sent', 'm1', { text: 'hello', action: false, to: undefined }],
      ['sent', 'm1', { text: 'waves', action: true, to: undefined }],
      ['sent', 'm1', { text: 'psst', action: false, to: 'Bob' }],
    ]);
  });

  it('passes a refused message on, and says it was refused', () => {
    const { run, shown, refuseNextSend } = setup();
    refuseNextSend('message is empty');
    expect(run('   ')).toBe(false);
    expect(shown).toEqual([['refused', 'message is empty']]);
  });

  it('renames, lists, helps, clears and quits through the shell', () => {
    const { run, calls, shown } = setup();
    expect(run('/nick Sam')).toBe(true);
    expect(run('/users')).toBe(true);
    expect(run('/help')).toBe(true);
    expect(run('/clear')).toBe(true);
    expect(run('/quit')).toBe(true);
    expect(calls).toEqual([['rename', 'Sam']]);
    expect(shown[0]).toEqual(['users', ['Ann', 'Bob'], 'Ann']);
    expect(shown[1]![0]).toBe('help');
    expect(shown[1]![1]).not.toContain('/kick NAME [REASON]');
    expect(shown.slice(2)).toEqual([['clear'], ['quit']]);
  });

  it('refuses moderation without the admin token, in the shell’s words', () => {
    const plain = setup();
    expect(plain.run('/kick Bob')).toBe(false);
    expect(plain.shown).toEqual([['refused', 'Only the host can do that.']]);
    const terminal = setup(undefined, 'start with --admin-token');
    terminal.run('/clearhistory');
    expect(terminal.shown).toEqual([['refused', 'Only the host can do that (start with --admin-token).']]);
    expect([...plain.calls, ...terminal.calls]).toEqual([]);
  });

  it('carries out moderation with the token, and lists the admin commands', () => {
    const { run, calls, shown } = setup('secret');
    expect(run('/kick Bob spamming')).toBe(true);
    expect(run('/ban Bob')).toBe(true);
    expect(run('/unban 10.0.0.7')).toBe(true);
    expect(run('/clearhistory')).toBe(true);
    expect(run('/clearhistory --files')).toBe(true);
    expect(calls).toEqual([
      ['admin', 'secret', { action: 'kick', target: 'Bob', reason: 'spamming' }],
      ['admin', 'secret', { action: 'ban', target: 'Bob' }],
      ['admin', 'secret', { action: 'unban', target: '10.0.0.7' }],
      ['admin', 'secret', { action: 'clear_history' }],
      ['admin', 'secret', { action: 'clear_history', deleteFiles: true }],
    ]);
    run('/help');
    expect(shown.at(-1)![1]).toContain('/kick NAME [REASON]');
    expect(shown.at(-1)![1]).toContain('/clearhistory [--files]');
  });

  it('refuses a mistyped command with its usage', () => {
    const { run, shown } = setup();
    expect(run('/nick')).toBe(false);
    expect(run('/frobnicate')).toBe(false);
    expect(shown).toEqual([
      ['refused', 'Usage: /nick NAME'],
      ['refused', 'Unknown command /frobnicate. Type /help for the list.'],
    ]);
  });

  it('hands /send and /get to a shell that has files, and lists them in its help only', () => {
    const { run, shown } = setup();
    expect(run('/send a.txt')).toBe(false);
    expect(run('/get 1')).toBe(false);
    expect(shown).toEqual([
      ['refused', 'To share a file, use the Attach button or drop it on the conversation; to save one, use its Download link.'],
      ['refused', 'To share a file, use the Attach button or drop it on the conversation; to save one, use its Download link.'],
    ]);
    run('/help');
    expect(shown.at(-1)![1]).not.toContain('/send PATH [CAPTION]');

    const files: unknown[][] = [];
    const terminal = setupWith({ files: { send: (path, caption) => void files.push(['send', path, caption]), get: (n, dir) => void files.push(['get', n, dir]) } });
    expect(terminal.run('/send "a b.txt" look')).toBe(true);
    expect(terminal.run('/get 2 out')).toBe(true);
    expect(files).toEqual([
      ['send', 'a b.txt', 'look'],
      ['get', 2, 'out'],
    ]);
    terminal.run('/help');
    expect(terminal.shown.at(-1)![1]).toEqual(expect.arrayContaining(['/send PATH [CAPTION]', '/get N [DIR]']));
  });
});
