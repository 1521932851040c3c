// `hearth host`: a room without a screen. Prints where to join, logs who comes and goes,
// and closes cleanly on Ctrl-C (history flushed, everyone told the host stopped).
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, styleText } from 'node:util';
import { formatBytes } from '../../common/files.ts';
import { colonHex } from '../../common/identity.ts';
import { checkRoomName, MAX_ROOM_NAME_CHARS } from '../../common/room-name.ts';
import { defaultDataDir } from '../host/data-dir.ts';
import { DEFAULT_PORT } from '../host/server.ts';
import { openHosting, type HostingFailure } from '../hosting/session.ts';
import { readSecret } from './prompt.ts';
import { capitalize } from '../../common/wording.ts';

export async function runHost(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        room: { type: 'string' },
        port: { type: 'string' },
        data: { type: 'string' },
        password: { type: 'boolean', default: false },
        mdns: { type: 'boolean', default: true },
        interface: { type: 'string', multiple: true },
        bind: { type: 'string' },
        'max-per-address': { type: 'string' },
        // Benchmarks only, like --max-per-address: every bench client comes from 127.0.0.1.
        'max-pending-per-address': { type: 'string' },
        'max-members': { type: 'string' },
        'rate-limit': { type: 'string' },
        store: { type: 'string', default: 'sqlite' },
        'new-history': { type: 'boolean', default: false },
        'new-identity': { type: 'boolean', default: false },
        'encrypted-only': { type: 'boolean', default: false },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        heartbeat: { type: 'string' },
        'max-file-size': { type: 'string' },
        'files-quota': { type: 'string' },
      },
      allowPositionals: false,
      allowNegative: true,
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`hearth host: ${(error as Error).message}\n`);
    return 2;
  }
  const checked = checkRoomName(values.room ?? `${safeUserName()}'s room`);
  if (!checked.ok) {
    process.stderr.write(
      checked.problem === 'control' ? 'hearth host: --room cannot contain control characters\n' : `hearth host: --room must be 1–${MAX_ROOM_NAME_CHARS} characters\n`,
    );
    return 2;
  }
  const room = checked.name;
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write('hearth host: --port must be a number from 0 to 65535\n');
    return 2;
  }
  const maxPerAddress = positiveOption(values['max-per-address']);
  const maxPendingPerAddress = positiveOption(values['max-pending-per-address']);
  const maxMembers = positiveOption(values['max-members']);
  const rate = positiveOption(values['rate-limit']);
  const heartbeat = positiveOption(values.heartbeat);
  if ([maxPerAddress, maxPendingPerAddress, maxMembers, rate, heartbeat].some((v) => Number.isNaN(v))) {
    process.stderr.write('hearth host: --max-per-address, --max-pending-per-address, --max-members, --rate-limit and --heartbeat take positive numbers\n');
    return 2;
  }
  const maxFileBytes = sizeOption(values['max-file-size']);
  const filesQuota = sizeOption(values['files-quota']);
  if (Number.isNaN(maxFileBytes) || Number.isNaN(filesQuota)) {
    process.stderr.write('hearth host: --max-file-size and --files-quota take a size, like 500MB, 2GB or 2GiB\n');
    return 2;
  }
  if (values.store !== 'sqlite' && values.store !== 'memory') {
    process.stderr.write('hearth host: --store is sqlite (default) or memory (benchmarks: history is not kept)\n');
    return 2;
  }
  if (values['new-history'] && values.store === 'memory') {
    process.stderr.write('hearth host: --new-history starts a new saved history; --store memory keeps none\n');
    return 2;
  }
  const tlsFiles = providedTlsFiles(values['tls-cert'], values['tls-key'], values['new-identity']);
  if (typeof tlsFiles === 'string') {
    process.stderr.write(`hearth host: ${tlsFiles}\n`);
    return 2;
  }
  let password: string | undefined;
  if (values.password) {
    password = await readSecret('Room password: ');
    if (!password) {
      process.stderr.write('hearth host: the password cannot be empty\n');
      return 2;
    }
  }

  const dataDir = values.data ?? defaultDataDir();
  // Files live beside the history (<data>/files); with history in memory, in a folder of
  // this run's that goes when the room closes.
  const temporaryFiles = values.store === 'memory' ? temporaryFilesDir(dataDir) : undefined;
  const log = (line: string) => process.stderr.write(`${styleText('dim', timestamp(), { stream: process.stderr })} ${line}\n`);
  const opened = await openHosting({
    room,
    password,
    port,
    history: values.store === 'memory' ? { kind: 'memory' } : { kind: 'folder', dir: dataDir, newHistory: values['new-history'] },
    dataDir,
    newIdentity: values['new-identity'],
    tlsFiles,
    encryptedOnly: values['encrypted-only'],
    mdns: values.mdns,
    interfaces: values.interface,
    webRoot: builtWebClient(),
    bind: values.bind,
    maxConnectionsPerAddress: maxPerAddress,
    maxPendingPerAddress,
    maxMembers,
    heartbeatMs: heartbeat === undefined ? undefined : heartbeat * 1000,
    rateLimit: rate === undefined ? undefined : { burst: rate * 3, perSecond: rate },
    files: { dir: temporaryFiles ?? join(dataDir, 'files'), maxFileBytes, quotaBytes: filesQuota },
    log,
  });
  const removeTemporaryFiles = () => temporaryFiles && rmSync(temporaryFiles, { recursive: true, force: true });
  if (!opened.ok) {
    removeTemporaryFiles();
    process.stderr.write(`hearth host: ${failureText(opened.failure)}\n`);
    // Files named on the command line that cannot be used: a usage error, like a bad option.
    return opened.failure.kind === 'tls-unusable' ? 2 : 1;
  }
  const session = opened.session;
  const host = session.host;

  // From here on Ctrl-C closes the room properly, even while the announcement is starting.
  const stopRequested = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('Ctrl-C'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });

  const out = process.stdout;
  const bold = (s: string) => styleText('bold', s, { stream: out });
  const dim = (s: string) => styleText('dim', s, { stream: out });
  const encryptedOnly = values['encrypted-only'];
  const provided = session.identity.source === 'provided';
  const notes = [...(password ? ['password protected'] : []), ...(encryptedOnly ? ['encrypted connections only'] : [])];
  out.write(`${bold(`Hearth room "${room}" is open`)}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}.\n`);
  if (session.addresses.length === 0) {
    out.write(`  No network address found: only this machine can join, at ${session.localUrl}\n`);
  } else {
    // Browsers open plain http links unless the certificate is one they can verify (a provided one).
    out.write(
      encryptedOnly && !provided
        ? '  Join with `hearth join ADDRESS` or the Hearth app (browsers cannot: they would join without encryption):\n'
        : '  Join with `hearth join ADDRESS`, the Hearth app, or a browser:\n',
    );
    if (session.certificateName) out.write(`    ${`https://${session.certificateName}:${session.port}/`.padEnd(34)} ${dim("(the certificate's name)")}\n`);
    for (const a of session.addresses) {
      const note = a.label ? `${a.interface}, ${a.label}` : a.interface;
      out.write(`    ${a.url.padEnd(34)} ${dim(`(${note})`)}\n`);
    }
    // One link to paste anywhere: the app and `hearth join` try each address in it in turn.
    out.write(`  Invite link with every address: ${session.inviteLink}\n`);
  }
  out.write(`  On this machine: ${session.localUrl}\n`);
  // What people will compare with what their app or `hearth join` shows (the short form;
  // joiners are shown it in the next stage of #16), or check in full (the same as `openssl x509 -noout -fingerprint -sha256 -in host-cert.pem`).
  out.write(`  Identity: ${bold(session.identity.short)} ${dim(`(SHA-256 ${colonHex(session.identity.fingerprint)})`)}\n`);
  if (provided) {
    // Pinning clients remember this certificate itself: a renewal looks like another host.
    out.write(`  The identity is the certificate you provided (${values['tls-cert']}). A renewed certificate is a new identity:\n`);
    out.write('  people who joined before will be warned, and should compare the new one with this screen.\n');
  }
  if (session.identity.movedAside.length > 0) {
    out.write(`  Made a new identity; the old files are kept as ${session.identity.movedAside.join(', ')}\n`);
  }
  out.write(`  Admin token (moderation; keep it private): ${host.room.adminToken}\n`);
  out.write(values.store === 'memory' ? '  History: in memory only (--store memory)\n' : `  History: ${dataDir}\n`);
  const files = host.files?.usage();
  if (host.files && files) {
    const where = temporaryFiles ? `${host.files.dir} (temporary: removed when the room closes)` : host.files.dir;
    out.write(`  Files: ${where}, up to ${formatBytes(files.maxFileBytes)} each, ${formatBytes(files.quotaBytes)} in all\n`);
  }
  if (values['new-history']) {
    out.write(`  Started a new history${session.movedAside.length ? `; the old files are kept as ${session.movedAside.join(', ')}` : ''}\n`);
  }
  if (!values.mdns) {
    out.write('  LAN announcement: off (--no-mdns)\n');
  } else {
    // Interfaces are followed as they come, go and change address: --interface names them
    // (or their addresses), and one without an IPv4 address yet is announced when it gets one
    // (until then the status below says so).
    const status = await Promise.race([session.announce(), stopRequested.then(() => undefined)]);
    if (status?.state === 'announcing') {
      out.write(`  Announced on the LAN as "${session.instanceName}" (${status.interfaces.join(', ')})\n`);
    } else if (status?.state === 'unavailable') {
      out.write(`  LAN discovery unavailable: ${status.reason}. People can still join with an address above.\n`);
    }
    session.on('discovery', (s) => {
      if (s.state === 'unavailable') log(`discovery unavailable: ${s.reason} (the room stays open)`);
      else if (s.state === 'announcing') log(`announced on the LAN (${s.interfaces.join(', ')})`);
    });
  }
  out.write(dim('Press Ctrl-C to close the room.\n'));

  session.on('member_joined', (m, here) => log(`${m.name} joined (${here} here)`));
  session.on('member_left', (m, why, here) => log(`${m.name} left${why === 'left' ? '' : ` (${why})`} (${here} here)`));

  // Diagnostics for leak tests: with HEARTH_MEMORY_REPORT set (and node --expose-gc),
  // SIGUSR2 collects garbage and prints the live heap, which a leak would grow.
  if (process.env['HEARTH_MEMORY_REPORT']) {
    process.on('SIGUSR2', () => {
      (globalThis as { gc?: () => void }).gc?.();
      const m = process.memoryUsage();
      process.stderr.write(`memory: heapUsed=${m.heapUsed} rss=${m.rss} connections=${host.connectionCount()}\n`);
    });
  }

  log(`${await stopRequested}: closing the room…`);
  await session.stop();
  removeTemporaryFiles();
  log('room closed, history saved');
  return 0;
}

