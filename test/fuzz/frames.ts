// Seeded generator of bad frames: valid frames mutated into every class of wrong input a
// LAN peer could send. Each generated frame is invalid by construction and says how the
// host must answer it: an error frame, or closing the connection with a given code.
import { PROTOCOL_VERSION } from '../../common/protocol.ts';

export type Expect = { kind: 'error' } | { kind: 'close'; code: number };

export interface BadFrame {
  label: string;
  data: string | Buffer;
  binary?: boolean;
  /** Send as two fragments (fin=false, then the rest). */
  fragmented?: boolean;
  expect: Expect;
}

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ERROR: Expect = { kind: 'error' };

export function badFrameGenerator(seed: number): () => BadFrame {
  const random = rng(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  const id = () => `f${int(1e9).toString(36)}`;
  const valid = (): Record<string, unknown> =>
    pick([
      { type: 'chat', id: id(), text: 'hello' },
      { type: 'private', id: id(), to: 'Nobody', text: 'psst' },
      { type: 'rename', name: 'Fuzzy' },
      { type: 'typing', active: true },
      { type: 'fetch_history', before: 10, limit: 5 },
      { type: 'ping', id: 1 },
      { type: 'admin', token: 'x', action: 'kick', target: 'Someone' },
    ]);
  const wrongValues: unknown[] = [null, 42, -1, 1.5, true, [], {}, [1, 2], 'x'.repeat(300), { nested: { deep: 1 } }];
  const unicode = ['\u0000', '\u001b[31m', '\u009b', '\ud800', '\udfff'];

  const mutations: Array<() => BadFrame> = [
    () => ({ label: 'not JSON', data: pick(['{', '{"type":', 'hello', '{"type":"chat",}', '\u0000\u0001', '{]']) + 'x'.repeat(int(50)), expect: ERROR }),
    () => ({ label: 'JSON that is not an object', data: JSON.stringify(pick([1, 'chat', null, [1, 2, 3], true, [{ type: 'chat' }]])), expect: ERROR }),
    () => ({ label: 'no type', data: JSON.stringify({ id: id(), text: 'hi' }), expect: ERROR }),
    () => ({ label: 'type of the wrong kind', data: JSON.stringify({ type: pick(wrongValues.filter((v) => typeof v !== 'string')) }), expect: ERROR }),
    () => ({ label: 'unknown type', data: JSON.stringify({ type: pick(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'kick', 'welcome', 'x'.repeat(200)]) }), expect: ERROR }),
    () => {
      const frame = valid();
      const keys = Object.keys(frame).filter((k) => k !== 'type');
      delete frame[pick(keys)];
      return { label: 'missing field', data: JSON.stringify(frame), expect: ERROR };
    },
    () => {
      const frame = valid();
      const key = pick(Object.keys(frame).filter((k) => k !== 'type'));
      let value = pick(wrongValues);
      // Only a value of another type, or a string too long for any field that is not text.
      while (typeof value === typeof frame[key] && !(typeof value === 'string' && value.length > 256 && key !== 'text')) value = pick(wrongValues);
      frame[key] = value;
      return { label: 'wrong type', data: JSON.stringify(frame), expect: ERROR };
    },
    () => ({ label: 'unknown field', data: JSON.stringify({ ...valid(), [pick(['admin', '__proto__x', 'extra', 'isHost', 'seq'])]: 1 }), expect: ERROR }),
    () => ({ label: 'prototype keys', data: `{"type":"chat","id":"p1","text":"x","__proto__":{"admin":true}}`, expect: ERROR }),
    () => ({ label: 'text too long', data: JSON.stringify({ type: 'chat', id: id(), text: 'y'.repeat(4001 + int(20_000)) }), expect: ERROR }),
    () => ({ label: 'empty text', data: JSON.stringify({ type: 'chat', id: id(), text: pick(['', ' ', '\n\t ']) }), expect: ERROR }),
    () => ({ label: 'control or lone surrogate in text', data: JSON.stringify({ type: 'chat', id: id(), text: `a${pick(unicode)}b` }), expect: ERROR }),
    () => ({ label: 'bad id', data: JSON.stringify({ type: 'chat', id: pick(['', '<script>', 'x'.repeat(65), 'a b', '../..']), text: 'hi' }), expect: ERROR }),
    () => ({ label: 'bad numbers', data: `{"type":"fetch_history","before":${pick(['-1', '1.5', '1e400', '"10"', 'null'])},"limit":5}`, expect: ERROR }),
    () => ({ label: 'deep nesting', data: `{"type":"chat","id":"d1","text":${'['.repeat(2000 + int(8000))}${']'.repeat(0)}`, expect: ERROR }),
    () => ({ label: 'deep valid nesting', data: `{"type":"chat","id":"d2","text":${'['.repeat(3000)}${']'.repeat(3000)}}`, expect: ERROR }),
    () => ({ label: 'binary frame', data: Buffer.from(Array.from({ length: 1 + int(200) }, () => int(256))), binary: true, expect: ERROR }),
    () => ({ label: 'fragmented bad JSON', data: `{"type":"chat","id":"frag","text":${'"'}${'z'.repeat(1000)}`, fragmented: true, expect: ERROR }),
    () => ({ label: 'join again', data: JSON.stringify({ type: 'join', v: PROTOCOL_VERSION, name: 'Again', clientId: 'abcdefghijklmnopqrst' }), expect: ERROR }),
  ];
  const closers: Array<() => BadFrame> = [
    () => ({ label: 'oversized frame', data: JSON.stringify({ type: 'chat', id: id(), text: 'o'.repeat(70_000 + int(50_000)) }), expect: { kind: 'close', code: 1009 } }),
    () => ({ label: 'invalid UTF-8', data: Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0xff, 0xfe, 0x22, 0x7d]), expect: { kind: 'close', code: 1007 } }),
  ];
  return () => (random() < 0.003 ? pick(closers)() : pick(mutations)());
}
