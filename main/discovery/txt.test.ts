import { describe, expect, it } from 'vitest';
import { decodeTxt, encodeTxt, instanceName, txtBytes } from './txt.ts';

describe('TXT records', () => {
  it('round-trips a room and stays under 200 bytes even for a long name', () => {
    const long = { v: 1, room: 'Ünïcødé room 🔥 '.repeat(20), users: 12, lock: true, id: 'abcdefghij12' };
    const encoded = encodeTxt(long);
    expect(txtBytes(encoded)).toBeLessThanOrEqual(200);
    expect(encoded.room!.endsWith('…')).toBe(true);
    const short = { v: 1, room: 'Kitchen', users: 2, lock: false, id: 'abcdefghij12' };
    expect(decodeTxt(encodeTxt(short))).toEqual(short);
  });

  it('ignores what is not a well-formed Hearth room', () => {
    expect(decodeTxt(undefined)).toBeUndefined();
    expect(decodeTxt({ v: '1', room: 'x' })).toBeUndefined(); // no id
    expect(decodeTxt({ v: 'one', room: 'x', id: 'abcd1234' })).toBeUndefined();
    expect(decodeTxt({ v: '1', room: '', id: 'abcd1234' })).toBeUndefined();
    expect(decodeTxt({ v: '1', room: 'x', id: '../../etc' })).toBeUndefined();
  });

  it('cleans what a hostile TXT could smuggle into a list', () => {
    const room = decodeTxt({ v: '1', room: 'Evil\u001b[31m\u202Eroom', users: '-5', lock: 'yes', id: 'abcd1234' });
    expect(room).toEqual({ v: 1, room: 'Evil[31mroom', users: 0, lock: false, id: 'abcd1234' });
    expect(decodeTxt({ v: '1', room: 'Big', users: '1e9', id: 'abcd1234' })?.users).toBe(1_000_000);
  });

  it('makes one unique DNS label per host', () => {
    expect(instanceName('Kitchen', 'abcdef123456')).toBe('Kitchen (abcdef)');
    expect(instanceName('a.b.c', 'abcdef123456')).toBe('a-b-c (abcdef)');
    expect(Buffer.byteLength(instanceName('x'.repeat(100), 'abcdef123456'))).toBeLessThanOrEqual(63);
  });
});
