// The network check's sentences, from facts as network-check.ts gathers them; macOS's
// send errors are the ones Node reports there (fixtures/network/macos-multicast-send-errors.json).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LocalAddress } from '../discovery/addresses.ts';
import { firewalldFindings, type FirewalldZone } from './linux-firewall.ts';
import { firewallInterfaces, looksLikeMacLocalNetworkDenied, networkFindings, type InterfaceFacts, type NetworkFacts } from './network-findings.ts';

const macErrors = JSON.parse(readFileSync(new URL('./fixtures/network/macos-multicast-send-errors.json', import.meta.url), 'utf8')) as Record<
  'localNetworkDenied' | 'interfaceGone',
  { code: string; syscall: string; message: string }
>;

const wifi: LocalAddress = { address: '192.168.1.7', family: 'IPv4', interface: 'en0', kind: 'lan', prefix: 24 };
const wg: LocalAddress = { address: '10.8.0.2', family: 'IPv4', interface: 'wg0', kind: 'vpn', label: 'VPN', prefix: 24 };
const docker: LocalAddress = { address: '172.17.0.1', family: 'IPv4', interface: 'docker0', kind: 'virtual', label: 'container bridge', prefix: 16 };

function facts(interfaces: InterfaceFacts[], more: Partial<NetworkFacts> = {}): NetworkFacts {
  return { platform: 'linux', port: 47800, listener: 'room', discovery: true, mdnsPort: { ok: true }, interfaces, firewall: [], ...more };
}

