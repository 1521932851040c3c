// Will ufw or firewalld let people on the LAN reach a room hosted here, and hear its mDNS?
// Read-only: `ufw status verbose` and `firewall-cmd --list-all-zones` are parsed, nothing is
// ever changed. A connection from this machine to its own address never meets these rules
// (ufw accepts everything on lo, and so does firewalld), so the network check needs them to
// say what a neighbour would meet. Pure parsers, unit-tested on recorded outputs.
import type { NetworkFinding } from '../../common/ipc.ts';
import { runCommand, type RunCommand } from './run-command.ts';

export interface UfwRule {
  /** "47800/tcp", "47000:48000/tcp", "80,443/tcp", "47800", "Anywhere", "OpenSSH", "47800/tcp on eth0". */
  to: string;
  action: 'ALLOW' | 'DENY' | 'REJECT' | 'LIMIT';
  from: string;
}

export interface UfwStatus {
  active: boolean;
  defaultIncoming: 'allow' | 'deny' | 'reject' | undefined;
  /** Incoming IPv4 rules, in ufw's order (the first that matches decides). */
  rules: UfwRule[];
}

/** `ufw status verbose`, or undefined when the output is not one (ufw asking for root, say). */
export function parseUfwStatus(stdout: string): UfwStatus | undefined {
  const status = /^Status: (active|inactive)$/m.exec(stdout)?.[1];
  if (!status) return undefined;
  const defaults = /^Default: (allow|deny|reject) \(incoming\)/m.exec(stdout)?.[1] as UfwStatus['defaultIncoming'];
  const rules: UfwRule[] = [];
  const table = stdout.split(/^--\s+-+\s+-+\s*$/m)[1] ?? '';
  for (const line of table.split('\n')) {
    // Columns are padded with two or more spaces; "ALLOW IN" has one.
    const match = /^(.+?)\s{2,}(ALLOW|DENY|REJECT|LIMIT)(?: (IN|OUT|FWD))?\s{2,}(.+?)\s*$/.exec(line);
    if (!match || (match[3] && match[3] !== 'IN') || /\(v6\)/.test(match[1]!)) continue;
    rules.push({ to: match[1]!.trim(), action: match[2] as UfwRule['action'], from: match[4]! });
  }
  return { active: status === 'active', defaultIncoming: defaults, rules };
}

/** Whether a ufw "To" column covers this port: "47800", "47800/tcp", "47000:48000/tcp", "80,443/tcp", "Anywhere". */
function ufwCovers(to: string, port: number, protocol: 'tcp' | 'udp'): boolean {
  const target = to.replace(/ on \S+$/, '');
  if (target === 'Anywhere') return true;
  const match = /^([\d,:]+)(?:\/(tcp|udp))?$/.exec(target);
  if (!match || (match[2] && match[2] !== protocol)) return false;
  return match[1]!.split(',').some((part) => {
    const [low, high = low] = part.split(':').map(Number) as [number, number?];
    return port >= low && port <= high;
  });
}

/** What a neighbour's connection to this TCP port meets: the first rule that covers it, else the default. */
export function ufwLetsIn(status: UfwStatus, port: number): { allowed: boolean; rule?: string } {
  if (!status.active) return { allowed: true };
  const rule = status.rules.find((r) => ufwCovers(r.to, port, 'tcp'));
  if (rule) return { allowed: rule.action === 'ALLOW' || rule.action === 'LIMIT', rule: `${rule.to} ${rule.action} IN ${rule.from}` };
  return { allowed: status.defaultIncoming === 'allow' };
}

export interface FirewalldZone {
  name: string;
  active: boolean;
  isDefault: boolean;
  target: string;
  interfaces: string[];
  services: string[];
  /** "47800/tcp", "47000-48000/tcp". */
  ports: string[];
}

/** `firewall-cmd --list-all-zones` (or `--list-all`, one zone): a block per zone. */
export function parseFirewalldZones(stdout: string): FirewalldZone[] {
  const zones: FirewalldZone[] = [];
  let zone: FirewalldZone | undefined;
  for (const line of stdout.split('\n')) {
    const header = /^(\S+)(?: \(([^)]*)\))?\s*$/.exec(line);
    if (header) {
      const marks = (header[2] ?? '').split(',').map((m) => m.trim());
      zone = { name: header[1]!, active: marks.includes('active'), isDefault: marks.includes('default'), target: 'default', interfaces: [], services: [], ports: [] };
      zones.push(zone);
      continue;
    }
    const field = /^\s+([a-z -]+):\s*(.*)$/.exec(line);
    if (!zone || !field) continue;
    const words = field[2]!.trim().split(/\s+/).filter(Boolean);
    if (field[1] === 'target') zone.target = words[0] ?? 'default';
    else if (field[1] === 'interfaces') zone.interfaces = words;
    else if (field[1] === 'services') zone.services = words;
    else if (field[1] === 'ports') zone.ports = words;
  }
  return zones;
}

