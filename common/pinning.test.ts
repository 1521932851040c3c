import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { colonHex, hostIdOf, shortFingerprint } from './identity.ts';
import { acceptsFingerprint, decidePin, pinAllowsJoin } from './pinning.ts';

const fp = (seed: string) => createHash('sha256').update(seed).digest('hex');
const A = fp('host a');
const B = fp('host b');

describe('decidePin', () => {
  it('trusts a certificate whose fingerprint is the id the room was found or linked by, without asking', () => {
    expect(decidePin({ presented: A, expectedId: hostIdOf(A) })).toEqual({ kind: 'trusted', fingerprint: A, via: 'id' });
    expect(decidePin({ presented: A, expectedId: hostIdOf(A), remembered: A })).toMatchObject({ kind: 'trusted', via: 'id' });
  });

  it('calls a certificate other than the one remembered for this address changed, even when a row or a link vouches for it', () => {
    // Whoever took over the address can announce a row with its own id, and anyone can send a link: neither replaces what was remembered.
    expect(decidePin({ presented: A, expectedId: hostIdOf(A), remembered: B })).toEqual({ kind: 'changed', remembered: B, presented: A });
    expect(decidePin({ presented: A, expectedId: hostIdOf(A), remembered: B, accept: shortFingerprint(A) })).toEqual({ kind: 'trusted', fingerprint: A, via: 'accepted' });
  });

  it('calls a certificate that is not the linked id another host, and nothing accepts it', () => {
    const decision = decidePin({ presented: B, expectedId: hostIdOf(A), remembered: B, accept: B });
    expect(decision).toEqual({ kind: 'not-this-host', expectedId: hostIdOf(A), presented: B });
    expect(pinAllowsJoin(decision)).toBe(false);
  });

  it('lets a legacy random id pin nothing', () => {
    expect(decidePin({ presented: A, expectedId: 'abc123def456' })).toEqual({ kind: 'first-use', fingerprint: A });
    expect(decidePin({ presented: A, expectedId: 'abc123def456', remembered: A })).toMatchObject({ kind: 'trusted', via: 'known' });
  });

  it('trusts what was remembered for this address, and warns when it changed', () => {
    expect(decidePin({ presented: A, remembered: A.toUpperCase() })).toEqual({ kind: 'trusted', fingerprint: A, via: 'known' });
    const changed = decidePin({ presented: B, remembered: A });
    expect(changed).toEqual({ kind: 'changed', remembered: A, presented: B });
    expect(pinAllowsJoin(changed)).toBe(false);
  });

  it('accepts a changed identity only when the person typed the new one, short or full', () => {
    for (const typed of [shortFingerprint(B), shortFingerprint(B).toUpperCase().replaceAll('-', ' '), B, colonHex(B), `SHA256 ${colonHex(B)}`]) {
      expect(decidePin({ presented: B, remembered: A, accept: typed })).toEqual({ kind: 'trusted', fingerprint: B, via: 'accepted' });
    }
    for (const typed of [shortFingerprint(A), A, '', 'yes', shortFingerprint(B).slice(0, 10)]) {
      expect(decidePin({ presented: B, remembered: A, accept: typed }).kind).toBe('changed');
    }
  });

  it('trusts on first use when nothing vouches either way', () => {
    const decision = decidePin({ presented: A.toUpperCase() });
    expect(decision).toEqual({ kind: 'first-use', fingerprint: A });
    expect(pinAllowsJoin(decision)).toBe(true);
  });

  it('refuses a presented value that is not a fingerprint', () => {
    expect(() => decidePin({ presented: 'not hex' })).toThrow(/SHA-256/);
  });
});

describe('acceptsFingerprint', () => {
  it('reads the short and the full form and nothing else', () => {
    expect(acceptsFingerprint(shortFingerprint(A), A)).toBe(true);
    expect(acceptsFingerprint(colonHex(A).toLowerCase(), A)).toBe(true);
    expect(acceptsFingerprint(shortFingerprint(B), A)).toBe(false);
    expect(acceptsFingerprint('<script>', A)).toBe(false);
  });
});
