// The host's dashboard and the files people share (issue 17): the Files panel lists what the
// room keeps, with sizes and the space used; Delete asks first (Keep it changes nothing), then
// the file is gone for everyone (the conversation says so, its link answers 403); clearing
// the history with "Delete the files too" empties the panel, and without it the files stay
// listed ("not in the history") while the cleared messages' links stop working. Laptop and
// phone screenshots of the panel and both confirmations; axe on the panel.
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { createHash, randomBytes } from 'node:crypto';
import { formatBytes } from '../../common/files.ts';
import { png } from '../../test/support/png.ts';
import { expect, test } from '../fixtures.ts';
import { DashboardPage } from '../pages/dashboard.ts';
import { LobbyPage } from '../pages/lobby.ts';
import { RoomPage } from '../pages/room.ts';

const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

async function enter(page: Page, name: string): Promise<RoomPage> {
  await new LobbyPage(page).joinServedRoom(name);
  const room = new RoomPage(page);
  await room.waitConnected();
  return room;
}

/** What a member's browser gets for a file link it holds (status and the host's words). */
async function fetchAs(member: RoomPage, url: string): Promise<{ status: number; text: string }> {
  const answer = await member.page.request.get(url);
  return { status: answer.status(), text: (await answer.text()).slice(0, 200) };
}

/** The link behind an image or a Download link, absolute. */
async function linkOf(member: RoomPage, element: Locator, attribute: 'src' | 'href'): Promise<string> {
  return new URL((await element.getAttribute(attribute))!, member.page.url()).href;
}

