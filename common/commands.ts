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
  | { kind: 'clearhistory'; deleteFiles?: true }
  | { kind: 'send'; path: string; caption?: string }
  | { kind: 'get'; number: number; dir?: string }
  | { kind: 'invalid'; message: string };

export interface CommandHelp {
  usage: string;
  description: string;
  admin?: boolean;
  /** Only in the terminal (`hearth join`): the app attaches and downloads with buttons instead. */
  terminal?: boolean;
}

export const COMMANDS: readonly CommandHelp[] = [
  { usage: '/help', description: 'list the commands' },
  { usage: '/users', description: 'who is in the room' },
  { usage: '/nick NAME', description: 'change your name' },
  { usage: '/me ACTION', description: 'say what you are doing ("/me waves")' },
  { usage: '/msg NAME TEXT', description: 'a private message only NAME sees' },
  { usage: '/send PATH [CAPTION]', description: 'share a file ("/send ~/report.pdf the figures"; quote a path with spaces)', terminal: true },
  { usage: '/get N [DIR]', description: 'download file #N into DIR (default: this folder); resumes a partial one', terminal: true },
  { usage: '/clear', description: 'clear your screen (history stays)' },
  { usage: '/quit', description: 'leave the room' },
  { usage: '/kick NAME [REASON]', description: 'remove someone (host only)', admin: true },
  { usage: '/ban NAME|ADDRESS [REASON]', description: 'remove and keep out (host only)', admin: true },
  { usage: '/unban NAME|ADDRESS', description: 'let them back in (host only)', admin: true },
  { usage: '/clearhistory [--files]', description: 'delete the room history for everyone; with --files, the files its messages carry too (host only)', admin: true },
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
      return parseClearHistory(rest);
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
    case 'send':
      return parseSend(rest);
    case 'get':
      return parseGet(rest);
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

/**
 * `/clearhistory [--files]`: anything else after it is refused, not ignored, since a clear
 * cannot be undone and "/clearhistory files" may have meant to take the files too.
 */
function parseClearHistory(rest: string): Command {
  if (!rest) return { kind: 'clearhistory' };
  if (rest.toLowerCase() === '--files') return { kind: 'clearhistory', deleteFiles: true };
  return { kind: 'invalid', message: 'Usage: /clearhistory [--files] (--files deletes the files its messages carry too)' };
}

/** `/send PATH [CAPTION]`: the path is quoted ('…' or "…") or its first word. */
function parseSend(rest: string): Command {
  const usage: Command = { kind: 'invalid', message: 'Usage: /send PATH [CAPTION] (quote a path that has spaces)' };
  if (!rest) return usage;
  const quoted = /^(["'])(.*?)\1(?:\s+([\s\S]*))?$/.exec(rest);
  const word = /^(\S+)\s*([\s\S]*)$/.exec(rest);
  const path = quoted ? quoted[2] : word?.[1];
  if (!path) return usage;
  const caption = ((quoted ? quoted[3] : word?.[2]) ?? '').trim();
  return caption ? { kind: 'send', path, caption } : { kind: 'send', path };
}

/** `/get N [DIR]`: N as shown before the file's name ("#3" works too); DIR is the rest, quotes optional. */
function parseGet(rest: string): Command {
  const match = /^#?(\d{1,9})(?:\s+([\s\S]+))?$/.exec(rest);
  if (!match || Number(match[1]) < 1) return { kind: 'invalid', message: 'Usage: /get N [DIR], where N is the number shown before the file, like /get 3' };
  const dir = match[2]?.trim().replace(/^(["'])(.*)\1$/, '$2');
  return dir ? { kind: 'get', number: Number(match[1]), dir } : { kind: 'get', number: Number(match[1]) };
}
