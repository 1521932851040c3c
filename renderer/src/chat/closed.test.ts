import { describe, expect, it } from 'vitest';
import { asksForPassword, closedTitle, passwordRefusal } from './closed.ts';

describe('a closed room in words', () => {
  it('tells a ban from a kick', () => {
    expect(closedTitle('banned')).toBe('You were banned');
    expect(closedTitle('kicked')).toBe('You were removed');
  });

  it('asks for what a join needs', () => {
    expect(closedTitle('name_taken')).toBe('Pick another name');
    expect(closedTitle('room_full')).toBe('You are not in the room');
  });

  it('names a takeover by another tab as such', () => {
    expect(closedTitle('replaced')).toBe('Hearth is open in another tab');
  });

  it('asks for the password again after a refusal, and only then', () => {
    expect(asksForPassword({ status: 'closed', code: 'bad_password', reason: 'Wrong password.' })).toBe(true);
    expect(asksForPassword({ status: 'closed', code: 'password_required', reason: 'This room needs a password.' })).toBe(true);
    expect(asksForPassword({ status: 'closed', code: 'too_many_attempts', reason: 'Too many wrong passwords. Try again in 30 s.' })).toBe(true);
    expect(asksForPassword({ status: 'closed', code: 'name_taken', reason: 'Taken.' })).toBe(false);
    expect(asksForPassword({ status: 'connecting', attempt: 1 })).toBe(false);
  });

  it('says a wrong password is wrong, passes a lockout on, and says nothing when none was given', () => {
    expect(passwordRefusal({ status: 'closed', code: 'bad_password', reason: 'Wrong password.' })).toMatch(/^That password is not right/);
    expect(passwordRefusal({ status: 'closed', code: 'too_many_attempts', reason: 'Too many wrong passwords. Try again in 30 s.' })).toBe(
      'Too many wrong passwords. Try again in 30 s.',
    );
    expect(passwordRefusal({ status: 'closed', code: 'password_required', reason: 'This room needs a password.' })).toBeUndefined();
  });
});
