import { describe, expect, it } from 'vitest';
import {
  asSentence,
  capitalize,
  CLOSED_WORDS,
  closedTitle,
  ENCRYPTION_REQUIRED,
  hereWords,
  hostOnlyWords,
  hostSeemsGone,
  isRemoval,
  joinedWords,
  leftWords,
  lostWords,
  ordinaryLeaveWords,
  passwordRefusal,
  removedWords,
  renamedWords,
  resetWords,
  topicWords,
} from './wording.ts';

describe('Hearth’s words', () => {
  it('makes the host’s short messages into sentences', () => {
    expect(capitalize('kicked Bob')).toBe('Kicked Bob');
    expect(capitalize('')).toBe('');
    expect(asSentence('history is unavailable')).toBe('History is unavailable.');
  });

  it('says why the client is reconnecting, one phrase per cause', () => {
    expect(lostWords('host_stopped')).toBe('the host stopped');
    expect(lostWords('connection_lost')).toBe('connection lost');
    expect(lostWords('unreachable')).toBe('cannot reach the host');
    expect(lostWords('no_answer')).toBe('no answer from the host');
    expect(lostWords('cannot_connect', 'bad URL')).toBe('cannot connect: bad URL');
  });

  it('calls the host gone when it said it stopped, or after three tries', () => {
    const state = { status: 'reconnecting', retryInMs: 500, reason: '' } as const;
    expect(hostSeemsGone({ ...state, attempt: 1, cause: 'host_stopped' })).toBe(true);
    expect(hostSeemsGone({ ...state, attempt: 1, cause: 'connection_lost' })).toBe(false);
    expect(hostSeemsGone({ ...state, attempt: 4, cause: 'connection_lost' })).toBe(true);
  });

  it('heads a closed room by its code', () => {
    expect(closedTitle('banned')).toBe('You were banned');
    expect(closedTitle('name_invalid')).toBe('Pick another name');
    expect(closedTitle('encryption_required')).toBe('This room needs an encrypted connection');
    expect(closedTitle('left')).toBe('You are not in the room');
    expect(closedTitle(undefined)).toBe('You are not in the room');
    expect(CLOSED_WORDS.left).toBe('You left the room.');
  });

  it('tells someone on a plain connection to an encrypted-only room where they can join from', () => {
    expect(ENCRYPTION_REQUIRED).toBe('This room accepts only encrypted connections: join it from the Hearth app or with `hearth join`.');
  });

  it('explains a refused password, passes a lockout on, and says nothing when none was given', () => {
    expect(passwordRefusal({ code: 'bad_password', reason: 'Wrong password.' })).toMatch(/^That password is not right/);
    expect(passwordRefusal({ code: 'too_many_attempts', reason: 'Wait 30 s.' })).toBe('Wait 30 s.');
    expect(passwordRefusal({ code: 'password_required', reason: 'Needs one.' })).toBeUndefined();
  });

  it('words each way of leaving, and keeps removals out of presence runs', () => {
    expect(leftWords('left')).toBe('left');
    expect(leftWords('replaced')).toBe('left');
    expect(leftWords('timeout')).toBe('lost connection');
    expect(leftWords('kicked')).toBe('was removed by the host');
    expect(leftWords('banned')).toBe('was banned by the host');
    expect(ordinaryLeaveWords('timeout')).toBe('lost connection');
    expect(isRemoval('kicked')).toBe(true);
    expect(isRemoval('timeout')).toBe(false);
  });

  it('words what the host did to you, for the terminal and the app alike', () => {
    expect(removedWords({ banned: true, reason: 'spam' })).toBe('banned by the host: spam');
    expect(capitalize(removedWords({ banned: false, reason: 'no reason given' }))).toBe('Removed by the host: no reason given');
  });

  it('words the rest of a room’s news', () => {
    expect(resetWords('new_history')).toBe('the host has started a new history');
    expect(resetWords('behind')).toBe('the host has lost some recent history');
    expect(joinedWords('Ann')).toBe('Ann joined');
    expect(renamedWords({ from: 'Ann', to: 'Sam' }, true)).toBe('you are now Sam');
    expect(renamedWords({ from: 'Ann', to: 'Sam' }, false)).toBe('Ann is now Sam');
    expect(hereWords(['Ann', 'Bob (you)'])).toBe('2 here: Ann, Bob (you)');
    expect(hostOnlyWords()).toBe('Only the host can do that.');
    expect(hostOnlyWords('start with --admin-token')).toBe('Only the host can do that (start with --admin-token).');
    expect(topicWords('Plans')).toBe('The host set the topic: Plans');
    expect(topicWords('')).toBe('The host cleared the topic.');
  });
});
