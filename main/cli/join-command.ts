// `hearth join ADDRESS` (or an invite link, whose addresses are tried in turn): a terminal
// chat client on the shared RoomClient. Lines you type are messages or /commands; whatever arrives is printed above your prompt. When input
// ends (piped lines, Ctrl-D) it leaves once the host has acknowledged every message read,
// and says how many were not delivered (exit 1) if it has to give up.
// Before anything is sent it checks the host's identity (main/cli/join-identity.ts) and
// joins over TLS pinned to it; a host that presents another certificate on a reconnect is
// left at once, with the same warning as at the start.
import { join as joinPath } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { parseArgs } from 'node:util';
import WebSocket, { type ClientOptions } from 'ws';
import { secureAddress } from '../../common/address.ts';
import { RoomClient, type SocketLike } from '../../common/client.ts';
import { runCommand, type CommandShell } from '../../common/command-runner.ts';
import { COMMANDS, parseCommand } from '../../common/commands.ts';
import { parseFingerprintInput } from '../../common/identity.ts';
import { randomId } from '../../common/ids.ts';
import { parseInvite } from '../../common/invite.ts';
import type { ChatMessage } from '../../common/protocol.ts';
import { reachedSentence, reachRoom } from '../../common/reach.ts';
import { capitalize, CLEARED_WORDS, hereWords, joinedWords, leftWords, RECONNECTED_WORDS, removedWords, renamedWords, resetWords } from '../../common/wording.ts';
import { pinnedTlsConnect } from '../discovery/identity-probe.ts';
import { KNOWN_HOSTS_FILE } from '../discovery/known-hosts.ts';
import { defaultDataDir } from '../host/data-dir.ts';
import { roomAgent } from './file-http.ts';
import { FileSession } from './join-files.ts';
import { checkHostIdentity } from './join-identity.ts';
import { changedWarning, changedWhileJoinedReason } from './pin-words.ts';
import { readSecret } from './prompt.ts';
import { createFormatter, sanitizeForTerminal } from './terminal-format.ts';

const PROMPT = '> ';
/** Waiting this long without an ack, after input ends, is giving up (--give-up-after). */
const DEFAULT_GIVE_UP_MS = 30_000;

