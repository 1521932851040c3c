import { describe, expect, it } from 'vitest';
import { decodeTxt, encodeTxt, instanceName, txtBytes } from './txt.ts';

/** The TXT strings as DNS carries them (and as bonjour-service encodes a record). */
const wire = (record: Record<string, string | Buffer>) => Object.entries(record).map(([k, v]) => Buffer.concat([Buffer.from(`${k}=`), Buffer.from(v)]));

describe('TXT records', () => {
  it('round-trips a room and stays under 200 bytes even for a long name', () => {
    const long = { v: 1, room: 'Ünïcødé room 🔥 '.repeat(20), users: 12, lock: true, id: 'abcdefghij12' };
    const encoded = encodeTxt(long);
    expect(txtBytes(encoded)).toBeLessThanOrEqual(200);
    expect(encoded.room!.endsWith('…')).toBe(true);
    const short = { v: 1, room: 'Kitchen', users: 2, lock: false, id: 'abcdefghij12' };
    expect(decodeTxt(wire(encodeTxt(short)))).toEqual(short);
  });

  it('ignores what is not a well-formed Hearth room', () => {
    expect(decodeTxt([])).toBeUndefined();
    expect(decodeTxt(wire({ v: '1', room: 'x' }))).toBeUndefined(); // no id
    expect(decodeTxt(wire({ v: 'one', room: 'x', id: 'abcd1234' }))).toBeUndefined();
    expect(decodeTxt(wire({ v: '1', room: '', id: 'abcd1234' }))).toBeUndefined();
    expect(decodeTxt(wire({ v: '1', room: 'x', id: '../../etc' }))).toBeUndefined();
  });

  it('reads TXT strings as RFC 6763 says: first key wins, any case, values may hold = and line breaks', () => {
    const txt = decodeTxt([Buffer.from('V=1'), Buffer.from('id=abcd1234'), Buffer.from('room=a=b\nc'), Buffer.from('ID=zzzz9999'), Buffer.from('novalue')]);
    expect(txt).toEqual({ v: 1, room: 'a=b c', users: 0, lock: false, id: 'abcd1234' });
  });

  it('cleans what a hostile TXT could smuggle into a list', () => {
    const room = decodeTxt(wire({ v: '1', room: 'Evil\u001b[31m\u202Eroom\u001b]0;title\u0007!', users: '5', lock: 'yes', id: 'abcd1234' }));
    expect(room).toEqual({ v: 1, room: 'Evilroom!', users: 5, lock: false, id: 'abcd1234' });
  });

  it('refuses a count no room can have and a name of nothing visible', () => {
    const room = { v: '1', room: 'Big', id: 'abcd1234' };
    expect(decodeTxt(wire({ ...room, users: '99999999999' }))).toBeUndefined();
    expect(decodeTxt(wire({ ...room, users: '1e9' }))).toBeUndefined();
    expect(decodeTxt(wire({ ...room, users: '-5' }))).toBeUndefined();
    expect(decodeTxt(wire({ ...room, users: '100000' }))?.users).toBe(100_000);
    expect(decodeTxt(wire({ ...room, room: '\u200b\u2800\u3164 \u200d\u202e' }))).toBeUndefined();
    expect(decodeTxt(wire({ ...room, room: '\u001b[2J\r\n' }))).toBeUndefined();
  });

  it('repairs a name cut mid-character and never cuts one itself', () => {
    const cut = Buffer.concat([Buffer.from('Fire '), Buffer.from('🔥').subarray(0, 3)]);
    expect(decodeTxt(wire({ v: '1', id: 'abcd1234', room: cut }))?.room).toBe('Fire');
    const broken = Buffer.concat([Buffer.from('a'), Buffer.from([0xff]), Buffer.from('b')]);
    expect(decodeTxt(wire({ v: '1', id: 'abcd1234', room: broken }))).toBeUndefined();
    const long = decodeTxt(wire({ v: '1', id: 'abcd1234', room: `${'x'.repeat(62)}👩‍💻🔥 more` }))!.room;
    expect(long.isWellFormed()).toBe(true);
    expect(long).toBe(`${'x'.repeat(62)}…`);
    expect(decodeTxt(wire({ v: '1', id: 'abcd1234', room: '👩‍💻 Team ❤️' }))?.room).toBe('👩‍💻 Team ❤️');
  });

  it('makes one unique DNS label per host', () => {
    expect(instanceName('Kitchen', 'abcdef123456')).toBe('Kitchen (abcdef)');
    expect(instanceName('a.b.c', 'abcdef123456')).toBe('a-b-c (abcdef)');
    expect(Buffer.byteLength(instanceName('x'.repeat(100), 'abcdef123456'))).toBeLessThanOrEqual(63);
  });
});
