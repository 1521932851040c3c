// Will the macOS application firewall let people reach a room hosted here? It filters by
// program, not by port: off, on (each program allowed or blocked; one it does not list is
// asked about at the first incoming connection), or blocking everything. Read-only through
// socketfilterfw; the parsers are unit-tested on outputs in the formats macOS prints.
import type { NetworkFinding } from '../../common/ipc.ts';
import { runCommand, type RunCommand } from './run-command.ts';

const SOCKETFILTERFW = '/usr/libexec/ApplicationFirewall/socketfilterfw';

/** `--getglobalstate`: 0 off, 1 on, 2 blocking all but essential services; undefined when unreadable. */
export function parseGlobalState(stdout: string): 0 | 1 | 2 | undefined {
  const state = /\(State = (\d)\)/.exec(stdout)?.[1];
  return state === '0' || state === '1' || state === '2' ? (Number(state) as 0 | 1 | 2) : undefined;
}

/** `--getblockall`: "…block all state set to enabled." (older systems: "Block all ENABLED!", "…is set to block all non-essential…"). */
export function parseBlockAll(stdout: string): boolean {
  return /set to enabled|ENABLED!|set to block all/.test(stdout);
}

export interface ListedApp {
  path: string;
  allowed: boolean;
}

/** `--listapps`: "N :  /path" then "( Allow incoming connections )" or "( Block … )", on the same line or the next. */
export function parseListApps(stdout: string): ListedApp[] {
  const apps: ListedApp[] = [];
  let pending: string | undefined;
  for (const line of stdout.split('\n')) {
    const entry = /^\s*\d+\s*:\s*(.+?)\s*(?:\(\s*(Allow|Block) incoming connections\s*\))?\s*$/.exec(line);
    if (entry) {
      pending = entry[1]!;
      if (entry[2]) {
        apps.push({ path: pending, allowed: entry[2] === 'Allow' });
        pending = undefined;
      }
      continue;
    }
    const verdict = /\(\s*(Allow|Block) incoming connections\s*\)/.exec(line);
    if (verdict && pending) {
      apps.push({ path: pending, allowed: verdict[1] === 'Allow' });
      pending = undefined;
    }
  }
  return apps;
}

export interface MacFirewall {
  state: 0 | 1 | 2;
  blockAll: boolean;
  apps: ListedApp[];
}

/** The listed entry for a program: its own path, or the .app bundle it runs inside. */
function entryFor(apps: ListedApp[], program: string): ListedApp | undefined {
  return apps.find((a) => a.path === program || program.startsWith(`${a.path.replace(/\/$/, '')}/`));
}

const OPTIONS = 'System Settings › Network › Firewall › Options';

export function macFirewallFindings(firewall: MacFirewall, program: string): NetworkFinding[] {
  const about = 'Firewall';
  if (firewall.state === 0) return [{ level: 'ok', about, text: 'The macOS firewall is off.' }];
  if (firewall.state === 2 || firewall.blockAll) {
    return [
      {
        level: 'blocking',
        about,
        text: 'The macOS firewall blocks all incoming connections, so people cannot join.',
        advice: `Turn off "Block all incoming connections" in ${OPTIONS}.`,
      },
    ];
  }
  const entry = entryFor(firewall.apps, program);
  if (!entry) {
    return [
      {
        level: 'note',
        about,
        text: `The macOS firewall has no rule for ${program} yet: macOS asks whether it may accept incoming connections when the first person joins.`,
        advice: `Answer Allow, or add it as "Allow incoming connections" in ${OPTIONS}.`,
      },
    ];
  }
  if (!entry.allowed) {
    return [
      {
        level: 'blocking',
        about,
        text: `The macOS firewall blocks incoming connections to ${entry.path}, so people cannot join.`,
        advice: `Set it to "Allow incoming connections" in ${OPTIONS}.`,
      },
    ];
  }
  return [{ level: 'ok', about, text: `The macOS firewall lets people reach ${entry.path}.` }];
}

/** The application firewall's verdict for `program`; a note when it cannot be read. */
export async function checkMacFirewall(program: string, run: RunCommand = runCommand): Promise<NetworkFinding[]> {
  try {
    const state = parseGlobalState(await run(SOCKETFILTERFW, ['--getglobalstate']));
    if (state === undefined) throw new Error('unexpected output');
    if (state === 0) return macFirewallFindings({ state, blockAll: false, apps: [] }, program);
    const blockAll = parseBlockAll(await run(SOCKETFILTERFW, ['--getblockall']));
    const apps = parseListApps(await run(SOCKETFILTERFW, ['--listapps']));
    return macFirewallFindings({ state, blockAll, apps }, program);
  } catch {
    return [
      { level: 'note', about: 'Firewall', text: 'The macOS firewall could not be read.', advice: `Check that Hearth may accept incoming connections in ${OPTIONS}.` },
    ];
  }
}
