// Display-name rules, shared so a client can say "too long" before the host has to.
import { LIMITS, countChars } from './protocol.ts';

export type NameCheck = { ok: true; name: string } | { ok: false; reason: string };

// Controls, zero-width and bidi-override characters: invisible in a member list, and the
// usual tools for making one name look like another.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;

/** Trim and check a display name. An empty result is allowed only where the caller says. */
export function checkName(raw: string): NameCheck {
  const name = raw.normalize('NFC').trim();
  if (name.length === 0) return { ok: false, reason: 'Name cannot be empty.' };
  if (!name.isWellFormed()) return { ok: false, reason: 'Name is not valid Unicode.' };
  if (FORBIDDEN.test(name)) return { ok: false, reason: 'Name cannot contain control or invisible characters.' };
  if (countChars(name) > LIMITS.maxNameChars) {
    return { ok: false, reason: `Name is longer than ${LIMITS.maxNameChars} characters.` };
  }
  return { ok: true, name };
}

/** The key two names clash on: "Alice" and "aLICE" are the same person to a reader. */
export function nameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase();
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
