import { describe, expect, it } from 'vitest';
import { CONTROL, CONTROL_BUT_TAB_AND_NEWLINE, CONTROL_OR_BIDI, ESCAPE_SEQUENCE, INVISIBLE, LINE_BREAKS_AND_TABS, UNSAFE_IN_TERMINAL } from './characters.ts';

const chars = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i));
const C0_C1 = [...chars(0x00, 0x1f), ...chars(0x7f, 0x9f)];
const BIDI = [...chars(0x202a, 0x202e), ...chars(0x2066, 0x2069)];
const ORDINARY = ['a', ' ', 'é', '山', '🔥', '\u00A0', 'ـ'];

describe('character classes', () => {
  it('CONTROL is exactly C0 and C1 (\\p{Cc})', () => {
    for (const c of C0_C1) expect(CONTROL.test(c), c.codePointAt(0)!.toString(16)).toBe(true);
    for (const c of [...BIDI, ...ORDINARY, '\u200B']) expect(CONTROL.test(c)).toBe(false);
    for (let cp = 0; cp < 0x3000; cp++) expect(CONTROL.test(String.fromCodePoint(cp))).toBe(/\p{Cc}/u.test(String.fromCodePoint(cp)));
  });

  it('message text keeps tab and newline, and refuses every other control', () => {
    expect(CONTROL_BUT_TAB_AND_NEWLINE.test('two\nlines\tand a tab')).toBe(false);
    for (const c of C0_C1.filter((c) => c !== '\t' && c !== '\n')) expect(CONTROL_BUT_TAB_AND_NEWLINE.test(c)).toBe(true);
    expect(CONTROL_BUT_TAB_AND_NEWLINE.test('\r')).toBe(true);
    for (const c of BIDI) expect(CONTROL_BUT_TAB_AND_NEWLINE.test(c)).toBe(false);
  });

  it('a topic refuses every control and bidi control', () => {
    for (const c of [...C0_C1, ...BIDI]) expect(CONTROL_OR_BIDI.test(`topic ${c}`)).toBe(true);
    for (const c of ORDINARY) expect(CONTROL_OR_BIDI.test(c)).toBe(false);
    // Left-to-right and right-to-left marks do not reorder what follows: a topic may use them.
    expect(CONTROL_OR_BIDI.test('\u200E\u200F')).toBe(false);
  });

  it('the terminal replaces controls and bidi controls but prints lines and tabs', () => {
    expect('a\tb\nc\rd\u0007e\u202Ef\u2069g\u0085h'.replace(UNSAFE_IN_TERMINAL, '?')).toBe('a\tb\nc?d?e?f?g?h');
    // Global and used with replace only: calling it twice gives the same answer.
    expect('\u0001'.replace(UNSAFE_IN_TERMINAL, '?')).toBe('?');
  });

  it('line breaks and tabs are runs, each turned into one space', () => {
    expect('a\r\nb\tc\u2028\u2029d\u0085e\vf\fg'.replace(LINE_BREAKS_AND_TABS, ' ')).toBe('a b c d e f g');
    expect('no breaks here'.replace(LINE_BREAKS_AND_TABS, ' ')).toBe('no breaks here');
  });

  it('INVISIBLE holds controls, format characters, separators, ignorables and blank glyphs', () => {
    for (const c of ['\u0000', '\u0085', '\u200B', '\u200D', '\u00AD', '\u202E', '\u2028', '\u2029', '\u3164', '\uFE0F', '\u{E0041}', '\u2800', '\u{16FE4}', '\u{1D159}', '\uFEFF']) {
      expect(INVISIBLE.test(c), c.codePointAt(0)!.toString(16)).toBe(true);
    }
    for (const c of ['a', ' ', '山', '🔥', '\u0301']) expect(INVISIBLE.test(c)).toBe(false);
  });

  it('ESCAPE_SEQUENCE takes a whole escape sequence, not just its ESC', () => {
    expect('\u001b[31mred\u001b[0m'.replace(ESCAPE_SEQUENCE, '')).toBe('red');
    expect('\u001b]0;title\u0007text'.replace(ESCAPE_SEQUENCE, '')).toBe('text');
    expect('\u001b]8;;http://x\u001b\\link'.replace(ESCAPE_SEQUENCE, '')).toBe('link');
    expect('\u009b2Jclear'.replace(ESCAPE_SEQUENCE, '')).toBe('clear');
    expect('a\u001bcb'.replace(ESCAPE_SEQUENCE, '')).toBe('ab');
  });

  it('the sets for .test() have no g flag, so a match leaves no state behind', () => {
    for (const set of [CONTROL, CONTROL_BUT_TAB_AND_NEWLINE, CONTROL_OR_BIDI, INVISIBLE]) {
      expect(set.global).toBe(false);
      expect(set.test('\u0001') && set.test('\u0001')).toBe(true);
    }
  });
});
