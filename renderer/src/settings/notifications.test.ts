import { describe, expect, it } from 'vitest';
import { notificationBody } from './notifications.ts';

const file = { id: 'a'.repeat(64), name: 'report.pdf', size: 2_400_000, type: 'application/pdf' };

describe('notification text', () => {
  it('says the text, or names a file shared without a caption', () => {
    expect(notificationBody({ text: 'hello' })).toBe('hello');
    expect(notificationBody({ text: 'the March figures', file })).toBe('the March figures');
    expect(notificationBody({ text: '', file })).toBe('📎 report.pdf');
    expect(notificationBody({ text: 'x'.repeat(300) })).toHaveLength(200);
  });
});
