// Read from /proc/net/route as recorded on a laptop (Wi-Fi, Ethernet, docker) and in a
// namespace whose multicast route was deleted.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasMulticastFlag, multicastRouteInterface, parseProcNetRoute } from './multicast-route.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/network/${name}`, import.meta.url), 'utf8');

describe('multicast route', () => {
  it('takes the 224.0.0.0/4 route over the default route', () => {
    expect(multicastRouteInterface(parseProcNetRoute(fixture('proc-net-route-two-links.txt')))).toBe('enp0s31f6');
  });

  it('falls back to the default route when there is no multicast route', () => {
    const routes = parseProcNetRoute(fixture('proc-net-route-two-links.txt')).filter((r) => r.destination !== 0xe0000000);
    expect(multicastRouteInterface(routes)).toBe('wlp2s0');
  });

  it('finds none when only a subnet route exists', () => {
    const routes = parseProcNetRoute(fixture('proc-net-route-no-multicast.txt'));
    expect(routes).toEqual([{ iface: 'eth0', destination: 0x0ae76400, mask: 0xffffff00, metric: 0 }]);
    expect(multicastRouteInterface(routes)).toBeUndefined();
  });

  it('reads the MULTICAST flag of a link', () => {
    expect(hasMulticastFlag('0x1003\n')).toBe(true);
    // WireGuard: POINTOPOINT|NOARP|UP, no MULTICAST.
    expect(hasMulticastFlag('0x91')).toBe(false);
  });
});
