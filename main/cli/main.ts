// `hearth` — the headless entry: host a room or join one from a terminal.
import { runDoctor } from './doctor-command.ts';
import { runHost } from './host-command.ts';
import { runJoin } from './join-command.ts';
import { runRooms } from './rooms-command.ts';

export const USAGE = `Hearth — chat with the people on your local network.

Usage:
  hearth host [--room NAME] [--port N] [--data DIR] [--password] [--no-mdns] [--interface ADDR] [--new-history] [--new-identity]
              [--encrypted-only] [--tls-cert FILE --tls-key FILE] [--max-file-size SIZE] [--files-quota SIZE]
  hearth join ADDRESS [--name NAME] [--password] [--admin-token TOKEN] [--give-up-after S] [--accept-fingerprint ID] [--data DIR]
  hearth rooms [--json] [--watch] [--timeout MS] [--scan]
  hearth doctor [--port N] [--no-mdns]
  hearth --help | --version

host  Open a room on this machine and print the addresses to join it.
        --room NAME      room name (default: "<your user>'s room")
        --port N         port for the web client and WebSocket (default 47800; 0 = any free)
        --data DIR       where history and this host's identity are kept (default: your user data folder)
        --password       ask for a room password (read from stdin when it is not a terminal)
        --no-mdns        do not announce the room on the LAN
        --interface A    announce only on this interface (name or IPv4 address; repeatable)
        --heartbeat S    ping every S seconds, drop who does not answer (default 15)
        --new-history    the history file is gone or damaged: keep it aside, start a new one
        --new-identity   this host's key or certificate is damaged: keep them aside, make a new identity (a new fingerprint)
        --encrypted-only refuse joins without encryption (browsers on plain http links; the app and
                         \`hearth join\` always encrypt)
        --tls-cert FILE  serve this certificate (PEM; a chain with the host's certificate first), e.g. from
        --tls-key FILE   an office CA, with its private key: browsers that trust it open https links. It
                         becomes the room's identity: a renewed certificate is a new one, and people are warned
        --max-file-size SIZE  the largest file people may share (default 2GiB; e.g. 500MB, 2GiB)
        --files-quota SIZE    space for all shared files together (default 10GiB, less on a small disk)
join  Join a room from this terminal. ADDRESS is what the host shows: 192.168.1.7:47800,
      a link like http://192.168.1.7:47800/, a host name, or the host's invite link
      (every address it has; the first that is the room is used). It joins encrypted and checks
      the host's identity: shown and remembered the first time, a warning if it ever changes.
        --name NAME      your display name (default: one is picked for you)
        --password       ask for the room password
        --admin-token T  moderate the room (/kick, /ban, /clearhistory) with the host's token
        --heartbeat S    check the host every S seconds; silent for 2.5 × S: reconnect (default 10)
        --give-up-after S  with piped input: after it ends, wait this long without an ack
                         before saying how many lines were not delivered (exit 1; default 30)
        --accept-fingerprint ID  trust this identity for this address (as the host's screen shows
                         it, like hyobc-tq2me-7xk4a-lw3fd, or the full SHA-256), replacing the one
                         remembered; the join stops if the host presents another
        --data DIR       where the identities of hosts you joined are kept (known_hosts; default:
                         your user data folder)
      At the prompt: /send PATH [CAPTION] shares a file, /get N [DIR] saves file #N (resuming a
      partial one); /help lists every command.
rooms List the rooms announced on this network.
        --json           one JSON object per room per line
        --watch          keep listening; print rooms as they appear (+), change (~) and leave (-)
        --timeout MS     how long to listen before printing (default 1000)
        --scan           also ask every address of this network for a room (when multicast is
                         filtered, e.g. Wi-Fi client isolation; ends within 5 s)
doctor Why people may not see or reach a room hosted here: each address, multicast,
      port 5353, the room's port at each address, the firewall; what to do for each.
      Exit 1 when something keeps people out.
        --port N         the room's port (default 47800); with no room open, a stand-in listens
        --no-mdns        send nothing by multicast (discovery is off)
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'host':
      return runHost(rest);
    case 'join':
      return runJoin(rest);
    case 'rooms':
      return runRooms(rest);
    case 'doctor':
      return runDoctor(rest);
    case '--version':
    case '-v':
      process.stdout.write(`hearth ${process.env['npm_package_version'] ?? (await version())}\n`);
      return 0;
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`hearth: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
