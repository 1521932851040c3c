import { describe, expect, it } from 'vitest';
import { bestAddress, sameSubnet } from './browse.ts';

describe('choosing the address of a room', () => {
  const local = [{ address: '192.168.1.20', prefix: 24 }];

  it('prefers the address the answer came from', () => {
    expect(bestAddress(['172.17.0.1', '192.168.1.7'], new Set(['192.168.1.7']), local)).toBe('192.168.1.7');
  });

  it('else one in a subnet of ours, else the first', () => {
    expect(bestAddress(['172.17.0.1', '192.168.1.7'], new Set(), local)).toBe('192.168.1.7');
    expect(bestAddress(['10.0.0.1', '172.17.0.1'], new Set(), local)).toBe('10.0.0.1');
  });

  it('compares subnets by prefix', () => {
    expect(sameSubnet('10.231.5.1', '10.231.5.200', 24)).toBe(true);
    expect(sameSubnet('10.231.5.1', '10.231.6.1', 24)).toBe(false);
    expect(sameSubnet('10.231.5.1', '10.231.6.1', 16)).toBe(true);
  });
});
