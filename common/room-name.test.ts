import { describe, expect, it } from 'vitest';
import { checkRoomName, MAX_ROOM_NAME_CHARS } from './room-name.ts';

describe('checkRoomName', () => {
  it('trims, and accepts a name of up to 64 characters', () => {
    expect(checkRoomName('  Kitchen  ')).toEqual({ ok: true, name: 'Kitchen' });
    expect(MAX_ROOM_NAME_CHARS).toBe(64);
    expect(checkRoomName('x'.repeat(64))).toEqual({ ok: true, name: 'x'.repeat(64) });
    expect(checkRoomName('x'.repeat(65))).toEqual({ ok: false, problem: 'too_long' });
  });

  it('counts characters (code points), not UTF-16 units', () => {
    // 64 flames are 128 UTF-16 units: still 64 characters.
    expect(checkRoomName('🔥'.repeat(64))).toEqual({ ok: true, name: '🔥'.repeat(64) });
    expect(checkRoomName('🔥'.repeat(65))).toEqual({ ok: false, problem: 'too_long' });
    // Trimmed first: spaces around a full-length name do not count.
    expect(checkRoomName(` ${'é'.repeat(64)} `)).toMatchObject({ ok: true });
  });

  it('refuses an empty name', () => {
    expect(checkRoomName('')).toEqual({ ok: false, problem: 'empty' });
    expect(checkRoomName(' \t\n ')).toEqual({ ok: false, problem: 'empty' });
  });

  it('refuses C0 and C1 control characters, and nothing else', () => {
    for (const control of ['\u0000', '\u0007', '\u001b[31m', 'a\tb', 'a\nb', '\u007f', '\u0085', '\u009f']) {
      expect(checkRoomName(`bad${control}name`), JSON.stringify(control)).toEqual({ ok: false, problem: 'control' });
    }
    for (const fine of ['Class 4B', 'Café ☕', 'LAN party 🎉', 'Küche · oben', '\u00a0Attic\u00a0x']) {
      expect(checkRoomName(fine), fine).toMatchObject({ ok: true });
    }
  });

  it('says the length problem before the control one, as the desktop always did', () => {
    expect(checkRoomName(`${'x'.repeat(64)}\u0007`)).toEqual({ ok: false, problem: 'too_long' });
  });
});
