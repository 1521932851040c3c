import { describe, expect, it } from 'vitest';
import { clockTime, fullDateTime } from './format.ts';

describe('times', () => {
  // Local time, so the test means the same in every time zone.
  const ts = new Date(2026, 11, 1, 14, 2).getTime();

  it('gives the whole date and time for a tooltip', () => {
    // ICU versions differ on the comma after the weekday; the rest is the locale's own.
    expect(fullDateTime(ts, 'en-GB')).toMatch(/^Tuesday,? 1 December 2026, 14:02$/);
    expect(fullDateTime(new Date(2027, 0, 9, 8, 5).getTime(), 'en-GB')).toMatch(/^Saturday,? 9 January 2027, 08:05$/);
  });

  it('ends with the time exactly as the conversation shows it', () => {
    expect(fullDateTime(ts).endsWith(clockTime(ts))).toBe(true);
  });
});
