// The host's dashboard: live figures while three people chat, then every moderation action
// with what the affected people see, and the history exported to files.
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures.ts';
import { LobbyPage } from '../pages/lobby.ts';
import { RoomPage } from '../pages/room.ts';

async function download(page: Page, button: string): Promise<{ name: string; content: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  return { name: file.suggestedFilename(), content: await readFile((await file.path())!, 'utf8') };
}

test('the dashboard shows the room live and moderates it', { tag: '@desktop' }, async ({ desktop, browserClient, shot }) => {
  test.setTimeout(90_000);
  const host = await desktop({ name: 'Hana' });
  await new LobbyPage(host.page).hostRoom('Class 4B');
  const hana = new RoomPage(host.page);
  await hana.waitConnected();
  const port = new URL((await host.page.locator('.join-link').innerText()).trim()).port;

  await host.page.getByRole('button', { name: 'Open dashboard' }).click();
  const dash = await host.nextWindow();
  await expect(dash.getByRole('heading', { name: /Class 4B/ })).toBeVisible();
  const tiles = dash.getByRole('list', { name: 'Room figures' });
  await expect(tiles.getByRole('listitem', { name: 'People now: 1' })).toBeVisible();

  const people: Record<string, { page: Page; room: RoomPage }> = {};
  for (const name of ['Ann', 'Ben', 'Cat']) {
    const page = await browserClient(`http://127.0.0.1:${port}/`);
    await new LobbyPage(page).joinServedRoom(name);
    const room = new RoomPage(page);
    await room.waitConnected();
    people[name] = { page, room };
  }
  await people['Ann']!.room.say('Good morning, class!');
  await people['Ben']!.room.say('Morning!');
  await people['Cat']!.room.say('Hi all');
  await hana.say('Welcome, everyone');

  // Tiles, people table, chart and log follow along (the snapshot comes once a second).
  await expect(tiles.getByRole('listitem', { name: 'People now: 4' })).toBeVisible();
  await expect(tiles.getByRole('listitem', { name: 'Messages: 4' })).toBeVisible();
  const table = dash.getByRole('table', { name: 'People' });
  for (const name of ['Ann', 'Ben', 'Cat', 'Hana']) await expect(table.getByRole('cell', { name, exact: true })).toBeVisible();
  // The host's own row offers no Kick or Ban (the room would refuse them anyway).
  await expect(table.getByRole('button', { name: 'Ban Ann' })).toBeVisible();
  await expect(table.getByRole('button', { name: /^(Kick|Ban) Hana$/ })).toHaveCount(0);
  const log = dash.getByRole('list', { name: 'Activity log' });
  await expect(log).toContainText('Ann joined from 127.0.0.1');
  await expect(dash.getByRole('img', { name: /^Chart: .*\(([1-9]\d*) points\)$/ })).toBeVisible({ timeout: 10_000 });
  // Sorting by messages puts the quiet ones first.
  await table.getByRole('button', { name: /^Messages/ }).click();
  await expect(table.getByRole('columnheader', { name: /^Messages/ })).toHaveAttribute('aria-sort', 'ascending');
  await shot(dash, '40-dashboard');
  await dash.emulateMedia({ colorScheme: 'dark' });
  await shot(dash, '40-dashboard-dark');
  await dash.emulateMedia({ colorScheme: 'light' });

  // Export the history as JSON and Markdown.
  const json = await download(dash, 'Export JSON');
  expect(json.name).toMatch(/^Class-4B-\d{4}-\d\d-\d\d\.json$/);
  const parsed = JSON.parse(json.content) as { room: string; messages: Array<{ from: string; text: string }> };
  expect(parsed.room).toBe('Class 4B');
  expect(parsed.messages.map((m) => `${m.from}: ${m.text}`)).toEqual(['Ann: Good morning, class!', 'Ben: Morning!', 'Cat: Hi all', 'Hana: Welcome, everyone']);
  const md = await download(dash, 'Export Markdown');
  expect(md.name).toMatch(/\.md$/);
  expect(md.content).toContain('# Class 4B');
  expect(md.content).toContain('**Ann:** Good morning, class\\!');

  // Kick: the person sees why.
  await dash.getByRole('button', { name: 'Kick Cat' }).click();
  await dash.getByRole('textbox', { name: 'Reason to kick Cat' }).fill('phones away, please');
  await dash.getByRole('button', { name: 'Kick', exact: true }).click();
  await expect(people['Cat']!.page.getByRole('alertdialog')).toContainText('phones away, please');
  await expect(log).toContainText('Kicked Cat: phones away, please');

  // Ban: out, and cannot come back while banned.
  await dash.getByRole('button', { name: 'Ban Ben' }).click();
  await dash.getByRole('textbox', { name: 'Reason to ban Ben' }).fill('spam');
  await dash.getByRole('button', { name: 'Ban', exact: true }).click();
  const ben = people['Ben']!.page;
  await expect(ben.getByRole('alertdialog', { name: 'You were banned' })).toContainText('spam');
  await ben.reload();
  await new LobbyPage(ben).joinServedRoom();
  await expect(ben.getByRole('alertdialog')).toContainText('You are banned from this room. Reason: spam');
  await expect(tiles.getByRole('listitem', { name: 'People now: 2' })).toBeVisible();
  // The ban is listed (who, why, by whom) and can be lifted.
  const bans = dash.getByRole('list', { name: 'Bans' });
  await expect(bans.getByRole('listitem')).toHaveText([/Ben.*“spam”.*by Hana/]);
  await dash.getByRole('button', { name: 'Unban Ben' }).click();
  await expect(dash.getByText('Nobody is banned.', { exact: false })).toBeVisible();

  // Topic: everyone sees it.
  await dash.getByRole('textbox', { name: 'Room topic' }).fill('Quiz at 10:30');
  await dash.getByRole('button', { name: 'Set topic' }).click();
  await expect(people['Ann']!.page.locator('.room-title .topic')).toHaveText('Quiz at 10:30');
  await expect(people['Ann']!.page.getByText('The host set the topic: Quiz at 10:30')).toBeVisible();

  // Lock: a newcomer needs the password; people inside stay.
  await dash.getByRole('textbox', { name: 'New room password' }).fill('quiz');
  await dash.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(dash.getByText('🔒 Locked')).toBeVisible();
  const dee = await browserClient(`http://127.0.0.1:${port}/`);
  await expect(dee.getByText('You will need the password.')).toBeVisible();
  await new LobbyPage(dee).joinServedRoom('Dee');
  await new LobbyPage(dee).enterPassword('quiz');
  await new RoomPage(dee).waitConnected();
  await expect(people['Ann']!.room.connection).toHaveText('Connected');

  // Clear history, after a confirmation.
  await dash.getByRole('button', { name: 'Clear history…' }).click();
  await dash.getByRole('button', { name: 'Yes, clear it' }).click();
  await expect(people['Ann']!.page.getByText('The host cleared the history.')).toBeVisible();
  await expect(people['Ann']!.room.messages.getByText('Good morning, class!')).toHaveCount(0);

  // The log can be narrowed down.
  await dash.getByRole('button', { name: 'Moderation', exact: true }).click();
  await expect(log.getByRole('listitem')).toHaveText([/Kicked Cat/, /Banned Ben/, /Unbanned Ben/, /Topic set/, /Room locked/, /History cleared/]);
  await dash.getByRole('textbox', { name: 'Search activity' }).fill('ben');
  await expect(log.getByRole('listitem')).toHaveCount(2);
  await shot(dash, '41-dashboard-moderated');

  // Closed and reopened while hosting: still live. Stopping: "not hosting".
  await dash.close();
  await host.page.getByRole('button', { name: 'Open dashboard' }).click();
  const again = await host.nextWindow();
  await expect(again.getByRole('list', { name: 'Room figures' }).getByRole('listitem', { name: 'People now: 3' })).toBeVisible();
  // Stopping asks first (it cuts everyone off), and Cancel changes nothing.
  await again.getByRole('button', { name: 'Stop hosting' }).click();
  const confirm = again.getByRole('dialog', { name: /^Stop hosting/ });
  await expect(confirm).toContainText('2 people will be disconnected.');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(again.getByRole('list', { name: 'Room figures' }).getByRole('listitem', { name: 'People now: 3' })).toBeVisible();
  await again.getByRole('button', { name: 'Stop hosting' }).click();
  await confirm.getByRole('button', { name: 'Stop hosting' }).click();
  await expect(again.getByRole('heading', { name: 'Not hosting' })).toBeVisible();
});