/** The zone whose rules an interface's traffic meets: the one naming it, else the default zone. */
export function zoneOf(zones: FirewalldZone[], iface: string): FirewalldZone | undefined {
  return zones.find((z) => z.interfaces.includes(iface)) ?? zones.find((z) => z.isDefault) ?? zones.find((z) => z.active);
}

function zoneOpens(zone: FirewalldZone, port: number, protocol: 'tcp' | 'udp', service?: string): boolean {
  if (zone.target === 'ACCEPT') return true;
  if (service && zone.services.includes(service)) return true;
  return zone.ports.some((p) => {
    const match = /^(\d+)(?:-(\d+))?\/(tcp|udp)$/.exec(p);
    return match !== null && match[3] === protocol && port >= Number(match[1]) && port <= Number(match[2] ?? match[1]);
  });
}

/** Findings for ufw: one when it keeps people from the room's port. */
export function ufwFindings(status: UfwStatus, port: number): NetworkFinding[] {
  if (!status.active) return [];
  const verdict = ufwLetsIn(status, port);
  if (verdict.allowed) return [{ level: 'ok', about: 'Firewall', text: `ufw lets people in on TCP port ${port}.` }];
  return [
    {
      level: 'blocking',
      about: 'Firewall',
      text: verdict.rule
        ? `ufw refuses connections to TCP port ${port} (rule "${verdict.rule}"), so people cannot join.`
        : `ufw refuses incoming connections by default and no rule opens TCP port ${port}, so people cannot join.`,
      advice: `Open the port: sudo ufw allow ${port}/tcp${verdict.rule ? ' (and delete the rule that refuses it: sudo ufw status numbered, then sudo ufw delete N)' : ''}.`,
    },
  ];
}

/** Findings for firewalld: the room's port and mDNS, per zone of the interfaces people come from. */
export function firewalldFindings(zones: FirewalldZone[], port: number, interfaces: string[]): NetworkFinding[] {
  const findings: NetworkFinding[] = [];
  const seen = new Set<string>();
  for (const iface of interfaces) {
    const zone = zoneOf(zones, iface);
    if (!zone || seen.has(zone.name)) continue;
    seen.add(zone.name);
    const on = `the "${zone.name}" zone (${interfaces.filter((i) => zoneOf(zones, i) === zone).join(', ')})`;
    if (!zoneOpens(zone, port, 'tcp')) {
      findings.push({
        level: 'blocking',
        about: 'Firewall',
        text: `firewalld does not open TCP port ${port} in ${on}, so people there cannot join.`,
        advice: `Open it: sudo firewall-cmd --zone=${zone.name} --add-port=${port}/tcp --permanent && sudo firewall-cmd --reload.`,
      });
    } else {
      findings.push({ level: 'ok', about: 'Firewall', text: `firewalld lets people in on TCP port ${port} in ${on}.` });
    }
    if (!zoneOpens(zone, 5353, 'udp', 'mdns')) {
      findings.push({
        level: 'blocking',
        about: 'Firewall',
        text: `firewalld drops mDNS (UDP 5353) in ${on}, so nobody there sees the room in their list (they can still join with the link).`,
        advice: `Allow mDNS: sudo firewall-cmd --zone=${zone.name} --add-service=mdns --permanent && sudo firewall-cmd --reload.`,
      });
    }
  }
  return findings;
}

/**
 * ufw and firewalld as they are now, for `interfaces` (the ones people come from). A firewall
 * that is not installed says nothing; one that cannot be read (ufw needs root) says so.
 */
export async function checkLinuxFirewall(port: number, interfaces: string[], run: RunCommand = runCommand): Promise<NetworkFinding[]> {
  const findings: NetworkFinding[] = [];
  const ufw = await run('ufw', ['status', 'verbose']).then(
    (out) => ({ out }),
    (error: NodeJS.ErrnoException) => ({ error }),
  );
  if ('out' in ufw) {
    const status = parseUfwStatus(ufw.out);
    if (status) findings.push(...ufwFindings(status, port));
  } else if (ufw.error.code !== 'ENOENT') {
    findings.push({
      level: 'note',
      about: 'Firewall',
      text: 'ufw is installed but its rules could not be read (it needs root).',
      advice: `Check them with: sudo ufw status verbose (TCP port ${port} must be allowed), or run hearth doctor with sudo.`,
    });
  }
  const firewalld = await run('firewall-cmd', ['--list-all-zones']).catch(() => undefined);
  if (firewalld) findings.push(...firewalldFindings(parseFirewalldZones(firewalld), port, interfaces));
  return findings;
}
