// Clearing the history, as the dashboard asks it (React's server renderer, no browser):
// the files its messages carry are offered too, never ticked by default.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ClearHistoryConfirm } from './Moderation.tsx';

function draw(carried: { count: number; bytes: number }): string {
  return renderToStaticMarkup(createElement(ClearHistoryConfirm, { carried, onClear: () => {}, onKeep: () => {} }));
}

describe('the clear-history confirmation', () => {
  it('asks whether the files go too, unticked, saying how many and how much', () => {
    const html = draw({ count: 3, bytes: 18_400_000 });
    expect(html).toContain('Delete every message for everyone?');
    expect(html).toMatch(/<label class="check small"><input type="checkbox"\/><span>Delete the 3 files too \(18 MB\)<\/span><\/label>/);
    expect(html).not.toContain('checked');
  });

  it('asks nothing about files when the history carries none', () => {
    const html = draw({ count: 0, bytes: 0 });
    expect(html).not.toContain('checkbox');
    expect(html).toContain('Yes, clear it');
  });
});
