// The Windows firewall check, from reports shaped as FIREWALL_REPORT_SCRIPT prints them.
// Written here from the NetSecurity cmdlets' documented enum names, not captured on a
// Windows machine (there is none here); the quirks of Windows PowerShell 5.1's
// ConvertTo-Json (a byte order mark, one-element arrays unwrapped, {"value": […]}
// wrappers) are included on purpose.
import { describe, expect, it, vi } from 'vitest';
import { checkWindowsFirewall, encodedCommand, FIREWALL_REPORT_SCRIPT, firewallWarnings, parseFirewallReport, type FirewallReport } from './firewall.ts';

const profiles = (overrides: Partial<Record<'Domain' | 'Private' | 'Public', Partial<FirewallReport['profiles'][number]>>> = {}) =>
  (['Domain', 'Private', 'Public'] as const).map((name) => ({ name, enabled: 'True', defaultInboundAction: 'NotConfigured', allowInboundRules: 'NotConfigured', ...overrides[name] }));

/** The rule build/installer.nsh adds. */
const OURS = { name: 'Hearth (LAN rooms)', enabled: 'True', direction: 'Inbound', action: 'Allow', profile: 'Domain, Private', protocol: 'Any', localPorts: ['Any'] };

function report(networks: Array<[string, string]>, rules: object[], profileOverrides?: Parameters<typeof profiles>[0]): FirewallReport {
  const parsed = parseFirewallReport(JSON.stringify({ profiles: profiles(profileOverrides), networks: networks.map(([interfaceAlias, category]) => ({ interfaceAlias, category })), rules }));
  if (!parsed) throw new Error('sample report did not parse');
  return parsed;
}

describe('reading the report', () => {
  it('reads what Windows PowerShell 5.1 prints, quirks included', () => {
    const stdout =
      '\uFEFF' +
      JSON.stringify({
        profiles: { value: profiles(), Count: 3 },
        networks: { interfaceAlias: 'Wi-Fi', category: 'Private' }, // one network: not an array
        rules: { ...OURS, localPorts: 'Any' }, // one rule, one port: neither an array
      }) +
      '\r\n';
    expect(parseFirewallReport(stdout)).toEqual({ profiles: profiles(), networks: [{ interfaceAlias: 'Wi-Fi', category: 'Private' }], rules: [OURS] });
  });

  it('reads empty lists and nulls as nothing', () => {
    expect(parseFirewallReport(JSON.stringify({ profiles: [], networks: null, rules: [] }))).toEqual({ profiles: [], networks: [], rules: [] });
  });

  it('refuses what is not a report', () => {
    for (const stdout of ['', 'Get-NetFirewallProfile : Access is denied.', '{"profiles": 3}', 'null']) expect(parseFirewallReport(stdout), stdout).toBeUndefined();
  });
});

