import { describe, expect, it } from 'vitest';
import { linkify } from './linkify.ts';
import { mentions } from './mentions.ts';

describe('linkify', () => {
  it('links only http(s) URLs and leaves punctuation outside', () => {
    expect(linkify('see https://example.org/a?b=1, then (http://x.test/y).')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.org/a?b=1', href: 'https://example.org/a?b=1' },
      { kind: 'text', text: ', then (' },
      { kind: 'link', text: 'http://x.test/y', href: 'http://x.test/y' },
      { kind: 'text', text: ').' },
    ]);
  });

  it('never links javascript:, data: or credentials', () => {
    for (const text of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'http://user:pw@host/']) {
      expect(linkify(text).every((p) => p.kind === 'text')).toBe(true);
    }
  });
});

describe('mentions', () => {
  it('finds a name as a word or after @, in any case', () => {
    expect(mentions('hey @alice look', 'Alice')).toBe(true);
    expect(mentions('Alice: lunch?', 'Alice')).toBe(true);
    expect(mentions('malice aforethought', 'Alice')).toBe(false);
    expect(mentions('ping Zoë!', 'zoë')).toBe(true);
    expect(mentions('anything', '')).toBe(false);
  });
});
