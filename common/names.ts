// Display-name rules, shared so a client can say "too long" before the host has to.
import { INVISIBLE } from './characters.ts';
import { CONFUSABLES } from './confusables.ts';
import { LIMITS, countChars } from './protocol.ts';

export type NameCheck = { ok: true; name: string } | { ok: false; reason: string };

// Some INVISIBLE characters (common/characters.ts) are wanted in one place: inside an
// emoji. U+FE0F/U+FE0E pick emoji or text style ("❤️"), U+20E3 makes a keycap ("1️⃣"),
// U+200D joins emoji into one ("👩‍💻", "🏳️‍🌈"), and tag characters spell a subdivision
// flag after U+1F3F4 ("🏴󠁧󠁢󠁳󠁣󠁴󠁿"). This is the "possible emoji" grammar of Unicode TR51
// (§ EBNF and Regex), with tags kept to the flag base. It uses the `u` flag, not `v`
// (\p{RGI_Emoji}), so older phone browsers still parse it.
const EMOJI_ELEMENT =
  String.raw`(?:\p{Regional_Indicator}\p{Regional_Indicator}` +
  String.raw`|\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F}` +
  String.raw`|\p{Emoji}(?:\p{Emoji_Modifier}|[\uFE0E\uFE0F]\u20E3?)?)`;
const EMOJI = new RegExp(`${EMOJI_ELEMENT}(?:\\u200D${EMOJI_ELEMENT})*`, 'gu');

/** Trim and check a display name. An empty result is allowed only where the caller says. */
export function checkName(raw: string): NameCheck {
  const name = raw.normalize('NFC').trim();
  if (name.length === 0) return { ok: false, reason: 'Name cannot be empty.' };
  if (!name.isWellFormed()) return { ok: false, reason: 'Name is not valid Unicode.' };
  if (INVISIBLE.test(name.replace(EMOJI, ''))) {
    return { ok: false, reason: 'Name cannot contain control or invisible characters.' };
  }
  // A mark with nothing to sit on is drawn on a dotted circle, or on whatever the list shows
  // before the name (the rule IDNA has for domain labels).
  if (/^\p{M}/u.test(name)) return { ok: false, reason: 'Name cannot start with a combining mark.' };
  if (countChars(name) > LIMITS.maxNameChars) {
    return { ok: false, reason: `Name is longer than ${LIMITS.maxNameChars} characters.` };
  }
  return { ok: true, name };
}

const INVISIBLE_EVERYWHERE = new RegExp(INVISIBLE.source, 'gu');

/** The text without what checkName refuses as invisible; emoji keep their joiners and selectors. */
export function stripInvisible(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(EMOJI)) {
    out += text.slice(last, match.index).replace(INVISIBLE_EVERYWHERE, '') + match[0];
    last = match.index + match[0].length;
  }
  return out + text.slice(last).replace(INVISIBLE_EVERYWHERE, '');
}

// Unicode's confusables.txt, read on the first nameKey: a web client, which only checks
// names, neither parses nor (after tree-shaking) downloads it.
let prototypes: Map<string, string> | undefined;
function loadPrototypes(): Map<string, string> {
  const table = new Map<string, string>();
  const char = (hex: string) => String.fromCodePoint(parseInt(hex, 16));
  for (const line of CONFUSABLES.split('\n')) {
    const [from, ...to] = line.split(' ');
    if (from && to.length > 0) table.set(char(from), to.map(char).join(''));
  }
  return table;
}

const IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;

/** Unicode TR39's skeleton: two strings that look alike have the same one. */
function skeleton(text: string): string {
  prototypes ??= loadPrototypes();
  let out = '';
  for (const char of text.normalize('NFD')) {
    if (!IGNORABLE.test(char)) out += prototypes.get(char) ?? char;
  }
  return out.normalize('NFD');
}

/**
 * The key two names clash on: names a reader could take for one another are one name here.
 * "Alice", "aLICE", "Аlice" (Cyrillic А), "Αlice" (Greek Α), "AIice" (capital I) and
 * "Ａｌｉｃｅ" all share a key; so do "Sam" and "Sarn". The key is for comparing, never for
 * showing. Case is folded through both cases, each time with the TR39 skeleton: Cyrillic "В"
 * looks like "B" only in capitals, "ɑ" like "a" only in small letters. The price of folding
 * case and then following TR39's "I" → "l" is that "i" and "l" clash too ("Lia", "Ila").
 */
export function nameKey(name: string): string {
  let key = name.normalize('NFKC');
  // Each pass can unmask another lookalike; every single code point settles within three.
  for (let pass = 0; pass < 4; pass++) {
    const next = skeleton(skeleton(key.toUpperCase()).toLowerCase());
    if (next === key) break;
    key = next;
  }
  return key.replace(/\s+/gu, ' ');
}

const ADJECTIVES = [
  'Amber', 'Brave', 'Calm', 'Cosy', 'Daring', 'Eager', 'Gentle', 'Golden', 'Happy', 'Jolly',
  'Keen', 'Lively', 'Lucky', 'Mellow', 'Merry', 'Nimble', 'Quiet', 'Rosy', 'Sunny', 'Swift',
  'Tidy', 'Warm', 'Witty', 'Zesty',
];
const ANIMALS = [
  'Badger', 'Otter', 'Fox', 'Heron', 'Lynx', 'Marten', 'Owl', 'Panda', 'Puffin', 'Raven',
  'Robin', 'Seal', 'Sparrow', 'Stoat', 'Swan', 'Tiger', 'Walrus', 'Wren', 'Yak', 'Koala',
];

/** A friendly name for someone who gave none, unique among `taken` (a set of nameKeys). */
export function friendlyName(taken: ReadonlySet<string>, random: () => number = Math.random): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  for (let attempt = 0; attempt < 20; attempt++) {
    const name = `${pick(ADJECTIVES)} ${pick(ANIMALS)}`;
    if (!taken.has(nameKey(name))) return name;
  }
  const base = `${pick(ADJECTIVES)} ${pick(ANIMALS)}`;
  for (let n = 2; ; n++) {
    const name = `${base} ${n}`;
    if (!taken.has(nameKey(name))) return name;
  }
}