export async function runJoin(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        name: { type: 'string', default: '' },
        password: { type: 'boolean', default: false },
        'admin-token': { type: 'string' },
        heartbeat: { type: 'string' },
        'give-up-after': { type: 'string' },
        'accept-fingerprint': { type: 'string' },
        data: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    process.stderr.write(`hearth join: ${(error as Error).message}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(await joinHelp());
    return 0;
  }
  if (positionals.length !== 1) {
    process.stderr.write('hearth join: give one address or invite link, like `hearth join 192.168.1.7:47800`\n');
    return 2;
  }
  // After input ends: how long to keep waiting for acks while none comes.
  let giveUpMs = DEFAULT_GIVE_UP_MS;
  if (values['give-up-after'] !== undefined) {
    const seconds = Number(values['give-up-after']);
    if (!(seconds > 0)) {
      process.stderr.write('hearth join: --give-up-after must be a number of seconds above 0\n');
      return 2;
    }
    giveUpMs = seconds * 1000;
  }
  const accept = values['accept-fingerprint'];
  if (accept !== undefined && !parseFingerprintInput(accept)) {
    process.stderr.write("hearth join: --accept-fingerprint takes the identity the host's screen shows, like hyobc-tq2me-7xk4a-lw3fd, or its full SHA-256 fingerprint\n");
    return 2;
  }
  if (values.data === '') {
    process.stderr.write('hearth join: --data needs a folder\n');
    return 2;
  }
  const knownHostsFile = joinPath(values.data ?? defaultDataDir(), KNOWN_HOSTS_FILE);
  const fmt = createFormatter(process.stdout);
  const invite = parseInvite(positionals[0]!);
  if (!invite.ok) {
    process.stderr.write(`hearth join: ${sanitizeForTerminal(invite.reason)}\n`);
    return 2;
  }
  const reached = await reachRoom(invite.invite, (url, init) => fetch(url, init as RequestInit));
  // Room names come from the network: nothing in them may reach the terminal as a control.
  if (!reached.ok) {
    process.stderr.write(`hearth join: ${sanitizeForTerminal(reached.reason)}\n`);
    return 1;
  }
  if (reached.passed.length > 0) process.stdout.write(`${fmt.system(reachedSentence(reached))}\n`);
  const display = reached.address.display;
  // The same join again, accepting a new identity: what the changed-identity warning tells.
  const acceptCommand = (short: string) => `hearth join ${display} --accept-fingerprint ${short}${values.data === undefined ? '' : ` --data ${shellQuoted(values.data)}`}`;
  const identity = await checkHostIdentity({
    address: reached.address,
    linkId: invite.invite.hostId,
    announcedId: reached.health.id,
    accept,
    knownHostsFile,
    acceptCommand,
  });
  if (identity.kind === 'refused') {
    process.stderr.write(`${identity.warning}\n`);
    return 1;
  }
  if (identity.kind === 'plain') process.stderr.write(`${identity.warning}\n`);
  else {
    if (identity.notice !== undefined) process.stdout.write(`${fmt.system(identity.notice)}\n`);
    if (identity.problem !== undefined) process.stderr.write(`${identity.problem}\n`);
  }
  const pinned = identity.kind === 'encrypted' ? identity.fingerprint : undefined;
  let password: string | undefined;
  if (values.password || reached.health.passwordRequired) password = await readSecret(`Password for "${sanitizeForTerminal(reached.health.room)}": `);

  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const socketOptions: ClientOptions = {
    maxPayload: 64 * 1024 * 1024,
    ...(pinned !== undefined && { createConnection: pinnedTlsConnect(pinned, leaveForChangedIdentity) as unknown as ClientOptions['createConnection'] }),
  };
  const client = new RoomClient({
    url: pinned !== undefined ? secureAddress(reached.address).wsUrl : reached.address.wsUrl,
    name: values.name,
    // A fresh identity per run: two terminals on one account are two people, and a
    // reconnect within the run still resumes as the same person.
    clientId: randomId(22),
    password,
    // The password proof signs the pinned certificate: relayed by a man in the middle, whose
    // certificate it would then be, the real host refuses it.
    channelFingerprint: pinned,
    createSocket: (url) => new WebSocket(url, socketOptions) as unknown as SocketLike,
    ...(values.heartbeat !== undefined && Number(values.heartbeat) > 0 && { heartbeatMs: Number(values.heartbeat) * 1000 }),
  });

  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: interactive, prompt: PROMPT });
  const print = (line: string) => printAbovePrompt(rl, interactive, line);
  let joinedOnce = false;
  let exitCode = 0;
  let inputClosed = false;
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  // Every message read, until the host acknowledges it: what "delivered" means here.
  const unacked = new Set<string>();
  let read = 0;
  let refused = 0;
  /** /send and /get that failed (each said why at the time): piped input exits 1 for them. */
  let failedTransfers = 0;
  let whyLeft: string | undefined;
  let giveUpTimer: ReturnType<typeof setTimeout> | undefined;
  // History pages may come in several chunks: shown together, under one heading.
  let historyChunks: ChatMessage[] = [];
  let identityChanged = false;
  // Files go over HTTP on the room's port, the same way the room was reached: pinned TLS or plain.
  const agent = roomAgent(pinned, leaveForChangedIdentity);
  const files = new FileSession({
    client,
    base: (pinned !== undefined ? secureAddress(reached.address) : reached.address).httpUrl,
    agent,
    fmt,
    interactive,
    print,
    showProgress(text) {
      // The progress is the prompt's line: redrawn in place, what is being typed kept.
      const room = Math.max(10, (process.stdout.columns || 80) - 20);
      rl.setPrompt(text === '' ? PROMPT : `${fmt.dim(text.length > room ? `${text.slice(0, room - 1)}…` : text)} ${PROMPT}`);
      rl.prompt(true);
    },
    queued(id) {
      read++;
      unacked.add(id);
    },
    settled: (ok) => {
      if (!ok) failedTransfers++;
      if (inputClosed && unacked.size > 0) waitForProgress();
      maybeFinish();
    },
  });

  /** A connection met another certificate than the pinned one (the host changed while joined, or someone is in between): leave, and say why. */
  function leaveForChangedIdentity(presented: string): void {
    if (identityChanged || pinned === undefined) return;
    identityChanged = true;
    process.stderr.write(`${changedWarning(display, pinned, presented, acceptCommand)}\n`);
    exitCode = 1;
    whyLeft ??= changedWhileJoinedReason();
    client.close();
  }

  client.on('welcome', (w) => {
    const others = w.members.length - 1;
    if (!joinedOnce) {
      print(fmt.bold(`Joined "${w.room}" as ${w.you.name}. ${others === 0 ? 'Nobody else is here yet.' : `${others} other${others === 1 ? '' : 's'} here.`} Type /help for commands.`));
    } else {
      print(fmt.system(RECONNECTED_WORDS));
    }
    joinedOnce = true;
  });
  client.on('history', (h) => {
    historyChunks.push(...h.messages);
    if (!h.complete) return;
    const messages = historyChunks;
    historyChunks = [];
    if (h.mode === 'latest' && messages.length > 0) print(fmt.system(`last ${messageCount(messages.length)}`));
    if (h.mode === 'resume' && messages.length > 0) print(fmt.system(`${messageCount(messages.length)} while you were away`));
    for (const m of messages) print(fmt.message(m, client.me?.id, files.numberFor(m)));
    if (h.mode === 'older' && h.exhausted) print(fmt.system('that is the beginning of the room'));
  });
  client.on('reset', (r) => {
    files.historyReset();
    print(fmt.system(resetWords(r.reason)));
  });
  client.on('message', (m) => print(fmt.message(m, client.me?.id, files.numberFor(m))));
  client.on('member_joined', (m) => print(fmt.system(joinedWords(m.name))));
  client.on('member_left', ({ member, reason }) => print(fmt.system(`${member.name} ${leftWords(reason)}`)));
  client.on('renamed', (r) => print(fmt.system(renamedWords(r, r.id === client.me?.id))));
  client.on('error', (e) => {
    if (e.ref.type === 'join' || (e.code !== 'rate_limited' && e.code !== 'store_unavailable')) print(fmt.error(e.message));
    else print(fmt.system(`${e.message} — will retry`));
  });
  client.on('failed', (f) => {
    // Counted against delivery for piped input; a person at the prompt has just read why.
    if (unacked.delete(f.id) && !interactive) refused++;
    print(fmt.error(`not sent: ${f.reason}`));
    maybeFinish();
  });
  client.on('admin_done', (a) => print(fmt.system(a.detail)));
  client.on('cleared', () => print(fmt.system(CLEARED_WORDS)));
  client.on('kicked', (k) => print(fmt.error(capitalize(removedWords(k)))));
  client.on('ack', ({ id }) => {
    if (unacked.delete(id) && inputClosed) waitForProgress();
    maybeFinish();
  });
  client.on('state', (state) => {
    if (state.status === 'reconnecting') {
      print(fmt.system(`${state.reason} — reconnecting in ${(state.retryInMs / 1000).toFixed(1)} s (attempt ${state.attempt})`));
    } else if (state.status === 'connected') {
      if (interactive) rl.prompt(true);
      maybeFinish();
    } else if (state.status === 'closed') {
      if (state.code !== 'left') {
        print(fmt.error(state.reason));
        exitCode = 1;
        whyLeft ??= state.reason;
      }
      clearTimeout(giveUpTimer);
      finished();
    }
  });

  rl.on('line', (line) => {
    if (inputClosed) return; // lines readline had buffered after a piped /quit
    if (line.trim() === '') return interactive ? rl.prompt() : undefined;
    // The message comes back formatted once the host has it; drop the raw echo of the input.
    if (interactive && !line.startsWith('/')) process.stdout.write('\u001b[1A\u001b[2K');
    runLine(line);
    if (interactive) rl.prompt();
  });
  rl.on('close', endOfInput);
  const interrupted = () => {
    whyLeft ??= 'you left before the host acknowledged them';
    client.close();
  };
  rl.on('SIGINT', interrupted);
  // Piped, Ctrl-C reaches the process, not readline: leave the same way, saying what was not
  // finished; a second one ends at once. (Kept as a listener: signal-exit, which tus-js-client
  // loads, re-raises a signal nobody else listens to.)
  let interrupts = 0;
  if (!interactive) process.on('SIGINT', () => (interrupts++ === 0 ? interrupted() : process.exit(130)));

  function endOfInput(): void {
    if (inputClosed) return;
    inputClosed = true;
    if (unacked.size > 0) waitForProgress();
    maybeFinish();
  }

  /** Input is over: keep waiting while acks keep coming; give up after giveUpMs without one. */
  function waitForProgress(): void {
    clearTimeout(giveUpTimer);
    giveUpTimer = setTimeout(() => {
      // A file still going up or down is progress of its own (its retries are bounded).
      if (files.active > 0) return waitForProgress();
      const state = client.state;
      const seconds = Math.round(giveUpMs / 100) / 10;
      whyLeft ??= `nothing acknowledged for ${seconds} s${state.status === 'reconnecting' ? `: ${state.reason}` : ''}`;
      client.close();
    }, giveUpMs);
  }

  function maybeFinish(): void {
    // Leave once input has ended, every file is across and every message read has been acknowledged.
    if (!inputClosed || files.active > 0 || unacked.size > 0 || client.state.status !== 'connected') return;
    clearTimeout(giveUpTimer);
    client.close();
  }

  const shell: CommandShell = {
    adminToken: values['admin-token'],
    hostOnlyHint: 'start with --admin-token',
    sent(id) {
      read++;
      unacked.add(id);
    },
    refused: (words) => print(fmt.error(words)),
    help(commands) {
      for (const c of commands) print(fmt.dim(`  ${c.usage.padEnd(28)} ${c.description}`));
    },
    users: (members, me) => print(fmt.system(hereWords(members.map((m) => (m.id === me?.id ? `${m.name} (you)` : m.name))))),
    clearScreen: () => void process.stdout.write('\u001b[2J\u001b[H'),
    files: { send: (path, caption) => files.send(path, caption), get: (number, dir) => files.get(number, dir) },
    quit() {
      // Typed: leave now. Piped: the end of the input, so what came before it is delivered.
      // (readline is closed once the client has left: closed from inside its own 'line'
      // handler, it would keep stdin open.)
      if (!interactive) return endOfInput();
      whyLeft ??= 'you left before the host acknowledged them';
      client.close();
    },
  };
  function runLine(line: string): void {
    runCommand(parseCommand(line, client.members.map((m) => m.name)), client, shell);
  }

  client.connect();
  await done;
  inputClosed = true; // nothing more is read, nor waited for
  clearTimeout(giveUpTimer);
  rl.close();
  const unfinished = await files.stopAll();
  agent.destroy();
  for (const words of unfinished) process.stderr.write(`hearth join: ${words}\n`);
  if (failedTransfers > 0 && !interactive) {
    process.stderr.write(`hearth join: ${failedTransfers === 1 ? '1 file command' : `${failedTransfers} file commands`} did not finish (said above).\n`);
  }
  if (unfinished.length > 0 || (failedTransfers > 0 && !interactive)) exitCode = 1;
  if (unacked.size > 0 || refused > 0) {
    const reasons = [
      ...(refused > 0 ? [`${refused} refused by the host`] : []),
      ...(unacked.size > 0 ? [whyLeft ?? 'the connection closed'] : []),
    ];
    process.stderr.write(`hearth join: ${unacked.size + refused} of ${read} message${read === 1 ? '' : 's'} ${unacked.size + refused === 1 ? 'was' : 'were'} not delivered (${reasons.join('; ')})\n`);
    exitCode = 1;
  }
  return exitCode;
}

/** `hearth join --help`: the join part of `hearth --help`, then what can be typed at the prompt. */
async function joinHelp(): Promise<string> {
  const { USAGE } = await import('./main.ts');
  const lines = USAGE.split('\n');
  const start = lines.findIndex((l) => l.startsWith('join '));
  const end = lines.findIndex((l, i) => i > start && /^\S/.test(l));
  const section = start < 0 ? [] : lines.slice(start, end < 0 ? undefined : end);
  const commands = COMMANDS.map((c) => `        ${c.usage.padEnd(28)} ${c.description}`);
  return ['Usage: hearth join ADDRESS [options]', '', ...section, '', 'At the prompt (a line without / is a message):', ...commands, ''].join('\n');
}

/** A folder as a shell reads it back: quoted only when it has to be. */
function shellQuoted(text: string): string {
  return /^[\w./:@%+-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

function printAbovePrompt(rl: Interface, interactive: boolean, line: string): void {
  if (!interactive) {
    process.stdout.write(`${line}\n`);
    return;
  }
  // Clear the prompt line, print, then redraw the prompt with what was being typed.
  process.stdout.write('\r\u001b[2K');
  process.stdout.write(`${line}\n`);
  rl.prompt(true);
}

function messageCount(n: number): string {
  return `${n} message${n === 1 ? '' : 's'}`;
}
