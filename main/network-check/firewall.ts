// Will Windows Defender Firewall let people on the LAN reach a room hosted here? Checked
// once a room is open, and said in the hosting panel when the answer is no.
//
// The facts come from PowerShell's NetSecurity cmdlets as JSON, enum values as their
// names ("Public", "Allow", "Domain, Private"): those are the same in every Windows
// language, where `netsh advfirewall` prints translated labels and values ("Aktiviert:
// Ja"). What they mean is decided by firewallWarnings, a pure function unit-tested with
// sample reports (main/network-check/firewall.test.ts). Plain Node: no electron import.
import { execFile } from 'node:child_process';
import * as v from 'valibot';

/**
 * Prints {profiles, networks, rules} for the program in $env:HEARTH_EXE: the firewall
 * profiles in force, the profile of each connected network, and every rule (ours, or one
 * Windows made when it asked "Allow Hearth?") whose program is this executable.
 */
export const FIREWALL_REPORT_SCRIPT = String.raw`
$ErrorActionPreference = 'Stop'
[Console]::OutputEncoding = [System.Text.Encoding]::UTF8
function Text($value) { if ($null -eq $value) { '' } else { "$value" } }
$exe = [System.IO.Path]::GetFullPath($env:HEARTH_EXE)
$profiles = @(Get-NetFirewallProfile -PolicyStore ActiveStore | ForEach-Object {
  @{ name = Text $_.Name; enabled = Text $_.Enabled; defaultInboundAction = Text $_.DefaultInboundAction; allowInboundRules = Text $_.AllowInboundRules }
})
$networks = @(Get-NetConnectionProfile | ForEach-Object {
  @{ interfaceAlias = Text $_.InterfaceAlias; category = Text $_.NetworkCategory }
})
$rules = @(Get-NetFirewallApplicationFilter -PolicyStore ActiveStore |
  Where-Object { $_.Program -and [Environment]::ExpandEnvironmentVariables($_.Program) -eq $exe } |
  ForEach-Object {
    $rule = $_ | Get-NetFirewallRule
    $ports = $rule | Get-NetFirewallPortFilter
    @{ name = Text $rule.DisplayName; enabled = Text $rule.Enabled; direction = Text $rule.Direction; action = Text $rule.Action;
       profile = Text $rule.Profile; protocol = Text $ports.Protocol; localPorts = @($ports.LocalPort | ForEach-Object { Text $_ }) }
  })
ConvertTo-Json -Compress -Depth 5 -InputObject @{ profiles = $profiles; networks = $networks; rules = $rules }
`;

/**
 * Windows PowerShell 5.1's ConvertTo-Json may write a one-element array as the element
 * itself, or an array as {"value": [...], "Count": n}: all three read as a list.
 */
function asList(x: unknown): unknown[] {
  if (x === null || x === undefined) return [];
  if (Array.isArray(x)) return x;
  if (typeof x === 'object' && Array.isArray((x as { value?: unknown }).value)) return (x as { value: unknown[] }).value;
  return [x];
}

const listOf = <T extends v.GenericSchema>(item: T) => v.pipe(v.unknown(), v.transform(asList), v.array(item));

const Text = v.pipe(
  v.optional(v.nullable(v.string()), ''),
  v.transform((s) => s ?? ''),
);

const Report = v.object({
  profiles: listOf(v.object({ name: Text, enabled: Text, defaultInboundAction: Text, allowInboundRules: Text })),
  networks: listOf(v.object({ interfaceAlias: Text, category: Text })),
  rules: listOf(
    v.object({
      name: Text,
      enabled: Text,
      direction: Text,
      action: Text,
      profile: Text,
      protocol: Text,
      localPorts: listOf(v.string()),
    }),
  ),
});

export type FirewallReport = v.InferOutput<typeof Report>;

/** The report printed by FIREWALL_REPORT_SCRIPT, or undefined when it is not one. */
export function parseFirewallReport(stdout: string): FirewallReport | undefined {
  let json: unknown;
  try {
    // PowerShell may start its output with a UTF-8 byte order mark.
    json = JSON.parse(stdout.replace(/^\uFEFF/, '').trim());
  } catch {
    return undefined;
  }
  const parsed = v.safeParse(Report, json);
  return parsed.success ? parsed.output : undefined;
}

type Profile = 'Domain' | 'Private' | 'Public';
const PROFILE_OF_CATEGORY: Record<string, Profile> = { Public: 'Public', Private: 'Private', DomainAuthenticated: 'Domain' };

/** GpoBoolean: "True", "False", or "NotConfigured" (Windows' default applies). */
const gpoTrue = (value: string, byDefault: boolean) => (value === 'True' ? true : value === 'False' ? false : byDefault);

type Closed = { kind: 'public' } | { kind: 'no-rule' } | { kind: 'blocked'; rule: string } | { kind: 'shielded' };
type Verdict = { kind: 'open' } | Closed;

function verdict(report: FirewallReport, profile: Profile, port: number): Verdict | undefined {
  const settings = report.profiles.find((p) => p.name === profile);
  if (!settings) return undefined;
  if (!gpoTrue(settings.enabled, true)) return { kind: 'open' };
  if (!gpoTrue(settings.allowInboundRules, true)) return { kind: 'shielded' };
  const applies = report.rules.filter(
    (r) => gpoTrue(r.enabled, false) && r.direction === 'Inbound' && coversProfile(r.profile, profile) && coversTcpPort(r.protocol, r.localPorts, port),
  );
  // A block rule wins over any allow rule, and over the profile's default.
  const block = applies.find((r) => r.action === 'Block');
  if (block) return { kind: 'blocked', rule: block.name };
  if (settings.defaultInboundAction === 'Allow' || applies.some((r) => r.action === 'Allow')) return { kind: 'open' };
  return profile === 'Public' ? { kind: 'public' } : { kind: 'no-rule' };
}

