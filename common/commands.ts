// Slash commands typed in the composer. Parsed by clients (terminal and app alike); the
// host only ever sees the frames they turn into.

export type Command =
  | { kind: 'say'; text: string }
  | { kind: 'me'; text: string }
  | { kind: 'msg'; to: string; text: string }
  | { kind: 'nick'; name: string }
  | { kind: 'users' }
  | { kind: 'help' }
  | { kind: 'clear' }
  | { kind: 'quit' }
  | { kind: 'kick'; target: string; reason?: string }
  | { kind: 'ban'; target: string; reason?: string }
  | { kind: 'unban'; target: string }
  | { kind: 'clearhistory' }
  | { kind: 'invalid'; message: string };

export interface CommandHelp {
  usage: string;
  description: string;
  admin?: boolean;
}

export const COMMANDS: readonly CommandHelp[] = [
  { usage: '/help', description: 'list the commands' },
  { usage: '/users', description: 'who is in the room' },
  { usage: '/nick NAME', description: 'change your name' },
  { usage: '/me ACTION', description: 'say what you are doing ("/me waves")' },
  { usage: '/msg NAME TEXT', description: 'a private message only NAME sees' },
  { usage: '/clear', description: 'clear your screen (history stays)' },
  { usage: '/quit', description: 'leave the room' },
  { usage: '/kick NAME [REASON]', description: 'remove someone (host only)', admin: true },
  { usage: '/ban NAME|ADDRESS [REASON]', description: 'remove and keep out (host only)', admin: true },
  { usage: '/unban NAME|ADDRESS', description: 'let them back in (host only)', admin: true },
  { usage: '/clearhistory', description: 'delete the room history for everyone (host only)', admin: true },
];

/**
 * Parse one line. `members` lets names with spaces work without quotes: "/msg Sunny Otter hi"
 * picks the longest member name the line starts with. Quotes work too: /msg "Sunny Otter" hi.
 * A line starting with "//" sends the rest literally ("//shrug" says "/shrug").
 */
export function parseCommand(line: string, members: readonly string[] = []): Command {
  if (!line.startsWith('/')) return { kind: 'say', text: line };
  if (line.startsWith('//')) return { kind: 'say', text: line.slice(1) };
  const match = /^\/(\S+)\s*([\s\S]*)$/.exec(line);
  const name = match?.[1]?.toLowerCase() ?? '';
  const rest = match?.[2]?.trim() ?? '';
  switch (name) {
    case 'help':
    case '?':
      return { kind: 'help' };
    case 'users':
    case 'who':
      return { kind: 'users' };
    case 'clear':
      return { kind: 'clear' };
    case 'quit':
    case 'exit':
    case 'leave':
      return { kind: 'quit' };
    case 'clearhistory':
      return { kind: 'clearhistory' };
    case 'nick':
    case 'name':
      return rest ? { kind: 'nick', name: rest } : { kind: 'invalid', message: 'Usage: /nick NAME' };
    case 'me':
      return rest ? { kind: 'me', text: rest } : { kind: 'invalid', message: 'Usage: /me ACTION' };
    case 'msg':
    case 'whisper':
    case 'w': {
      const split = splitTarget(rest, members);
      if (!split || !split.rest) return { kind: 'invalid', message: 'Usage: /msg NAME TEXT' };
      return { kind: 'msg', to: split.target, text: split.rest };
    }
    case 'kick':
    case 'ban': {
      const split = splitTarget(rest, members);
      if (!split) return { kind: 'invalid', message: `Usage: /${name} NAME [REASON]` };
      return split.rest ? { kind: name, target: split.target, reason: split.rest } : { kind: name, target: split.target };
    }
    case 'unban':
      return rest ? { kind: 'unban', target: rest } : { kind: 'invalid', message: 'Usage: /unban NAME|ADDRESS' };
    default:
      return { kind: 'invalid', message: `Unknown command /${name.slice(0, 20)}. Type /help for the list.` };
  }
}

function splitTarget(rest: string, members: readonly string[]): { target: string; rest: string } | undefined {
  if (!rest) return undefined;
  const quoted = /^"([^"]+)"\s*([\s\S]*)$/.exec(rest);
  if (quoted) return { target: quoted[1]!, rest: quoted[2]!.trim() };
  const lower = rest.toLowerCase();
  const byLength = [...members].sort((a, b) => b.length - a.length);
  for (const member of byLength) {
    const m = member.toLowerCase();
    if (lower === m) return { target: member, rest: '' };
    if (lower.startsWith(`${m} `)) return { target: member, rest: rest.slice(member.length).trim() };
  }
  const word = /^(\S+)\s*([\s\S]*)$/.exec(rest);
  return word ? { target: word[1]!, rest: word[2]!.trim() } : undefined;
}
