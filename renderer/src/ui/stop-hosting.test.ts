import { describe, expect, it } from 'vitest';
import { stopHostingConsequence } from './stop-hosting.ts';

describe('what stopping a room does to the people in it', () => {
  it('counts the people who will be disconnected', () => {
    expect(stopHostingConsequence(1)).toBe('1 person will be disconnected.');
    expect(stopHostingConsequence(3)).toBe('3 people will be disconnected.');
  });
  it('says so when nobody else is there, and when the count is not known', () => {
    expect(stopHostingConsequence(0)).toBe('Nobody else is in the room right now.');
    expect(stopHostingConsequence(undefined)).toBe('Everyone in the room will be disconnected.');
  });
});