/** A rule's Profile: "Any", or flags such as "Domain, Private". */
function coversProfile(ruleProfile: string, profile: Profile): boolean {
  const names = ruleProfile.split(',').map((s) => s.trim());
  return names.includes('Any') || names.includes(profile);
}

/** Protocol "Any"/"TCP"/"6"; LocalPort "Any", "47800", "47000-48000" (keywords such as "RPC" never match). */
function coversTcpPort(protocol: string, localPorts: string[], port: number): boolean {
  if (!['Any', 'TCP', '6'].includes(protocol)) return false;
  if (localPorts.length === 0) return true;
  return localPorts.some((p) => {
    if (p === 'Any') return true;
    const range = /^(\d+)(?:-(\d+))?$/.exec(p.trim());
    if (!range) return false;
    const low = Number(range[1]);
    const high = Number(range[2] ?? range[1]);
    return port >= low && port <= high;
  });
}

/**
 * Sentences for the hosting panel, one per way the firewall keeps people out, naming the
 * networks concerned; none when every connected network lets them in (or its profile is
 * unknown: better silent than wrong).
 */
export function firewallWarnings(report: FirewallReport, port: number): string[] {
  const byKind = new Map<string, { verdict: Closed; networks: string[] }>();
  for (const network of report.networks) {
    const profile = PROFILE_OF_CATEGORY[network.category];
    if (!profile) continue;
    const found = verdict(report, profile, port);
    if (!found || found.kind === 'open') continue;
    const key = found.kind === 'blocked' ? `blocked:${found.rule}` : found.kind;
    const entry = byKind.get(key) ?? { verdict: found, networks: [] };
    entry.networks.push(network.interfaceAlias || 'this network');
    byKind.set(key, entry);
  }
  return [...byKind.values()].map(({ verdict: found, networks }) => sentence(found, networks.map((n) => `"${n}"`).join(' and ')));
}

const ALLOW_AN_APP = 'Windows Security › Firewall & network protection › Allow an app through firewall';

function sentence(found: Closed, networks: string): string {
  switch (found.kind) {
    case 'public':
      return `Windows treats ${networks} as a Public network, and its firewall keeps people there from joining. If you trust this network, make it Private (Windows Settings › Network & internet › the network's properties › Network profile type).`;
    case 'no-rule':
      return `Windows Firewall has no rule letting people on ${networks} reach Hearth, so they cannot join. If Windows asks whether to allow Hearth, allow it; otherwise reinstall Hearth (its installer adds the rule) or allow Hearth in ${ALLOW_AN_APP}.`;
    case 'blocked':
      return `A Windows Firewall rule ("${found.rule}") blocks Hearth on ${networks}, so people there cannot join. Allow Hearth in ${ALLOW_AN_APP}.`;
    case 'shielded':
      return `Windows Firewall blocks all incoming connections on ${networks}, so people there cannot join until that setting is off (Windows Security › Firewall & network protection).`;
  }
}

/** Runs a PowerShell script with extra environment variables and resolves its stdout. */
export type RunPowerShell = (script: string, env: Record<string, string>) => Promise<string>;

/**
 * -EncodedCommand (UTF-16LE, base64) carries the script as it is: quotes inside a
 * -Command argument are mangled by Windows' command-line quoting rules.
 */
export function encodedCommand(script: string): string {
  return Buffer.from(script, 'utf16le').toString('base64');
}

export const runPowerShell: RunPowerShell = (script, env) =>
  new Promise((resolve, reject) => {
    execFile(
      'powershell.exe',
      ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', encodedCommand(script)],
      { windowsHide: true, timeout: 20_000, maxBuffer: 4 * 1024 * 1024, env: { ...process.env, ...env } },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}${stderr ? `: ${stderr.trim()}` : ''}`)) : resolve(stdout)),
    );
  });

export interface FirewallCheckOptions {
  /** The running executable (app.getPath('exe')): the program the rules must name. */
  exe: string;
  /** The room's port. */
  port: number;
  run?: RunPowerShell;
  log?: (line: string) => void;
}

/**
 * The firewall's warnings for `exe` on TCP `port` (none: it lets people in), or undefined
 * when it could not be read (PowerShell failed or printed something else; `log` says which).
 * Used by the check when a room opens and by the network check (network-check.ts).
 */
export async function readWindowsFirewallWarnings(
  exe: string,
  port: number,
  run: RunPowerShell = runPowerShell,
  log: (line: string) => void = () => {},
): Promise<string[] | undefined> {
  let stdout: string;
  try {
    stdout = await run(FIREWALL_REPORT_SCRIPT, { HEARTH_EXE: exe });
  } catch (error) {
    log(`firewall check could not run: ${(error as Error).message}`);
    return undefined;
  }
  const report = parseFirewallReport(stdout);
  if (!report) {
    log(`firewall check: unexpected output ${JSON.stringify(stdout.slice(0, 200))}`);
    return undefined;
  }
  return firewallWarnings(report, port);
}

/** The warnings for a room just opened; none when the check itself cannot run. */
export async function checkWindowsFirewall(options: FirewallCheckOptions): Promise<string[]> {
  return (await readWindowsFirewallWarnings(options.exe, options.port, options.run, options.log)) ?? [];
}