describe('network findings', () => {
  it('a healthy LAN link: the room answers, multicast goes out, 5353 is shared; nothing blocks', () => {
    const report = networkFindings(facts([{ address: wifi, port: 'this-room', multicast: { ok: true }, multicastRoute: 'en0', multicastFlag: true }]));
    expect(report.blocking).toBe(false);
    expect(report.findings.map((f) => [f.level, f.about, f.text])).toEqual([
      ['ok', 'This machine', 'Port 5353 (mDNS) can be shared with the other programs that use it.'],
      ['ok', 'en0 192.168.1.7', 'The room answers at http://192.168.1.7:47800/.'],
      ['ok', 'en0 192.168.1.7', 'Multicast can be sent here, so rooms are announced on this network.'],
    ]);
  });

  it('a port that does not answer on an address blocks, with where to look', () => {
    const report = networkFindings(facts([{ address: wifi, port: 'none', multicast: { ok: true } }]));
    expect(report.blocking).toBe(true);
    const finding = report.findings.find((f) => f.level === 'blocking')!;
    expect(finding.text).toBe('Nothing answers at http://192.168.1.7:47800/, even from this machine, so people cannot join there.');
    expect(finding.advice).toMatch(/rule refusing TCP port 47800/);
  });

  it('another host answering at our address blocks', () => {
    const report = networkFindings(facts([{ address: wifi, port: 'other-host' }]));
    expect(report.findings.find((f) => f.level === 'blocking')?.text).toBe('Another Hearth host, not this room, answers at http://192.168.1.7:47800/.');
  });

  it('no multicast route is a warning with the route to add; routed through another link is a note', () => {
    const none = networkFindings(facts([{ address: wifi, port: 'this-room', multicast: { ok: true }, multicastRoute: 'none', multicastFlag: true }]));
    expect(none.blocking).toBe(false);
    const warning = none.findings.find((f) => f.level === 'warning')!;
    expect(warning.text).toMatch(/^This machine has no multicast route/);
    expect(warning.advice).toBe('If rooms on this network do not show up, add one: sudo ip route add 224.0.0.0/4 dev en0.');
    const elsewhere = networkFindings(facts([{ address: wifi, port: 'this-room', multicast: { ok: true }, multicastRoute: 'eth1' }]));
    expect(elsewhere.findings.find((f) => f.level === 'note')?.text).toMatch(/^Multicast is routed through eth1, not this link/);
  });

  it('VPN and virtual adapters are named as such', () => {
    const report = networkFindings(facts([{ address: wifi, port: 'this-room', multicast: { ok: true } }, { address: wg, port: 'this-room' }, { address: docker, port: 'this-room' }]));
    expect(report.findings.filter((f) => f.level === 'note').map((f) => [f.about, f.text.split(':')[0]])).toEqual([
      ['wg0 10.8.0.2 (VPN)', 'This is a VPN'],
      ['docker0 172.17.0.1 (container bridge)', 'This is a container bridge'],
    ]);
  });

  it('VPNs and virtual adapters never block: a failed multicast send there warns, and their firewall zones are not asked', () => {
    const sendFailed = { ok: false as const, error: { code: 'ENETUNREACH', syscall: 'send', message: 'send ENETUNREACH 224.0.0.251:5353' } };
    const report = networkFindings(facts([{ address: wifi, port: 'this-room', multicast: { ok: true } }, { address: docker, port: 'this-room', multicast: sendFailed }]));
    expect(report.blocking).toBe(false);
    expect(report.findings.find((f) => f.about.startsWith('docker0') && f.text.startsWith('Multicast cannot be sent'))?.level).toBe('warning');
    // The same failure on the LAN still blocks.
    expect(networkFindings(facts([{ address: wifi, port: 'this-room', multicast: sendFailed }])).blocking).toBe(true);

    // A libvirt zone that rejects everything on virbr0 keeps nobody on the LAN out.
    const virbr: LocalAddress = { address: '192.168.122.1', family: 'IPv4', interface: 'virbr0', kind: 'virtual', label: 'virtual machine bridge', prefix: 24 };
    const wifi6: LocalAddress = { ...wifi, address: 'fe80::1', family: 'IPv6', prefix: 64 };
    expect(firewallInterfaces([wifi, wifi6, wg, docker, virbr])).toEqual(['en0']);
    const zone = (name: string, more: Partial<FirewalldZone>): FirewalldZone => ({ name, active: true, isDefault: false, target: 'default', interfaces: [], services: [], ports: [], ...more });
    const zones = [zone('libvirt', { interfaces: ['virbr0'], target: '%%REJECT%%' }), zone('home', { isDefault: true, interfaces: ['en0'], services: ['mdns'], ports: ['47800/tcp'] })];
    expect(firewalldFindings(zones, 47800, firewallInterfaces([wifi, virbr])).map((f) => f.level)).toEqual(['ok']);
  });

  it('port 5353 held by another program blocks', () => {
    const report = networkFindings(facts([{ address: wifi, port: 'this-room' }], { mdnsPort: { ok: false, error: { code: 'EADDRINUSE', syscall: 'bind', message: 'bind EADDRINUSE 0.0.0.0:5353' } } }));
    expect(report.findings[0]).toMatchObject({ level: 'blocking', text: 'Port 5353 (mDNS) cannot be shared: port 5353 is used by another program, so the room cannot be announced.' });
  });

  it('macOS: "No route to host" on a multicast send means Local Network access is off', () => {
    const denied = facts([{ address: wifi, port: 'this-room', multicast: { ok: false, error: macErrors.localNetworkDenied } }], { platform: 'darwin' });
    expect(looksLikeMacLocalNetworkDenied(denied)).toBe(true);
    const report = networkFindings(denied);
    expect(report.blocking).toBe(true);
    expect(report.findings.find((f) => f.about === 'This machine' && f.level === 'blocking')?.advice).toMatch(/System Settings › Privacy & Security › Local Network/);
    // The same error on Linux is a missing route, not a permission.
    expect(looksLikeMacLocalNetworkDenied({ ...denied, platform: 'linux' })).toBe(false);
    // An interface that went away is not a permission either.
    expect(looksLikeMacLocalNetworkDenied(facts([{ address: wifi, port: 'this-room', multicast: { ok: false, error: macErrors.interfaceGone } }], { platform: 'darwin' }))).toBe(false);
  });

  it('no room and a port taken by another program; discovery off is said once', () => {
    const report = networkFindings(facts([{ address: wifi, port: 'none' }], { listener: 'taken', discovery: false }));
    expect(report.findings.filter((f) => f.about === 'This machine').map((f) => f.text)).toEqual([
      'Another program, not a Hearth room, holds port 47800 on this machine.',
      'Discovery is off, so the room is not announced: nobody sees it in a list.',
    ]);
  });

  it('no LAN address at all blocks', () => {
    expect(networkFindings(facts([{ address: docker, port: 'this-room' }])).findings[0]?.text).toBe('This machine has no LAN address, so nobody else can reach it.');
  });
});