/** The page's serious and critical axe findings inside `selector`. */
async function seriousFindings(page: Page, selector: string, what: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).include(selector).analyze();
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${what}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Screenshots of `target` (scrolled into view) at a laptop's size and a phone's; the page is never wider than the screen. */
async function shotsAtBothSizes(page: Page, target: Locator, name: string, shot: (page: Page, name: string) => Promise<void>): Promise<void> {
  for (const [size, viewport] of [
    ['laptop', LAPTOP],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(viewport);
    await target.scrollIntoViewIfNeeded();
    const box = (await target.boundingBox())!;
    expect(box.x + box.width, `${name} fits a ${size}`).toBeLessThanOrEqual(viewport.width + 0.5);
    const scrollWidth = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
    expect(scrollWidth, `page width on a ${size}`).toBeLessThanOrEqual(viewport.width);
    await shot(page, `${name}-${size}`);
  }
  await page.setViewportSize(LAPTOP);
}

test('the host sees shared files on the dashboard, deletes one, and clears the history with or without its files', { tag: '@desktop' }, async ({ desktop, browserClient, shot }) => {
  test.setTimeout(150_000);
  const app = await desktop({ name: 'Hana' });
  await new LobbyPage(app.page).hostRoom('Office');
  const hana = new RoomPage(app.page);
  await hana.waitConnected();
  const url = `http://127.0.0.1:${new URL(await hana.joinLink()).port}/`;
  const ann = await enter(await browserClient(url), 'Ann');
  const bob = await enter(await browserClient(url), 'Bob');

  // Ann shares a report and a photo, both at once.
  const report = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(1_500_000)]);
  const photo = png(640, 400, 'cool');
  await ann.attachFiles([
    { name: 'report.pdf', mimeType: 'application/pdf', buffer: report },
    { name: 'sunset.png', mimeType: 'image/png', buffer: photo },
  ]);
  await ann.send.click();
  await expect(ann.tray).toHaveCount(0, { timeout: 20_000 });
  await expect(bob.image('sunset.png')).toBeVisible();
  await expect(bob.downloadLink('report.pdf')).toBeVisible();
  const photoUrl = await linkOf(bob, bob.image('sunset.png'), 'src');
  const reportUrl = await linkOf(bob, bob.downloadLink('report.pdf'), 'href');
  expect((await fetchAs(bob, photoUrl)).status).toBe(200);
  expect((await fetchAs(bob, reportUrl)).status).toBe(200);

  // The dashboard lists both, newest first, with sizes, and the space they take.
  await hana.openDashboard();
  const dash = new DashboardPage(await app.nextWindow());
  await dash.page.setViewportSize(LAPTOP);
  const panel = dash.page.getByRole('region', { name: /^Files\b/ });
  const listed = panel.getByRole('listitem');
  await expect(listed).toHaveCount(2);
  await expect(listed.filter({ hasText: 'sunset.png' })).toContainText(`${formatBytes(photo.length)} · image/png · shared by Ann`);
  await expect(listed.filter({ hasText: 'report.pdf' })).toContainText(`${formatBytes(report.length)} · application/pdf · shared by Ann`);
  await expect(panel.getByText(new RegExp(`^${formatBytes(report.length + photo.length)} of [\\d.]+ [KMGT]?B used · 2 files$`))).toBeVisible();
  await expect(panel.getByRole('meter', { name: 'Space for files used' })).toBeVisible();
  expect(await seriousFindings(dash.page, '.files-panel', 'files panel')).toEqual([]);
  await shotsAtBothSizes(dash.page, panel, 'files-dashboard-10-panel', shot);
  await dash.page.emulateMedia({ colorScheme: 'dark' });
  expect(await seriousFindings(dash.page, '.files-panel', 'files panel (dark)')).toEqual([]);
  await panel.scrollIntoViewIfNeeded();
  await shot(dash.page, 'files-dashboard-10-panel-dark');
  await dash.page.emulateMedia({ colorScheme: 'light' });

  // Delete asks first; "Keep it" keeps it.
  await panel.getByRole('button', { name: 'Delete sunset.png' }).click();
  const confirmDelete = panel.getByRole('alertdialog', { name: 'Confirm deleting sunset.png' });
  await expect(confirmDelete).toContainText('Delete it for everyone? Its messages stay, marked deleted.');
  // The Delete button it replaced is gone: the focus is on the choice that changes nothing.
  await expect(confirmDelete.getByRole('button', { name: 'Keep it' })).toBeFocused();
  expect(await seriousFindings(dash.page, '.files-panel', 'delete confirmation')).toEqual([]);
  await shotsAtBothSizes(dash.page, panel, 'files-dashboard-11-confirm-delete', shot);
  await dash.page.keyboard.press('Enter');
  await expect(confirmDelete).toHaveCount(0);
  await expect(panel.getByRole('button', { name: 'Delete sunset.png' })).toBeFocused();
  await expect(listed).toHaveCount(2);
  await expect(bob.image('sunset.png')).toBeVisible();
  expect((await fetchAs(bob, photoUrl)).status).toBe(200);

  // Confirmed: gone from the panel and the space; Bob's conversation says so where the photo
  // was, and the link he holds answers 403.
  await panel.getByRole('button', { name: 'Delete sunset.png' }).click();
  await confirmDelete.getByRole('button', { name: 'Yes, delete it' }).click();
  await expect(listed).toHaveCount(1);
  await expect(listed).toContainText('report.pdf');
  // Its row is gone: keyboard focus moves to the Delete of the file now in its place.
  await expect(panel.getByRole('button', { name: 'Delete report.pdf' })).toBeFocused();
  await expect(panel.getByText(new RegExp(`^${formatBytes(report.length)} of .* used · 1 file$`))).toBeVisible();
  await expect(bob.messages.getByText('sunset.png was deleted by the host')).toBeVisible();
  await expect(bob.image('sunset.png')).toHaveCount(0);
  await expect(ann.messages.getByText('sunset.png was deleted by the host')).toBeVisible();
  await expect(bob.downloadLink('report.pdf')).toBeVisible();
  const deleted = await fetchAs(bob, photoUrl);
  expect(deleted.status).toBe(403);
  expect(deleted.text).toContain('deleted');
  expect((await fetchAs(bob, reportUrl)).status).toBe(200);
  await shot(bob.page, 'files-dashboard-12-deleted-note');

  // Clear the history with "Delete the file too" ticked: the panel empties, nothing is used,
  // and the report's link answers 403.
  const moderation = dash.page.getByRole('region', { name: 'Moderation' });
  await moderation.getByRole('button', { name: 'Clear history…' }).click();
  const confirmClear = moderation.getByRole('alertdialog', { name: 'Confirm clearing the history' });
  const withFiles = confirmClear.getByRole('checkbox', { name: `Delete the file too (${formatBytes(report.length)})` });
  await expect(withFiles).not.toBeChecked();
  await expect(confirmClear.getByRole('button', { name: 'Keep it' })).toBeFocused();
  await withFiles.check();
  expect(await seriousFindings(dash.page, '.moderation', 'clear confirmation')).toEqual([]);
  await shotsAtBothSizes(dash.page, confirmClear, 'files-dashboard-13-confirm-clear', shot);
  await confirmClear.getByRole('button', { name: 'Yes, clear it' }).click();
  await expect(dash.page.getByRole('status').filter({ hasText: /^History cleared/ })).toHaveText('History cleared, and 1 file deleted');
  await expect(moderation.getByRole('button', { name: 'Clear history…' })).toBeFocused();
  await expect(bob.page.getByText('The host cleared the history.')).toBeVisible();
  await expect(listed).toHaveCount(0);
  await expect(panel.getByText(/^0 B of .* used · 0 files$/)).toBeVisible();
  await expect(panel.getByText('No files yet.', { exact: false })).toBeVisible();
  expect((await fetchAs(bob, reportUrl)).status).toBe(403);
  await shotsAtBothSizes(dash.page, panel, 'files-dashboard-14-emptied', shot);

  // Cleared without ticking it: the history goes, the file stays on the host, listed as no
  // longer in the history, under the start of its hash (its name went with the messages; the
  // dashboard can still delete it); the cleared message's link no longer reads it, since a
  // download is allowed by the message that shared it.
  const notes = Buffer.from('Tea at four.\n');
  await ann.attachFiles([{ name: 'notes.txt', mimeType: 'text/plain', buffer: notes }]);
  await ann.send.click();
  await expect(bob.downloadLink('notes.txt')).toBeVisible({ timeout: 15_000 });
  const notesUrl = await linkOf(bob, bob.downloadLink('notes.txt'), 'href');
  expect((await fetchAs(bob, notesUrl)).text).toBe('Tea at four.\n');
  await expect(listed).toHaveCount(1);
  await moderation.getByRole('button', { name: 'Clear history…' }).click();
  await expect(confirmClear.getByRole('checkbox', { name: `Delete the file too (${formatBytes(notes.length)})` })).not.toBeChecked();
  await confirmClear.getByRole('button', { name: 'Yes, clear it' }).click();
  await expect(dash.page.getByRole('status').filter({ hasText: /^History cleared/ })).toHaveText('History cleared');
  await expect(bob.downloadLink('notes.txt')).toHaveCount(0);
  await expect(listed).toHaveCount(1);
  const keptAs = `File ${createHash('sha256').update(notes).digest('hex').slice(0, 8)}`;
  await expect(listed).toContainText(`${keptAs}${formatBytes(notes.length)} · not in the history, so its name is not known`);
  await expect(panel.getByText(new RegExp(`^${formatBytes(notes.length)} of .* used · 1 file$`))).toBeVisible();
  expect((await fetchAs(bob, notesUrl)).status).toBe(403);
  await shotsAtBothSizes(dash.page, panel, 'files-dashboard-15-kept-after-clear', shot);

  // The dashboard can still delete a file no message holds.
  await panel.getByRole('button', { name: `Delete ${keptAs}` }).click();
  await panel.getByRole('alertdialog', { name: `Confirm deleting ${keptAs}` }).getByRole('button', { name: 'Yes, delete it' }).click();
  await expect(listed).toHaveCount(0);
  await expect(panel.getByText(/^0 B of .* used · 0 files$/)).toBeVisible();
  await expect(panel.getByRole('heading', { name: /^Files/ })).toBeFocused(); // no file left to move to
});