/** A room that did not open, in the terminal's words (with what to try instead). */
function failureText(failure: HostingFailure): string {
  switch (failure.kind) {
    case 'history-lost':
      return failure.message;
    case 'history-unusable':
      return (
        `cannot keep history in ${failure.dir}: ${failure.reason}.\n` +
        '  Choose another folder with --data, or keep history in memory only with --store memory.'
      );
    case 'tls-unusable':
      return `${failure.reason}.\n  Check --tls-cert (the certificate, or its chain with the host's certificate first) and --tls-key (its private key), both PEM files.`;
    case 'identity-unusable':
      return (
        `${failure.reason}.\n` +
        '  To start over with a new identity on purpose (its fingerprint changes: people who compare it will see a new one): hearth host --new-identity'
      );
    case 'port-in-use':
      return `port ${failure.port} is already in use (is another room open?). Try --port 0 for any free port.`;
    case 'cannot-listen':
      return failure.message;
  }
}

/** Both files or neither; a message when the options do not go together. */
function providedTlsFiles(cert: string | undefined, key: string | undefined, newIdentity: boolean): { cert: string; key: string } | undefined | string {
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined) return '--tls-cert and --tls-key go together: the certificate and its private key';
  if (newIdentity) return "--new-identity makes a new identity of Hearth's own; with --tls-cert the certificate you provide is the identity";
  return { cert, key };
}

