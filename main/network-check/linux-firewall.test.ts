// ufw and firewalld, read from outputs recorded on Ubuntu 24.04 (ufw 0.36) and Fedora 40
// (firewalld 2.1): fixtures/network/.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkLinuxFirewall, firewalldFindings, parseFirewalldZones, parseUfwStatus, ufwFindings, ufwLetsIn, zoneOf } from './linux-firewall.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/network/${name}`, import.meta.url), 'utf8');

describe('ufw', () => {
  it('reads the default policy and the IPv4 incoming rules in order', () => {
    const status = parseUfwStatus(fixture('ufw-active-default-deny.txt'))!;
    expect(status.active).toBe(true);
    expect(status.defaultIncoming).toBe('deny');
    expect(status.rules.map((r) => r.to)).toEqual(['22/tcp', 'OpenSSH', '80,443/tcp', '47000:47700/tcp']);
  });

  it('lets people in when a rule opens the port, and says so', () => {
    const status = parseUfwStatus(fixture('ufw-active-port-open.txt'))!;
    expect(ufwLetsIn(status, 47800).allowed).toBe(true);
    expect(ufwFindings(status, 47800)).toEqual([{ level: 'ok', about: 'Firewall', text: 'ufw lets people in on TCP port 47800.' }]);
  });

  it('blocks a port no rule opens under a deny default, with the command that opens it', () => {
    const status = parseUfwStatus(fixture('ufw-active-default-deny.txt'))!;
    expect(ufwLetsIn(status, 47800)).toEqual({ allowed: false });
    expect(ufwLetsIn(status, 47500).allowed).toBe(true);
    const [finding] = ufwFindings(status, 47800);
    expect(finding?.level).toBe('blocking');
    expect(finding?.text).toMatch(/refuses incoming connections by default and no rule opens TCP port 47800/);
    expect(finding?.advice).toBe('Open the port: sudo ufw allow 47800/tcp.');
  });

  it('lets the first matching rule decide: a REJECT before a wider ALLOW keeps people out', () => {
    const status = parseUfwStatus(fixture('ufw-active-denied-rule.txt'))!;
    expect(ufwLetsIn(status, 47800)).toEqual({ allowed: false, rule: '47800 REJECT IN Anywhere' });
    expect(ufwLetsIn(status, 47801).allowed).toBe(true);
    expect(ufwFindings(status, 47800)[0]?.advice).toMatch(/sudo ufw allow 47800\/tcp \(and delete the rule that refuses it/);
  });

  it('says nothing when ufw is inactive, and refuses output that is not a status', () => {
    expect(ufwFindings(parseUfwStatus(fixture('ufw-inactive.txt'))!, 47800)).toEqual([]);
    expect(parseUfwStatus('ERROR: You need to be root to run this script\n')).toBeUndefined();
  });
});

describe('firewalld', () => {
  const zones = parseFirewalldZones(fixture('firewalld-list-all-zones.txt'));

  it('reads every zone with its marks, interfaces, services and ports', () => {
    expect(zones.map((z) => z.name)).toEqual(['block', 'home', 'public', 'trusted', 'work']);
    const publicZone = zones.find((z) => z.name === 'public')!;
    expect(publicZone).toMatchObject({ active: true, isDefault: true, interfaces: ['enp0s3'], services: ['cockpit', 'dhcpv6-client', 'ssh'], ports: [] });
    expect(zones.find((z) => z.name === 'block')!.target).toBe('%%REJECT%%');
  });

  it('finds the zone of an interface, else the default zone', () => {
    expect(zoneOf(zones, 'wlp2s0')?.name).toBe('trusted');
    expect(zoneOf(zones, 'eth7')?.name).toBe('public');
  });

  it('blocks the port and mDNS in a zone that opens neither, and says how to open them', () => {
    const findings = firewalldFindings(zones, 47800, ['enp0s3']);
    expect(findings.map((f) => f.level)).toEqual(['blocking', 'blocking']);
    expect(findings[0]?.text).toBe('firewalld does not open TCP port 47800 in the "public" zone (enp0s3), so people there cannot join.');
    expect(findings[0]?.advice).toMatch(/firewall-cmd --zone=public --add-port=47800\/tcp --permanent/);
    expect(findings[1]?.advice).toMatch(/--add-service=mdns/);
  });

  it('lets people in through an ACCEPT target, a port range, or the mdns service', () => {
    expect(firewalldFindings(zones, 47800, ['wlp2s0']).map((f) => f.level)).toEqual(['ok']);
    expect(firewalldFindings(zones, 47800, ['eth1']).map((f) => f.level)).toEqual(['ok']);
  });
});

describe('checkLinuxFirewall', () => {
  it('runs both tools read-only and says when ufw cannot be read', async () => {
    const calls: string[] = [];
    const findings = await checkLinuxFirewall(47800, ['enp0s3'], async (file, args) => {
      calls.push([file, ...args].join(' '));
      if (file === 'ufw') throw Object.assign(new Error('exit 1'), { code: 1 });
      return fixture('firewalld-list-all-zones.txt');
    });
    expect(calls).toEqual(['ufw status verbose', 'firewall-cmd --list-all-zones']);
    expect(findings[0]).toMatchObject({ level: 'note', text: 'ufw is installed but its rules could not be read (it needs root).' });
    expect(findings.filter((f) => f.level === 'blocking')).toHaveLength(2);
  });

  it('says nothing about tools that are not installed', async () => {
    const missing = async () => Promise.reject(Object.assign(new Error('spawn ufw ENOENT'), { code: 'ENOENT' }));
    expect(await checkLinuxFirewall(47800, ['eth0'], missing)).toEqual([]);
  });
});
