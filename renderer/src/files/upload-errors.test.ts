import { describe, expect, it } from 'vitest';
import { canRetry, failureWords, shouldResume, waitsForRoom } from './upload-errors.ts';

describe('upload errors', () => {
  it('resumes by itself when the host is away, restarting, busy or has a new token; stops on a refusal', () => {
    for (const status of [0, 401, 409, 423, 429, 500, 502, 503]) expect(shouldResume(status), String(status)).toBe(true);
    for (const status of [400, 403, 404, 413, 422, 460, 507]) expect(shouldResume(status), String(status)).toBe(false);
  });

  it('waits for the room only when the host did not answer or knew an older token; a busy host ends in a sentence', () => {
    expect([0, 401].every(waitsForRoom)).toBe(true);
    expect([429, 500, 507].some(waitsForRoom)).toBe(false);
  });

  it('offers Retry for everything but a file too large for the room', () => {
    expect(canRetry(413)).toBe(false);
    for (const status of [0, 403, 460, 507]) expect(canRetry(status)).toBe(true);
  });

  it('shows the host’s own sentence, on one line and bounded', () => {
    expect(failureWords(413, 'This file is 2.1 GB; this room takes files up to 2 GB.\n')).toBe('This file is 2.1 GB; this room takes files up to 2 GB.');
    expect(failureWords(507, 'x'.repeat(1000))).toHaveLength(300);
  });

  it('finds words when the host said nothing (or sent a page instead of a sentence)', () => {
    expect(failureWords(0, undefined)).toBe('Could not reach the host.');
    expect(failureWords(507, '')).toBe('The host has no space left for this file.');
    expect(failureWords(500, '<html><body>oops</body></html>')).toBe('The upload failed (the host answered 500).');
  });
});
