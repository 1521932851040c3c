import { describe, expect, it } from 'vitest';
import { BROWSERS_REFUSED, sharing } from './sharing.ts';

describe('how the host is told to share the room', () => {
  it('invites browsers, with the QR code, when the room takes plain connections too', () => {
    const open = sharing({ encryptedOnly: false });
    expect(open.invitation).toMatch(/any browser/);
    expect(open.restricted).toBe(false);
    expect(open.qrCode).toBe(true);
  });

  it('says browsers cannot join, and offers no QR code for a phone browser, when only encrypted connections are taken', () => {
    expect(sharing({ encryptedOnly: true })).toEqual({ invitation: BROWSERS_REFUSED, restricted: true, qrCode: false });
    expect(BROWSERS_REFUSED).not.toMatch(/any browser/);
  });
});
