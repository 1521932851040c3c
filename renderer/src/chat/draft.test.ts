import { describe, expect, it } from 'vitest';
import { draftLength } from './draft.ts';

describe('the composer counter', () => {
  it('stays out of the way until the limit nears', () => {
    expect(draftLength('hello')).toEqual({ shown: false, over: false, count: 5, text: '' });
    expect(draftLength('x'.repeat(3499)).shown).toBe(false);
    expect(draftLength('x'.repeat(3500))).toEqual({ shown: true, over: false, count: 3500, text: '3,500 / 4,000' });
  });

  it('counts characters as the host does: an emoji is one', () => {
    expect(draftLength('🔥'.repeat(3600))).toMatchObject({ count: 3600, text: '3,600 / 4,000' });
    expect(draftLength('🔥'.repeat(4000)).over).toBe(false);
  });

  it('says how far over the limit a draft is', () => {
    expect(draftLength('x'.repeat(4001))).toEqual({ shown: true, over: true, count: 4001, text: '4,001 / 4,000: 1 character too many to send' });
    expect(draftLength('x'.repeat(4100)).text).toBe('4,100 / 4,000: 100 characters too many to send');
  });
});
