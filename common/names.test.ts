import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { CONFUSABLES, CONFUSABLES_SOURCE } from './confusables.ts';
import { checkName, friendlyName, nameKey } from './names.ts';

describe('checkName', () => {
  it('trims and accepts ordinary names in any script', () => {
    expect(checkName('  Zoë  ')).toEqual({ ok: true, name: 'Zoë' });
    expect(checkName('山田 太郎')).toEqual({ ok: true, name: '山田 太郎' });
    expect(checkName('<b>Bold</b>')).toEqual({ ok: true, name: '<b>Bold</b>' }); // shown as text, never HTML
  });

  it('explains why a name is refused', () => {
    expect(checkName('   ')).toEqual({ ok: false, reason: 'Name cannot be empty.' });
    expect(checkName('x'.repeat(33))).toEqual({ ok: false, reason: 'Name is longer than 32 characters.' });
    expect(checkName('tab\there')).toMatchObject({ ok: false, reason: /control or invisible/ });
    expect(checkName('a\u200Db')).toMatchObject({ ok: false });
    expect(checkName('b\uFEFFom')).toMatchObject({ ok: false });
    expect(checkName('lone \ud800')).toMatchObject({ ok: false, reason: /Unicode/ });
  });

  it('normalizes so that composed and decomposed forms are one name', () => {
    const composed = checkName('Zo\u00EB');
    const decomposed = checkName('Zoe\u0308');
    expect(composed.ok && decomposed.ok && nameKey(composed.name) === nameKey(decomposed.name)).toBe(true);
    expect(nameKey('ALICE')).toBe(nameKey('alice'));
    expect(nameKey('Ａｌｉｃｅ')).toBe(nameKey('alice')); // full-width letters
  });
});

describe('invisible characters', () => {
  // Issue 11: each of these was accepted after "Alice" and showed as a second "Alice".
  const reported = [0x00ad, 0x034f, 0x061c, 0x1160, 0x17b4, 0x180e, 0x206a, 0x2800, 0x3164, 0xfe0f, 0xffa0, 0xe0041];

  it.each(reported.map((cp) => [cp.toString(16).toUpperCase().padStart(4, '0'), cp]))('refuses "Alice" + U+%s', (_hex, cp) => {
    expect(checkName(`Alice${String.fromCodePoint(cp)}`)).toMatchObject({ ok: false, reason: /invisible/ });
    expect(checkName(`Ali${String.fromCodePoint(cp)}ce`)).toMatchObject({ ok: false });
  });

  it('refuses names made only of fillers or blank patterns', () => {
    for (const blank of ['\u3164', '\u3164\u3164\u3164', '\u2800', '\u2800\u2800', '\u115F', '\uFFA0', '\u{1D159}', '\u3164 \u2800']) {
      expect(checkName(blank).ok, JSON.stringify(blank)).toBe(false);
    }
  });

  it('refuses every default-ignorable code point, not a hand list', () => {
    let refused = 0;
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      if (!/\p{Default_Ignorable_Code_Point}/u.test(ch)) continue;
      expect(checkName(`Al${ch}ice`).ok, `U+${cp.toString(16)}`).toBe(false);
      refused++;
    }
    expect(refused).toBeGreaterThan(4000); // the tag and variation-selector planes alone
  });

  it('refuses line and paragraph separators and annotation marks inside a name', () => {
    for (const ch of ['\u2028', '\u2029', '\uFFF9', '\uFFFB', '\u{1BCA0}']) expect(checkName(`Al${ch}ice`).ok).toBe(false);
  });

  it('refuses a name that starts with a combining mark', () => {
    expect(checkName('\u0301Alice')).toMatchObject({ ok: false, reason: /combining mark/ });
    expect(checkName('\u0308\u0308')).toMatchObject({ ok: false });
  });

  it('keeps emoji, with their presentation selectors, keycaps, joiners and flags', () => {
    for (const name of ['❤️', '❤️ Alice', 'Alice ❤️', '☺︎', '1️⃣ Team', '👩‍💻 Dev', '🏳️‍🌈', '👍🏽', '🇳🇴 Ådne', '🏴󠁧󠁢󠁳󠁣󠁴󠁿 Fan', '🦊']) {
      expect(checkName(name), name).toEqual({ ok: true, name });
    }
    // …but only inside an emoji: the same characters anywhere else are hidden ones.
    expect(checkName('Alice\uFE0F').ok).toBe(false);
    expect(checkName('❤️\uFE0F').ok).toBe(false);
    expect(checkName('Al\u200Dice').ok).toBe(false);
    expect(checkName('🦊\u200D').ok).toBe(false);
    expect(checkName('🦊\u200Dx').ok).toBe(false);
    expect(checkName('Alice\u{E0067}\u{E007F}').ok).toBe(false); // tags need the flag base
    expect(checkName('1\u{E0041}\u{E007F}').ok).toBe(false);
    // An emoji with and without its selector is one name.
    expect(nameKey('❤️ Alice')).toBe(nameKey('❤ Alice'));
  });

  it('accepts real names in many scripts', () => {
    for (const name of ['Zoë', '李雷', 'José', 'Ådne', "O'Brien", 'Renée', 'Łukasz', 'Ольга', 'Αλέξανδρος', 'محمد', 'יעל', 'प्रिया', 'สมชาย', '김민준', 'Nguyễn Văn An', 'Jean-Luc', 'Ōtani']) {
      expect(checkName(name), name).toEqual({ ok: true, name });
    }
  });
});

