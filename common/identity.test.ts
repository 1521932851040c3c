import { describe, expect, it } from 'vitest';
import {
  base32,
  colonHex,
  FINGERPRINT_ID,
  fingerprintOf,
  hostIdOf,
  matchesId,
  matchesShort,
  parseFingerprintInput,
  shortFingerprint,
} from './identity.ts';
import { HOST_ID } from './invite.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
// SHA-256 of "abc" (FIPS 180-2 test vector).
const ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

describe('base32 (RFC 4648 section 10 vectors, lowercase, no padding)', () => {
  it.each([
    ['', ''],
    ['f', 'my'],
    ['fo', 'mzxq'],
    ['foo', 'mzxw6'],
    ['foob', 'mzxw6yq'],
    ['fooba', 'mzxw6ytb'],
    ['foobar', 'mzxw6ytboi'],
  ])('%j → %j', (input, expected) => {
    expect(base32(bytes(input))).toBe(expected);
  });
});

describe('fingerprint formats', () => {
  it('fingerprints DER bytes with SHA-256 as lowercase hex', () => {
    expect(fingerprintOf(bytes('abc'))).toBe(ABC);
  });

  it('makes a 32-char id from the first 20 bytes, which older id rules accept', () => {
    const id = hostIdOf(ABC);
    const first20 = Uint8Array.from(ABC.slice(0, 40).match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
    expect(id).toBe(base32(first20));
    expect(id).toBe('xj4bnp4pahh6uqkbidpf3lrceoyagynd');
    expect(id).toMatch(FINGERPRINT_ID);
    expect(id).toMatch(HOST_ID);
  });

  it('groups the first 20 id chars in fives for the short form', () => {
    const short = shortFingerprint(ABC);
    expect(short).toMatch(/^[a-z2-7]{5}(-[a-z2-7]{5}){3}$/);
    expect(short.replaceAll('-', '')).toBe(hostIdOf(ABC).slice(0, 20));
  });

  it('writes the full form as openssl does', () => {
    expect(colonHex(ABC)).toBe('BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD');
    expect(hostIdOf(colonHex(ABC))).toBe(hostIdOf(ABC));
  });

  it('refuses what is not a SHA-256 fingerprint', () => {
    expect(() => hostIdOf('abc')).toThrow();
    expect(() => colonHex('zz'.repeat(32))).toThrow();
  });

  it('matches an id only when it is this fingerprint’s; a legacy id pins nothing', () => {
    expect(matchesId(ABC, hostIdOf(ABC))).toBe(true);
    expect(matchesId(fingerprintOf(bytes('abd')), hostIdOf(ABC))).toBe(false);
    expect(matchesId(ABC, 'k3j4h5g6f7d8')).toBe(false);
    expect(matchesId(ABC, hostIdOf(ABC).toUpperCase())).toBe(false);
  });

  it('reads what someone types to accept an identity', () => {
    const short = shortFingerprint(ABC);
    expect(parseFingerprintInput(short)).toEqual({ kind: 'short', value: short.replaceAll('-', '') });
    expect(parseFingerprintInput(` ${short.toUpperCase().replaceAll('-', ' ')} `)).toEqual({ kind: 'short', value: short.replaceAll('-', '') });
    expect(parseFingerprintInput(colonHex(ABC))).toEqual({ kind: 'full', value: ABC });
    expect(parseFingerprintInput(`SHA-256 ${colonHex(ABC)}`)).toEqual({ kind: 'full', value: ABC });
    expect(parseFingerprintInput(ABC.toUpperCase())).toEqual({ kind: 'full', value: ABC });
    expect(parseFingerprintInput('k3j4h5g6f7d8')).toBeUndefined();
    expect(parseFingerprintInput('')).toBeUndefined();
    expect(matchesShort(ABC, short.toUpperCase())).toBe(true);
    expect(matchesShort(fingerprintOf(bytes('abd')), short)).toBe(false);
  });
});
