// The host's dashboard: live figures while three people chat, then every moderation action
// with what the affected people see, and the history exported to files.
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures.ts';
import { DashboardPage } from '../pages/dashboard.ts';
import { LobbyPage } from '../pages/lobby.ts';
import { RoomPage } from '../pages/room.ts';

test('the dashboard shows the room live and moderates it', { tag: '@desktop' }, async ({ desktop, browserClient, shot }) => {
  test.setTimeout(90_000);
  const host = await desktop({ name: 'Hana' });
  await new LobbyPage(host.page).hostRoom('Class 4B');
  const hana = new RoomPage(host.page);
  await hana.waitConnected();
  const port = new URL(await hana.joinLink()).port;

  await hana.openDashboard();
  const dash = new DashboardPage(await host.nextWindow());
  await expect(dash.title(/Class 4B/)).toBeVisible();
  await expect(dash.figure('People now', 1)).toBeVisible();
  // The same identity as the hosting panel shows.
  expect(await dash.hostIdentity()).toEqual(await hana.hostIdentity());

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
  await expect(dash.figure('People now', 4)).toBeVisible();
  await expect(dash.figure('Messages', 4)).toBeVisible();
  const table = dash.people;
  for (const name of ['Ann', 'Ben', 'Cat', 'Hana']) await expect(table.getByRole('cell', { name, exact: true })).toBeVisible();
  // The browsers joined over plain http (ws://), the host's own window over TLS (wss://): each row says which in words, and the panel counts the plain ones.
  for (const name of ['Ann', 'Ben', 'Cat']) await expect(dash.connectionOf(name)).toHaveText('Not encrypted');
  await expect(dash.connectionOf('Hana')).toHaveText('Encrypted');
  await expect(dash.notEncryptedCount()).toHaveText('3 not encrypted');
  // The host's own row offers no Kick or Ban (the room would refuse them anyway).
  await expect(dash.personAction('Ban', 'Ann')).toBeVisible();
  await expect(table.getByRole('button', { name: /^(Kick|Ban) Hana$/ })).toHaveCount(0);
  const log = dash.log;
  await expect(log).toContainText('Ann joined from 127.0.0.1');
  await expect(dash.chart).toHaveAccessibleName(/^Chart: .*\(([1-9]\d*) points\)$/, { timeout: 10_000 });
  await expect(dash.chart).toBeVisible();
  // Sorting by messages puts the quiet ones first.
  await table.getByRole('button', { name: /^Messages/ }).click();
  await expect(table.getByRole('columnheader', { name: /^Messages/ })).toHaveAttribute('aria-sort', 'ascending');
  await shot(dash.page, '40-dashboard');
  await dash.page.emulateMedia({ colorScheme: 'dark' });
  await shot(dash.page, '40-dashboard-dark');
  await dash.page.emulateMedia({ colorScheme: 'light' });

  // Export the history as JSON and Markdown.
  const json = await dash.exportHistory('JSON');
  expect(json.name).toMatch(/^Class-4B-\d{4}-\d\d-\d\d\.json$/);
  const parsed = JSON.parse(json.content) as { room: string; messages: Array<{ from: string; text: string }> };
  expect(parsed.room).toBe('Class 4B');
  expect(parsed.messages.map((m) => `${m.from}: ${m.text}`)).toEqual(['Ann: Good morning, class!', 'Ben: Morning!', 'Cat: Hi all', 'Hana: Welcome, everyone']);
  const md = await dash.exportHistory('Markdown');
  expect(md.name).toMatch(/\.md$/);
  expect(md.content).toContain('# Class 4B');
  expect(md.content).toContain('**Ann:** Good morning, class\\!');

  // Kick: the person sees why.
  await dash.kick('Cat', 'phones away, please');
  await expect(people['Cat']!.page.getByRole('alertdialog')).toContainText('phones away, please');
  await expect(log).toContainText('Kicked Cat: phones away, please');

  // Ban: out, and cannot come back while banned.
  await dash.ban('Ben', 'spam');
  const ben = people['Ben']!.page;
  await expect(ben.getByRole('alertdialog', { name: 'You were banned' })).toContainText('spam');
  await ben.reload();
  await new LobbyPage(ben).joinServedRoom();
  await expect(ben.getByRole('alertdialog')).toContainText('You are banned from this room. Reason: spam');
  await expect(dash.figure('People now', 2)).toBeVisible();
  // The ban is listed (who, why, by whom) and can be lifted.
  await expect(dash.bans.getByRole('listitem')).toHaveText([/Ben.*“spam”.*by Hana/]);
  await dash.unban('Ben');
  await expect(dash.page.getByText('Nobody is banned.', { exact: false })).toBeVisible();

  // Topic: everyone sees it.
  await dash.setTopic('Quiz at 10:30');
  await expect(people['Ann']!.room.topic).toHaveText('Quiz at 10:30');
  await expect(people['Ann']!.page.getByText('The host set the topic: Quiz at 10:30')).toBeVisible();

  // Lock: a newcomer needs the password; people inside stay.
  await dash.lock('quiz');
  await expect(dash.lockedBadge).toBeVisible();
  const dee = await browserClient(`http://127.0.0.1:${port}/`);
  await expect(dee.getByText('You will need the password.')).toBeVisible();
  await new LobbyPage(dee).joinServedRoom('Dee');
  await new LobbyPage(dee).enterPassword('quiz');
  await new RoomPage(dee).waitConnected();
  await expect(people['Ann']!.room.connection).toHaveText('Connected');

  // Clear history, after a confirmation.
  await dash.clearHistory();
  await expect(people['Ann']!.page.getByText('The host cleared the history.')).toBeVisible();
  await expect(people['Ann']!.room.messages.getByText('Good morning, class!')).toHaveCount(0);

  // The log can be narrowed down.
  await dash.showActivity('Moderation');
  await expect(log.getByRole('listitem')).toHaveText([/Kicked Cat/, /Banned Ben/, /Unbanned Ben/, /Topic set/, /Room locked/, /History cleared/]);
  await dash.searchActivity('ben');
  await expect(log.getByRole('listitem')).toHaveCount(2);
  await shot(dash.page, '41-dashboard-moderated');

  // Closed and reopened while hosting: still live. Stopping: "not hosting".
  await dash.page.close();
  await hana.openDashboard();
  const again = new DashboardPage(await host.nextWindow());
  await expect(again.figure('People now', 3)).toBeVisible();
  // Stopping asks first (it cuts everyone off), and Cancel changes nothing.
  const confirm = await again.askToStopHosting();
  await expect(confirm).toContainText('2 people will be disconnected.');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(again.figure('People now', 3)).toBeVisible();
  await again.askToStopHosting();
  await confirm.getByRole('button', { name: 'Stop hosting' }).click();
  await expect(again.notHosting()).toBeVisible();
});
