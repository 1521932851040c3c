// The files panel as the host's dashboard draws it (React's own server renderer, no
// browser): the space used as a meter, each file with a Delete button named after it,
// and a hostile file name kept as text.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DashboardFiles } from '../../../common/dashboard.ts';
import { FilesPanel } from './FilesPanel.tsx';

function draw(files: DashboardFiles): string {
  return renderToStaticMarkup(createElement(FilesPanel, { files, onDelete: async () => true }));
}

const base: DashboardFiles = { usedBytes: 0, reservedBytes: 0, quotaBytes: 10_000_000_000, maxFileBytes: 2_000_000_000, count: 0, inHistory: { count: 0, bytes: 0 }, list: [] };

describe('the dashboard’s files panel', () => {
  it('says there are no files yet, with the space as a meter', () => {
    const html = draw(base);
    expect(html).toContain('No files yet.');
    expect(html).toContain('0 B of 10 GB used · 0 files');
    expect(html).toMatch(/role="meter"[^>]*aria-label="Space for files used"[^>]*aria-valuenow="0"/);
  });

  it('lists each file with a Delete button named after it, and keeps a hostile name as text', () => {
    const html = draw({
      ...base,
      usedBytes: 5_000_000_000,
      count: 3,
      list: [
        { id: 'a'.repeat(64), name: '<img src=x onerror=alert(1)>.png', size: 2_400_000, type: 'image/png', from: 'Ada', at: 2, messages: 1 },
        { id: 'b'.repeat(64), name: '', size: 512, type: '', from: '', at: 1, messages: 0 },
      ],
    });
    expect(html).toContain('aria-valuenow="50"');
    expect(html).toContain('aria-label="Delete &lt;img src=x onerror=alert(1)&gt;.png"');
    expect(html).not.toContain('<img');
    expect(html).toContain('aria-label="Delete File bbbbbbbb"');
    expect(html).toContain('512 B · not in the history, so its name is not known');
    expect(html).toContain('And 1 older file, not listed.');
  });
});
