// `hearth host`: a room without a screen. Prints where to join, logs who comes and goes,
// and closes cleanly on Ctrl-C (history flushed, everyone told the host stopped).
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs, styleText } from 'node:util';
import { inviteLink } from '../../common/invite.ts';
import { joinUrl, localAddresses } from '../discovery/addresses.ts';
import { RoomAdvertiser } from '../discovery/advertise.ts';
import { loadHostId } from '../discovery/host-id.ts';
import { defaultDataDir, explainDataDirError } from '../host/data-dir.ts';
import { DEFAULT_PORT, startHost } from '../host/server.ts';
import { HistoryLostError, openHistory } from '../host/history-file.ts';
import { MemoryHistoryStore, type HistoryStore } from '../host/store/index.ts';
import { readSecret } from './prompt.ts';

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
        'max-members': { type: 'string' },
        'rate-limit': { type: 'string' },
        store: { type: 'string', default: 'sqlite' },
        'new-history': { type: 'boolean', default: false },
        heartbeat: { type: 'string' },
      },
      allowPositionals: false,
      allowNegative: true,
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`hearth host: ${(error as Error).message}\n`);
    return 2;
  }
  const room = (values.room ?? `${safeUserName()}'s room`).trim();
  if (room.length === 0 || room.length > 64) {
    process.stderr.write('hearth host: --room must be 1–64 characters\n');
    return 2;
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write('hearth host: --port must be a number from 0 to 65535\n');
    return 2;
  }
  const maxPerAddress = positiveOption(values['max-per-address']);
  const maxMembers = positiveOption(values['max-members']);
  const rate = positiveOption(values['rate-limit']);
  const heartbeat = positiveOption(values.heartbeat);
  if ([maxPerAddress, maxMembers, rate, heartbeat].some((v) => Number.isNaN(v))) {
    process.stderr.write('hearth host: --max-per-address, --max-members, --rate-limit and --heartbeat take positive numbers\n');
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
  let password: string | undefined;
  if (values.password) {
    password = await readSecret('Room password: ');
    if (!password) {
      process.stderr.write('hearth host: the password cannot be empty\n');
      return 2;
    }
  }

  const dataDir = values.data ?? defaultDataDir();
  let store: HistoryStore;
  let movedAside: string[] = [];
  try {
    if (values.store === 'memory') store = new MemoryHistoryStore();
    else ({ store, movedAside } = openHistory(dataDir, { newHistory: values['new-history'] }));
  } catch (error) {
    if (error instanceof HistoryLostError) {
      process.stderr.write(`hearth host: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(
      `hearth host: cannot keep history in ${dataDir}: ${explainDataDirError(dataDir, error)}.\n` +
        '  Choose another folder with --data, or keep history in memory only with --store memory.\n',
    );
    return 1;
  }

  const log = (line: string) => process.stderr.write(`${styleText('dim', timestamp(), { stream: process.stderr })} ${line}\n`);
  const hostId = loadHostId(dataDir);
  // Made once the room listens; the host asks it which .local names are ours (vm-2.local
  // when vm.local was taken), so a browser opening the room by that name passes the Origin check.
  let advertiser: RoomAdvertiser | undefined;
  let host;
  try {
    host = await startHost({
      room,
      store,
      password,
      port,
      webRoot: builtWebClient(),
      hostId,
      hostNames: () => advertiser?.hostNames ?? [],
      ...(values.bind !== undefined && { bind: values.bind }),
      ...(maxPerAddress !== undefined && { maxConnectionsPerAddress: maxPerAddress }),
      ...(maxMembers !== undefined && { maxMembers }),
      ...(heartbeat !== undefined && { heartbeatMs: heartbeat * 1000 }),
      ...(rate !== undefined && { rateLimit: { burst: rate * 3, perSecond: rate } }),
      log,
    });
  } catch (error) {
    store.close();
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'EADDRINUSE'
        ? `port ${port} is already in use (is another room open?). Try --port 0 for any free port.`
        : (error as Error).message;
    process.stderr.write(`hearth host: ${why}\n`);
    return 1;
  }

  // From here on Ctrl-C closes the room properly, even while the announcement is starting.
  const stopRequested = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('Ctrl-C'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });

  const out = process.stdout;
  const bold = (s: string) => styleText('bold', s, { stream: out });
  const dim = (s: string) => styleText('dim', s, { stream: out });
  out.write(`${bold(`Hearth room "${room}" is open`)}${password ? ' (password protected)' : ''}.\n`);
  const addresses = localAddresses();
  if (addresses.length === 0) {
    out.write(`  No network address found: only this machine can join, at http://127.0.0.1:${host.port}/\n`);
  } else {
    out.write('  Join with `hearth join ADDRESS`, the Hearth app, or a browser:\n');
    for (const a of addresses) {
      const note = a.label ? `${a.interface}, ${a.label}` : a.interface;
      out.write(`    ${joinUrl(a, host.port).padEnd(34)} ${dim(`(${note})`)}\n`);
    }
    // One link to paste anywhere: the app and `hearth join` try each address in it in turn.
    out.write(`  Invite link with every address: ${inviteLink(addresses.map((a) => ({ host: a.address, port: host.port })), hostId)}\n`);
  }
  out.write(`  On this machine: http://127.0.0.1:${host.port}/\n`);
  out.write(`  Admin token (moderation; keep it private): ${host.room.adminToken}\n`);
  out.write(values.store === 'memory' ? '  History: in memory only (--store memory)\n' : `  History: ${dataDir}\n`);
  if (values['new-history']) {
    out.write(`  Started a new history${movedAside.length ? `; the old files are kept as ${movedAside.join(', ')}` : ''}\n`);
  }
  if (!values.mdns) {
    out.write('  LAN announcement: off (--no-mdns)\n');
  } else {
    // Interfaces are followed as they come, go and change address: --interface names them
    // (or their addresses), and one without an IPv4 address yet is announced when it gets one
    // (until then the status below says so).
    const wanted = values.interface;
    advertiser = new RoomAdvertiser({ room, port: host.port, hostId, lock: Boolean(password), users: 0, ...(wanted && { interfaces: wanted }) });
    const status = await Promise.race([advertiser.start(), stopRequested.then(() => undefined)]);
    if (status?.state === 'announcing') {
      out.write(`  Announced on the LAN as "${advertiser.instanceName}" (${status.interfaces.join(', ')})\n`);
    } else if (status?.state === 'unavailable') {
      out.write(`  LAN discovery unavailable: ${status.reason}. People can still join with an address above.\n`);
    }
    advertiser.on('status', (s) => {
      if (s.state === 'unavailable') log(`discovery unavailable: ${s.reason} (the room stays open)`);
      else if (s.state === 'announcing') log(`announced on the LAN (${s.interfaces.join(', ')})`);
    });
  }
  out.write(dim('Press Ctrl-C to close the room.\n'));

  const announceCount = () => advertiser?.update({ users: host.room.memberCount });
  host.room.on('lock_changed', (lock) => advertiser?.update({ lock }));
  host.room.on('member_joined', (m) => {
    log(`${m.name} joined (${host.room.memberCount} here)`);
    announceCount();
  });
  host.room.on('member_left', (m, why) => {
    log(`${m.name} left${why === 'left' ? '' : ` (${why})`} (${host.room.memberCount} here)`);
    announceCount();
  });

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
  // Goodbye on the LAN first, so rooms lists drop the room at once.
  await advertiser?.stop();
  await host.close();
  log('room closed, history saved');
  return 0;
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
    return name ? name.charAt(0).toUpperCase() + name.slice(1) : 'Hearth';
  } catch {
    return 'Hearth';
  }
}

function timestamp(): string {
  return new Date().toTimeString().slice(0, 8);
}