/**
 * `<data>/temporary-files-<pid>`: files of a room whose history is not kept either. One
 * left by a run that was killed (its process gone) is removed now: nothing refers to it.
 */
function temporaryFilesDir(dataDir: string): string {
  let names: string[] = [];
  try {
    names = readdirSync(dataDir);
  } catch {
    // no data folder yet: nothing left over
  }
  for (const name of names) {
    const pid = /^temporary-files-(\d+)$/.exec(name)?.[1];
    if (pid !== undefined && !isRunning(Number(pid))) rmSync(join(dataDir, name), { recursive: true, force: true });
  }
  return join(dataDir, `temporary-files-${process.pid}`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** "500MB", "2GB" (decimal, as file sizes are shown), "2GiB" (binary), "1048576" (bytes); NaN for anything else. */
export function sizeOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)?\s*$/i.exec(value);
  if (!match) return Number.NaN;
  const unit = (match[2] ?? 'b').toLowerCase();
  const power = 'bkmgt'.indexOf(unit[0]!);
  const bytes = Math.floor(Number(match[1]) * (unit.includes('i') ? 1024 : 1000) ** power);
  return bytes > 0 && Number.isSafeInteger(bytes) ? bytes : Number.NaN;
}

function positiveOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : Number.NaN;
}

/** The web client built by `npm run build`, if there is one. */
function builtWebClient(): string | undefined {
  const dir = fileURLToPath(new URL('../../out/renderer', import.meta.url));
  return existsSync(`${dir}/index.html`) ? dir : undefined;
}

function safeUserName(): string {
  try {
    const name = userInfo().username;
    return name ? capitalize(name) : 'Hearth';
  } catch {
    return 'Hearth';
  }
}

function timestamp(): string {
  return new Date().toTimeString().slice(0, 8);
}
