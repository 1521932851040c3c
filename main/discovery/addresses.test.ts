import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { discoveryInterfaces, joinUrl, localAddresses, noInterfaceReason, resolveInterfaces } from './addresses.ts';

function v4(address: string, internal = false): NetworkInterfaceInfo {
  return { address, family: 'IPv4', internal, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: `${address}/24` };
}
function v6(address: string): NetworkInterfaceInfo {
  return { address, family: 'IPv6', internal: false, netmask: 'ffff:ffff:ffff:ffff::', mac: '00:00:00:00:00:00', cidr: `${address}/64`, scopeid: 0 };
}

describe('localAddresses', () => {
  it('ranks LAN addresses on physical interfaces first and labels virtual ones', () => {
    const ranked = localAddresses({
      lo: [v4('127.0.0.1', true)],
      docker0: [v4('172.17.0.1')],
      veth12ab: [v4('10.231.0.9')],
      tun0: [v4('10.8.0.2')],
      wlan0: [v4('192.168.1.7'), v6('fe80::1'), v6('fd12::7')],
      eth0: [v4('100.64.3.4')],
      eth1: [v4('169.254.10.10')],
    });
    expect(ranked.map((a) => `${a.interface} ${a.address} ${a.kind}${a.label ? ` ${a.label}` : ''}`)).toEqual([
      'wlan0 192.168.1.7 lan',
      'eth0 100.64.3.4 other',
      'wlan0 fd12::7 other',
      'tun0 10.8.0.2 vpn VPN',
      'docker0 172.17.0.1 virtual container bridge',
      'veth12ab 10.231.0.9 virtual virtual ethernet',
    ]);
  });

  it('makes URLs with IPv6 in brackets', () => {
    const [a] = localAddresses({ wlan0: [v6('fd12::7')] });
    expect(joinUrl(a!, 47800)).toBe('http://[fd12::7]:47800/');
  });
});

describe('discoveryInterfaces', () => {
  const addresses = localAddresses({ eth0: [v4('192.168.1.7')], veth1: [v4('10.231.5.1')], tun0: [v4('10.8.0.2')] });
  it('uses every LAN interface but VPN tunnels', () => {
    expect(discoveryInterfaces({}, addresses)).toEqual(['192.168.1.7', '10.231.5.1']);
  });
  it('narrows to HEARTH_MDNS_ONLY prefixes (how tests stay off real interfaces)', () => {
    expect(discoveryInterfaces({ HEARTH_MDNS_ONLY: '10.231.' }, addresses)).toEqual(['10.231.5.1']);
    expect(discoveryInterfaces({ HEARTH_MDNS_ONLY: '10.231.' }, localAddresses({ eth0: [v4('192.168.1.7')] }))).toEqual([]);
  });
});

describe('interfaces a person names', () => {
  const addresses = localAddresses({ eth0: [v4('192.168.1.7')], zt0: [v4('10.147.17.5')], tun0: [v4('10.8.0.2')] });

  it('calls ZeroTier a virtual network, not a VPN, and browses on it', () => {
    expect(addresses.find((a) => a.interface === 'zt0')).toMatchObject({ kind: 'virtual', label: 'ZeroTier network' });
    expect(discoveryInterfaces({}, addresses)).toContain('10.147.17.5');
  });

  it('resolves --interface names and addresses to IPv4 addresses, a named VPN included', () => {
    expect(resolveInterfaces(['zt0'], {}, addresses)).toEqual(['10.147.17.5']);
    expect(resolveInterfaces(['tun0', '192.168.1.7'], {}, addresses)).toEqual(['192.168.1.7', '10.8.0.2']);
    expect(resolveInterfaces(['eth9'], {}, addresses)).toEqual([]);
    expect(resolveInterfaces(['zt0'], { HEARTH_MDNS_ONLY: '10.231.' }, addresses)).toEqual([]);
  });

  it('says plainly when a network has only IPv6', () => {
    expect(noInterfaceReason(localAddresses({ eth0: [v6('fd12::7')] }))).toMatch(/only IPv6 addresses, and Hearth discovery needs IPv4/);
    expect(noInterfaceReason([])).toMatch(/no network with an IPv4 address yet/);
  });
});
