import { describe, expect, it } from 'vitest';
import { parseAddress, secureAddress } from './address.ts';

describe('parseAddress', () => {
  it.each([
    ['192.168.1.7', '192.168.1.7', 47800],
    ['192.168.1.7:5000', '192.168.1.7', 5000],
    ['  laptop.local  ', 'laptop.local', 47800],
    ['http://192.168.1.7:47800/', '192.168.1.7', 47800],
    ['ws://10.0.0.2:47801/ws', '10.0.0.2', 47801],
    ['[fd00::2]:47800', 'fd00::2', 47800],
    ['HTTP://Laptop.Local:1234', 'laptop.local', 1234],
  ])('reads %s', (input, host, port) => {
    const result = parseAddress(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.address.host).toBe(host);
    expect(result.address.port).toBe(port);
    expect(result.address.wsUrl).toMatch(/^ws:\/\/.+\/ws$/);
  });

  it.each([
    ['', /Type the address/],
    ['not an address', /spaces/],
    ['192.168.1.7:99999', /not an address|port/],
    ['ftp://192.168.1.7', /not ftp/],
    ['http://user:pw@host', /user name or password/],
    ['javascript:alert(1)', /not an address|not javascript/],
  ])('refuses %j with a reason', (input, reason) => {
    const result = parseAddress(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('uses wss for https links', () => {
    const result = parseAddress('https://room.example:8443/');
    expect(result.ok && result.address.wsUrl).toBe('wss://room.example:8443/ws');
  });
});

describe('secureAddress', () => {
  it('keeps the host and port and switches to wss and https', () => {
    const parsed = parseAddress('[fd00::2]:47801');
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(secureAddress(parsed.address)).toEqual({ ...parsed.address, wsUrl: 'wss://[fd00::2]:47801/ws', httpUrl: 'https://[fd00::2]:47801/' });
    expect(secureAddress(secureAddress(parsed.address)).wsUrl).toBe('wss://[fd00::2]:47801/ws');
  });
});
