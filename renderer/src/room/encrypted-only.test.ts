import { describe, expect, it } from 'vitest';
import { disconnectWarning, joinedPlain } from './encrypted-only.ts';

describe("the hosting panel's encrypted-only switch", () => {
  it('counts who joined without encryption: they are the ones turning it on disconnects', () => {
    expect(joinedPlain([])).toBe(0);
    expect(joinedPlain([{ encrypted: true }, { encrypted: true }])).toBe(0);
    expect(joinedPlain([{ encrypted: true }, { encrypted: false }, { encrypted: false }])).toBe(2);
  });

  it('says how many will be disconnected, one person or several', () => {
    expect(disconnectWarning(1)).toBe('1 person joined without encryption (in a browser) and will be disconnected.');
    expect(disconnectWarning(3)).toBe('3 people joined without encryption (browsers) and will be disconnected.');
  });
});
