import { describe, expect, it } from 'vitest';
import { closedTitle } from './closed.ts';

describe('the closed room says what happened', () => {
  it('tells a ban from a kick', () => {
    expect(closedTitle('banned')).toBe('You were banned');
    expect(closedTitle('kicked')).toBe('You were removed');
  });

  it('asks for what a join needs', () => {
    expect(closedTitle('name_taken')).toBe('Pick another name');
    expect(closedTitle('bad_password')).toBe('This room needs the password');
    expect(closedTitle('room_full')).toBe('You are not in the room');
  });
});
