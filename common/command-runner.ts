// Carries out one parsed slash command (common/commands.ts) on a RoomClient, the same way
// for the terminal and the app. What is left to each shell is presentation: how a notice,
// the help or the member list looks, what clearing the screen and quitting mean there.
import type { RoomClient } from './client.ts';
import { COMMANDS, type Command, type CommandHelp } from './commands.ts';
import type { Member } from './protocol.ts';
import { hostOnlyWords } from './wording.ts';

/** What a command needs of the RoomClient. */
export type CommandClient = Pick<RoomClient, 'send' | 'rename' | 'admin' | 'members' | 'me'>;

export interface CommandShell {
  /** The host's admin token, when this shell holds it: moderation commands work. */
  adminToken: string | undefined;
  /** After "Only the host can do that": how to become the host, where the shell knows. */
  hostOnlyHint?: string;
  /** A message went into the outbox (`text` as typed). */
  sent(id: string, message: { text: string; action: boolean; to?: string | undefined }): void;
  /** Refused here and now, in words: a message the host would refuse, a mistyped command, a host-only command. */
  refused(words: string): void;
  /** The commands this person may use (admin ones only with the token). */
  help(commands: readonly CommandHelp[]): void;
  users(members: Member[], me: Member | undefined): void;
  clearScreen(): void;
  quit(): void;
  /**
   * Files by path and number (`/send`, `/get`): a shell that has them (the terminal). The app
   * attaches and downloads with its buttons; there these commands say so.
   */
  files?: {
    send(path: string, caption: string | undefined): void;
    get(number: number, dir: string | undefined): void;
  };
}

/** /send or /get typed where files are buttons (the app). */
export const FILES_ARE_BUTTONS_WORDS = 'To share a file, use the Attach button or drop it on the conversation; to save one, use its Download link.';

/** Run one command; false when it was refused there and then (the app keeps the draft to fix). */
export function runCommand(command: Command, client: CommandClient, shell: CommandShell): boolean {
  const send = (text: string, options: { action?: boolean; to?: string }): boolean => {
    const result = client.send(text, options);
    if (!result.ok) {
      shell.refused(result.error);
      return false;
    }
    shell.sent(result.id, { text, action: Boolean(options.action), to: options.to });
    return true;
  };
  switch (command.kind) {
    case 'say':
      return send(command.text, {});
    case 'me':
      return send(command.text, { action: true });
    case 'msg':
      return send(command.text, { to: command.to });
    case 'nick':
      client.rename(command.name);
      return true;
    case 'users':
      shell.users(client.members, client.me);
      return true;
    case 'help':
      shell.help(COMMANDS.filter((c) => (!c.admin || shell.adminToken) && (!c.terminal || shell.files)));
      return true;
    case 'clear':
      shell.clearScreen();
      return true;
    case 'quit':
      shell.quit();
      return true;
    case 'kick':
    case 'ban':
    case 'unban':
    case 'clearhistory': {
      const token = shell.adminToken;
      if (!token) {
        shell.refused(hostOnlyWords(shell.hostOnlyHint));
        return false;
      }
      if (command.kind === 'clearhistory') client.admin(token, { action: 'clear_history', ...(command.deleteFiles && { deleteFiles: true }) });
      else if (command.kind === 'unban') client.admin(token, { action: 'unban', target: command.target });
      else client.admin(token, { action: command.kind, target: command.target, ...(command.reason && { reason: command.reason }) });
      return true;
    }
    case 'send':
    case 'get':
      if (!shell.files) {
        shell.refused(FILES_ARE_BUTTONS_WORDS);
        return false;
      }
      if (command.kind === 'send') shell.files.send(command.path, command.caption);
      else shell.files.get(command.number, command.dir);
      return true;
    case 'invalid':
      shell.refused(command.message);
      return false;
  }
}
