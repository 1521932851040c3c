import { describe, expect, it } from 'vitest';
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
