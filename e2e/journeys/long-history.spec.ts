// Journey 5: a room with 10,000 messages of history opens at once and scrolls all the way
// back to its first message, with only the rows on screen in the DOM.
import type { Proc} from '../../test/support/cli.ts';
import { freePort, spawnHost } from '../../test/support/cli.ts';
import { tempDir } from '../../test/support/host.ts';
import { SqliteHistoryStore, type NewMessage } from '../../main/host/store/index.ts';
import { expect, test } from '../fixtures.ts';
import { LobbyPage } from '../pages/lobby.ts';

const COUNT = 10_000;

test('10,000 messages of history: opens fast, scrolls to the beginning, stays virtualised', async ({ browserClient, shot }) => {
  test.setTimeout(120_000);
  const data = tempDir();
  const store = SqliteHistoryStore.inDirectory(data.path);
  const people = [
    { id: 'ada000000001', name: 'Ada' },
    { id: 'ben000000002', name: 'Ben' },
    { id: 'cleo00000003', name: 'Cleo' },
  ];
  const now = Date.now();
  const batch: NewMessage[] = [];
  for (let i = 1; i <= COUNT; i++) {
    const from = people[i % people.length]!;
    batch.push({ id: `seed${i}`, clientId: `seed-client-${from.id}`, from, text: `Message ${i}${i % 7 === 0 ? '\nwith a second line' : ''}`, ts: now - (COUNT - i) * 60_000, kind: 'text' });
  }
  store.append(batch);
  store.close();

  const port = await freePort();
  const host: Proc = (await spawnHost(['--room', 'Archive', '--port', String(port), '--data', data.path])).proc;
  try {
    const page = await browserClient(`http://127.0.0.1:${port}/`);
    const lobby = new LobbyPage(page);
    await lobby.setName('Reader');
    const started = Date.now();
    await lobby.joinServedRoom();
    const log = page.getByRole('log', { name: 'Messages' });
    await expect(log.getByText(`Message ${COUNT}`, { exact: true })).toBeVisible();
    const openMs = Date.now() - started;

    const scrollStarted = Date.now();
    const beginning = page.getByText('This is the beginning of the room.');
    // Bounded in count and time (the test's 120 s): on a loaded 2-core machine the fling back
    // through 50 pages has taken over 20 s lately (README, renderer bench), more than 200 turns.
    for (let i = 0; i < 600 && !(await beginning.isVisible()); i++) {
      await log.evaluate((el) => el.scrollTo({ top: 0 }));
      await page.waitForTimeout(60);
    }
    await expect(beginning).toBeVisible();
    await expect(log.getByText('Message 1', { exact: true })).toBeVisible();
    const scrollMs = Date.now() - scrollStarted;
    const rows = await log.locator('.row').count();
    console.log(`long history: ${COUNT} messages; last message shown ${openMs} ms after Join; scrolled back to the first in ${scrollMs} ms; ${rows} rows in the DOM`);
    expect(rows).toBeLessThan(120);
    await shot(page, '30-beginning-of-history');
  } finally {
    host.kill('SIGKILL');
    await host.exit;
    data.remove();
  }
});
