import { describe, expect, it } from 'vitest';
import { connectionWords, notEncryptedCountWords } from './connection.ts';

describe('connection words on the dashboard', () => {
  it('names both kinds of connection', () => {
    expect(connectionWords(true)).toBe('Encrypted');
    expect(connectionWords(false)).toBe('Not encrypted');
  });

  it('counts the people who joined without encryption', () => {
    expect(notEncryptedCountWords([])).toBeUndefined();
    expect(notEncryptedCountWords([{ encrypted: true }])).toBeUndefined();
    expect(notEncryptedCountWords([{ encrypted: false }, { encrypted: true }])).toBe('1 not encrypted');
    expect(notEncryptedCountWords([{ encrypted: false }, { encrypted: false }, { encrypted: false }])).toBe('3 not encrypted');
  });
});