describe('nameKey (lookalike names count as taken)', () => {
  const alice = nameKey('Alice');

  it('gives Latin, Cyrillic, Greek and mixed "Alice" one key', () => {
    expect(nameKey('\u0410lice')).toBe(alice); // Cyrillic А
    expect(nameKey('\u0391lice')).toBe(alice); // Greek Α
    expect(nameKey('\u0410l\u0456\u0441\u0435')).toBe(alice); // Cyrillic А, і, с, е
    expect(nameKey('\u0430lice')).toBe(alice); // Cyrillic а
    expect(nameKey('\u03B1lice')).toBe(alice); // Greek α
    expect(nameKey('AIice')).toBe(alice); // capital I for small l
    expect(nameKey('A1ice')).toBe(alice);
    expect(nameKey('𝔄𝔩𝔦𝔠𝔢')).toBe(alice); // mathematical letters
  });

  it('follows TR39 beyond one letter for another', () => {
    expect(nameKey('Sam')).toBe(nameKey('Sarn')); // m looks like rn
    expect(nameKey('Kim')).toBe(nameKey('Kirn'));
    expect(nameKey('B0b')).toBe(nameKey('Bob'));
    expect(nameKey('\u0412ob')).toBe(nameKey('Bob')); // Cyrillic В: alike only as a capital
    expect(nameKey('\u0392ob')).toBe(nameKey('Bob')); // Greek Β
    expect(nameKey('\u041Delen')).toBe(nameKey('Helen')); // Cyrillic Н
    expect(nameKey('O\u2019Brien')).toBe(nameKey("O'Brien"));
    expect(nameKey('Alice  Smith')).toBe(nameKey('Alice Smith'));
  });

  it('stays case-insensitive', () => {
    for (const name of ['Alice', 'Bob', 'Straße', 'Οδυσσευς', 'Ольга', 'Sam', 'İlkay', 'Zoë']) {
      expect(nameKey(name.toUpperCase()), name).toBe(nameKey(name.toLowerCase()));
      expect(nameKey(name.toUpperCase()), name).toBe(nameKey(name));
    }
    expect(nameKey('\u0410LICE')).toBe(alice);
  });

  it('keeps different names apart', () => {
    const names = ['Alice', 'Alicia', 'Bob', 'Zoë', 'Zoe', 'José', 'Jose', 'Ådne', 'Adne', '李雷', '李電', 'Sam', 'Pam', 'Ольга', 'Olga', '❤️', '💙'];
    expect(new Set(names.map(nameKey)).size).toBe(names.length);
  });

  it.skipIf(!CONFUSABLES_SOURCE.startsWith('unhomoglyph '))('uses the installed package\'s confusables data (else: node scripts/confusables.ts)', () => {
    const require = createRequire(import.meta.url);
    const installed = require('unhomoglyph/package.json') as { version: string };
    expect(CONFUSABLES_SOURCE).toContain(`unhomoglyph ${installed.version} `);
    const char = (hex: string) => String.fromCodePoint(parseInt(hex, 16));
    const table = Object.fromEntries(
      CONFUSABLES.trim().split('\n').map((line) => {
        const [from = '', ...to] = line.split(' ');
        return [char(from), to.map(char).join('')];
      }),
    );
    expect(table).toEqual(require('unhomoglyph/data.json'));
  });

  it('is stable: a key keys to itself', () => {
    for (const name of ['Alice', 'AIice', 'Sam', 'Straße', '\u0412ob', 'Οδυσσευς', '𝔭𝒶ỿ𝕡𝕒ℓ']) {
      expect(nameKey(nameKey(name)), name).toBe(nameKey(name));
    }
  });
});

describe('friendlyName', () => {
  it('picks a name nobody has', () => {
    const taken = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const name = friendlyName(taken);
      expect(taken.has(nameKey(name))).toBe(false);
      expect(checkName(name).ok).toBe(true);
      taken.add(nameKey(name));
    }
  });
});