describe('will people be able to join?', () => {
  it('says nothing when the installer’s rule covers the network, on any port', () => {
    expect(firewallWarnings(report([['Wi-Fi', 'Private']], [OURS]), 47800)).toEqual([]);
    expect(firewallWarnings(report([['Ethernet', 'DomainAuthenticated']], [OURS]), 51234)).toEqual([]);
  });

  it('explains a Public network and how to make it Private', () => {
    const [warning, ...more] = firewallWarnings(report([['Wi-Fi', 'Public']], [OURS]), 47800);
    expect(more).toEqual([]);
    expect(warning).toMatch(/^Windows treats "Wi-Fi" as a Public network, and its firewall keeps people there from joining\./);
    expect(warning).toContain('make it Private');
  });

  it('says so when there is no rule at all (a per-user install, a development run)', () => {
    expect(firewallWarnings(report([['Ethernet', 'Private']], []), 47800)).toEqual([
      'Windows Firewall has no rule letting people on "Ethernet" reach Hearth, so they cannot join. If Windows asks whether to allow Hearth, allow it; otherwise reinstall Hearth (its installer adds the rule) or allow Hearth in Windows Security › Firewall & network protection › Allow an app through firewall.',
    ]);
  });

  it('sees that a port-pinned rule misses a room on another port', () => {
    const pinned = { ...OURS, name: 'Hearth room', profile: 'Private', protocol: 'TCP', localPorts: ['47800'] };
    expect(firewallWarnings(report([['Wi-Fi', 'Private']], [pinned]), 47800)).toEqual([]);
    expect(firewallWarnings(report([['Wi-Fi', 'Private']], [pinned]), 51234)).toHaveLength(1);
    expect(firewallWarnings(report([['Wi-Fi', 'Private']], [{ ...pinned, localPorts: ['47000-48000'] }]), 47999)).toEqual([]);
    // A UDP-only rule (mDNS) lets nobody into the room.
    expect(firewallWarnings(report([['Wi-Fi', 'Private']], [{ ...OURS, protocol: 'UDP', localPorts: ['5353'] }]), 47800)).toHaveLength(1);
  });

  it('lets a block rule win, as Windows does (the rules its "Allow Hearth?" prompt leaves for the unticked profile)', () => {
    const prompted = [
      { name: 'Hearth', enabled: 'True', direction: 'Inbound', action: 'Allow', profile: 'Private', protocol: 'TCP', localPorts: ['Any'] },
      { name: 'Hearth', enabled: 'True', direction: 'Inbound', action: 'Block', profile: 'Public', protocol: 'TCP', localPorts: ['Any'] },
    ];
    expect(firewallWarnings(report([['Wi-Fi', 'Private']], prompted), 47800)).toEqual([]);
    const [warning] = firewallWarnings(report([['Wi-Fi', 'Public']], [...prompted, { ...OURS, profile: 'Any' }]), 47800);
    expect(warning).toMatch(/^A Windows Firewall rule \("Hearth"\) blocks Hearth on "Wi-Fi"/);
  });

  it('ignores disabled and outbound rules', () => {
    expect(firewallWarnings(report([['Wi-Fi', 'Private']], [{ ...OURS, enabled: 'False' }]), 47800)).toHaveLength(1);
    expect(firewallWarnings(report([['Wi-Fi', 'Private']], [{ ...OURS, direction: 'Outbound' }]), 47800)).toHaveLength(1);
  });

  it('says nothing where the firewall is off or lets everything in', () => {
    expect(firewallWarnings(report([['Wi-Fi', 'Public']], [], { Public: { enabled: 'False' } }), 47800)).toEqual([]);
    expect(firewallWarnings(report([['Wi-Fi', 'Private']], [], { Private: { defaultInboundAction: 'Allow' } }), 47800)).toEqual([]);
  });

  it('explains "block all incoming connections", which no rule overrides', () => {
    const [warning] = firewallWarnings(report([['Wi-Fi', 'Private']], [OURS], { Private: { allowInboundRules: 'False' } }), 47800);
    expect(warning).toMatch(/^Windows Firewall blocks all incoming connections on "Wi-Fi"/);
  });

  it('names each network once per reason, and only the ones that keep people out', () => {
    const warnings = firewallWarnings(report([['Wi-Fi', 'Public'], ['Ethernet', 'Private'], ['Ethernet 2', 'Public']], [OURS]), 47800);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Windows treats "Wi-Fi" and "Ethernet 2" as a Public network/);
    // An unknown category or profile: better silent than wrong.
    expect(firewallWarnings(report([['VPN', 'Unknown']], []), 47800)).toEqual([]);
  });
});

describe('running the check', () => {
  it('runs the script with the executable in the environment and reads its answer', async () => {
    const run = vi.fn(async () => JSON.stringify({ profiles: profiles(), networks: [{ interfaceAlias: 'Wi-Fi', category: 'Public' }], rules: [OURS] }));
    const warnings = await checkWindowsFirewall({ exe: 'C:\\Program Files\\Hearth\\Hearth.exe', port: 47800, run });
    expect(run).toHaveBeenCalledWith(FIREWALL_REPORT_SCRIPT, { HEARTH_EXE: 'C:\\Program Files\\Hearth\\Hearth.exe' });
    expect(warnings).toHaveLength(1);
  });

  it('says nothing, and logs why, when PowerShell fails or answers something else', async () => {
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    expect(await checkWindowsFirewall({ exe: 'x', port: 1, log, run: async () => Promise.reject(new Error('spawn powershell.exe ENOENT')) })).toEqual([]);
    expect(await checkWindowsFirewall({ exe: 'x', port: 1, log, run: async () => 'The Windows Firewall service is not running.' })).toEqual([]);
    expect(lines).toEqual(['firewall check could not run: spawn powershell.exe ENOENT', 'firewall check: unexpected output "The Windows Firewall service is not running."']);
  });

  it('hands PowerShell the script unmangled: UTF-16LE in base64, as -EncodedCommand expects', () => {
    expect(Buffer.from(encodedCommand(FIREWALL_REPORT_SCRIPT), 'base64').toString('utf16le')).toBe(FIREWALL_REPORT_SCRIPT);
    // The script asks for exactly what the report holds, for the program it is given.
    for (const part of ['$env:HEARTH_EXE', 'Get-NetFirewallProfile -PolicyStore ActiveStore', 'Get-NetConnectionProfile', 'Get-NetFirewallApplicationFilter -PolicyStore ActiveStore', 'Get-NetFirewallPortFilter', 'ConvertTo-Json -Compress -Depth 5 -InputObject']) {
      expect(FIREWALL_REPORT_SCRIPT).toContain(part);
    }
  });
});
