// The renderer under a long history: open a room with N messages in Chromium, time the
// first paint of the list, then scroll to the very first message and count the frames
// that took longer than two vsyncs.
import { chromium } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_FLAGS, chromiumPath } from '../e2e/harness/chromium.ts';
import { spawnHost } from '../test/support/cli.ts';
import { SqliteHistoryStore, type NewMessage } from '../main/host/store/index.ts';

// The page-side callbacks below run in Chromium. These module-local declarations give them
// the few browser globals they use without putting the DOM into the Node type-check.
interface PageElement {
  textContent: string | null;
  disabled?: boolean;
  click(): void;
  scrollBy(x: number, y: number): void;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
  body: { textContent: string | null };
};
declare function requestAnimationFrame(callback: () => void): number;

export type RendererResult =
  | { firstPaintMs: number; scrollMs: number; pagesLoaded: number; frames: number; droppedFrames: number; longestFrameMs: number; domRows: number }
  | { skipped: string };

export async function measureRenderer(count: number): Promise<RendererResult> {
  const executablePath = chromiumPath();
  const dir = mkdtempSync(join(tmpdir(), 'hearth-bench-render-'));
  const store = SqliteHistoryStore.inDirectory(dir);
  const people = ['Ada', 'Ben', 'Cleo'].map((name, i) => ({ id: `${name.toLowerCase()}0000000${i}`, name }));
  const batch: NewMessage[] = [];
  for (let i = 1; i <= count; i++) {
    const from = people[i % 3]!;
    batch.push({ id: `s${i}`, clientId: `seed-${from.id}`, from, text: `Message ${i}${i % 5 === 0 ? ' — a longer one that wraps onto a second line in a normal window, as real chat does now and then' : ''}`, ts: Date.now() - (count - i) * 30_000, kind: 'text' });
  }
  store.append(batch);
  store.close();
  const host = await spawnHost(['--room', 'Bench history', '--port', '0', '--data', dir]);
  let browser;
  try {
    browser = await chromium.launch({ args: CHROMIUM_FLAGS, ...(executablePath && { executablePath }) });
  } catch (error) {
    host.proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    return { skipped: `no Chromium: ${(error as Error).message.split('\n')[0]}` };
  }
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
    await page.goto(`http://127.0.0.1:${host.port}/`);
    await page.getByRole('button', { name: 'Join', exact: true }).waitFor();
    await page.waitForFunction(() => !document.querySelector('button.primary')?.disabled);
    const firstPaintMs = await page.evaluate(async (last) => {
      const started = performance.now();
      document.querySelector('button.primary')!.click();
      for (;;) {
        await new Promise<void>((r) => requestAnimationFrame(() => r()));
        if ([...document.querySelectorAll('.msg .text')].some((e) => e.textContent?.startsWith(last))) return performance.now() - started;
        if (performance.now() - started > 15_000) return -1;
      }
    }, `Message ${count}`);
    const scroll = await page.evaluate(async () => {
      const log = document.querySelector('[role=log]')!;
      const frames: number[] = [];
      let pages = 0;
      let last = performance.now();
      const started = last;
      let rows = document.querySelectorAll('.row').length;
      while (!document.body.textContent?.includes('This is the beginning of the room.') && performance.now() - started < 60_000) {
        // A fast fling upwards: about three screens a frame.
        log.scrollBy(0, -2400);
        await new Promise<void>((r) => requestAnimationFrame(() => r()));
        const now = performance.now();
        frames.push(now - last);
        last = now;
        if (document.querySelector('.loading-older')) pages++;
        rows = Math.max(rows, document.querySelectorAll('.row').length);
      }
      return { scrollMs: performance.now() - started, frames, pages, rows };
    });
    const dropped = scroll.frames.filter((f) => f > 2 * 16.7).length;
    return {
      firstPaintMs,
      scrollMs: scroll.scrollMs,
      pagesLoaded: scroll.pages,
      frames: scroll.frames.length,
      droppedFrames: dropped,
      longestFrameMs: Math.max(...scroll.frames),
      domRows: scroll.rows,
    };
  } finally {
    await browser.close();
    host.proc.kill('SIGKILL');
    await host.proc.exit;
    rmSync(dir, { recursive: true, force: true });
  }
}
