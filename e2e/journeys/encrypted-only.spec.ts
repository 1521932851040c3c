// A room that takes only encrypted connections (#16 item 4, the hosting panel's toggle): the
// host turns it on in the form, the hosting panel says so and does not invite browsers (no
// "any browser" line, no QR code); a browser opening the room's plain http link is told at
// once, before typing anything, and its Join stays disabled; another app joins over wss
// with the host's certificate pinned, and the dashboard says it came encrypted. Then the
// same switch in the hosting panel, while the room is open: turned on (after saying who will
// be disconnected), the browser inside is put out with the sentence and the app stays;
// turned off, browsers join again.
import { ENCRYPTION_REQUIRED } from '../../common/wording.ts';
import { BROWSERS_REFUSED } from '../../renderer/src/room/sharing.ts';
import type { Page } from '@playwright/test';
import { closedTitle } from '../../common/wording.ts';
import { expect, test } from '../fixtures.ts';
import { DashboardPage } from '../pages/dashboard.ts';
import { LobbyPage } from '../pages/lobby.ts';
import { RoomPage } from '../pages/room.ts';

const SIZES = [
  [390, 844],
  [1280, 800],
] as const;

/** At the narrowest phone (320 px), nothing is wider than the window. */
async function expectFitsPhone(page: Page): Promise<void> {
  const before = page.viewportSize()!;
  await page.setViewportSize({ width: 320, height: 568 });
  const { scrollWidth, innerWidth } = await page.evaluate(() => {
    const w = globalThis as unknown as { innerWidth: number; document: { documentElement: { scrollWidth: number } } };
    return { scrollWidth: w.document.documentElement.scrollWidth, innerWidth: w.innerWidth };
  });
  expect(scrollWidth, 'page width at 320 px').toBeLessThanOrEqual(innerWidth);
  await page.setViewportSize(before);
}

test('encrypted connections only: a browser is told before it types, the app joins encrypted', { tag: '@desktop' }, async ({ desktop, browserClient, shot }) => {
  const host = await desktop({ name: 'Hana' });
  const lobby = new LobbyPage(host.page);
  const toggle = lobby.encryptedOnly();
  // Off unless the host chooses it, and it says who it keeps out.
  await expect(toggle).not.toBeChecked();
  await expect(toggle).toHaveAccessibleDescription('People using a browser link cannot join; the Hearth app and hearth join can.');
  await host.page.getByRole('textbox', { name: 'Room name' }).fill('Vault');
  await toggle.check();
  await expectFitsPhone(host.page);
  for (const [width, height] of SIZES) {
    await host.page.setViewportSize({ width, height });
    await shot(host.page, `95-host-form-encrypted-only-${width}`);
  }
  await host.page.setViewportSize({ width: 1180, height: 760 });
  await host.page.getByRole('button', { name: 'Host a room' }).click();

  const hostRoom = new RoomPage(host.page);
  await hostRoom.waitConnected();
  await expect(hostRoom.hostingPanel.getByText('Encrypted connections only', { exact: true })).toBeVisible();
  await expect(hostRoom.hostingPanel.getByText(BROWSERS_REFUSED)).toBeVisible();
  await expect(hostRoom.hostingPanel.getByText(/any browser/)).toHaveCount(0);
  await expect(hostRoom.hostingPanel.getByRole('img', { name: /^QR code/ })).toHaveCount(0);
  await shot(host.page, '96-hosting-panel-encrypted-only-1180');
  await expectFitsPhone(host.page);
  const port = Number(new URL(await hostRoom.joinLink()).port);
  const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { encryptedOnly?: boolean };
  expect(health.encryptedOnly).toBe(true);

  // A browser on the room's plain http link: told at once, Join disabled, whatever is typed.
  const guestPage = await browserClient(`http://127.0.0.1:${port}/`);
  const guestLobby = new LobbyPage(guestPage);
  await expect(guestPage.getByRole('heading', { name: 'Join “Vault”' })).toBeVisible();
  // The command in the sentence is shown as code, without its backticks.
  const refusal = guestPage.getByRole('alert').filter({ hasText: ENCRYPTION_REQUIRED.replaceAll('`', '') });
  await expect(refusal).toBeVisible();
  await expect(refusal.getByRole('code')).toHaveText('hearth join');
  const join = guestPage.getByRole('button', { name: 'Join', exact: true });
  await expect(join).toBeDisabled();
  for (const [width, height] of SIZES) {
    await guestPage.setViewportSize({ width, height });
    await shot(guestPage, `97-browser-refused-encrypted-only-${width}`);
  }
  await expectFitsPhone(guestPage);
  await guestLobby.setName('Wendy');
  await expect(join).toBeDisabled();
  await expect(new RoomPage(guestPage).connection).toHaveCount(0);

  // Another app: joined over wss, its certificate pinned; no "Not encrypted" line.
  const other = await desktop({ name: 'Arlo' });
  await new LobbyPage(other.page).joinByAddress(`127.0.0.1:${port}`);
  const arlo = new RoomPage(other.page);
  await arlo.waitConnected();
  await expect(arlo.plainNotice).toHaveCount(0);
  await arlo.say('Only the apps are here');
  await hostRoom.expectMessage('Only the apps are here');
  await expect.poll(() => hostRoom.memberNames()).toEqual(['Arlo', 'Hana']);

  await hostRoom.openDashboard();
  const dashboard = new DashboardPage(await host.nextWindow());
  for (const name of ['Hana', 'Arlo']) await expect(dashboard.connectionOf(name)).toHaveText('Encrypted');
  await expect(dashboard.notEncryptedCount()).toHaveCount(0);
});

test('encrypted connections only, switched in the hosting panel while the room is open', { tag: '@desktop' }, async ({ desktop, browserClient, shot }) => {
  test.setTimeout(90_000);
  const host = await desktop({ name: 'Hana' });
  await host.page.setViewportSize({ width: 1280, height: 800 });
  await new LobbyPage(host.page).hostRoom('Porch');
  const hostRoom = new RoomPage(host.page);
  await hostRoom.waitConnected();
  const toggle = hostRoom.hostingPanel.getByRole('checkbox', { name: 'Encrypted connections only' });
  await expect(toggle).not.toBeChecked();
  await expect(toggle).toHaveAccessibleDescription('People using a browser link cannot join; the Hearth app and hearth join can.');
  await expect(hostRoom.hostingPanel.getByText(/any browser/)).toBeVisible();
  const port = Number(new URL(await hostRoom.joinLink()).port);

  // A browser on the plain http link, and another app over wss.
  const wendyPage = await browserClient(`http://127.0.0.1:${port}/`);
  await new LobbyPage(wendyPage).joinServedRoom('Wendy');
  const wendy = new RoomPage(wendyPage);
  await wendy.waitConnected();
  const other = await desktop({ name: 'Arlo' });
  await new LobbyPage(other.page).joinByAddress(`127.0.0.1:${port}`);
  const arlo = new RoomPage(other.page);
  await arlo.waitConnected();
  await expect.poll(() => hostRoom.memberNames()).toEqual(['Arlo', 'Hana', 'Wendy']);

  // Turning it on asks first: it says who will be disconnected; Cancel keeps everyone.
  await toggle.click();
  const ask = host.page.getByRole('dialog', { name: 'Encrypted connections only?' });
  await expect(ask).toContainText('1 person joined without encryption (in a browser) and will be disconnected.');
  await shot(host.page, '98-encrypted-only-switch-ask-1280');
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(ask).toHaveCount(0);
  await expect(toggle).not.toBeChecked();
  await wendy.waitConnected();
  await toggle.click();
  await ask.getByRole('button', { name: 'Disconnect and turn on' }).click();
  await expect(toggle).toBeChecked();

  // The browser is told why, and stays out (a refusal is not retried); the app stays in.
  const problem = wendyPage.getByRole('alertdialog', { name: closedTitle('encryption_required') });
  await expect(problem).toBeVisible();
  await expect(problem).toContainText(ENCRYPTION_REQUIRED.replaceAll('`', ''));
  await wendyPage.waitForTimeout(1500);
  await expect(problem).toBeVisible();
  await expect(wendy.connection).not.toHaveText('Connected');
  await expect.poll(() => hostRoom.memberNames()).toEqual(['Arlo', 'Hana']);
  await hostRoom.say('Only the apps now');
  await arlo.expectMessage('Only the apps now');
  // The panel, /health and the dashboard's activity follow the switch.
  await expect(hostRoom.hostingPanel.getByText(BROWSERS_REFUSED)).toBeVisible();
  await expect(hostRoom.hostingPanel.getByRole('img', { name: /^QR code/ })).toHaveCount(0);
  const health = async () => ((await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { encryptedOnly?: boolean }).encryptedOnly;
  expect(await health()).toBe(true);
  await shot(host.page, '98-encrypted-only-switch-on-1280');
  await host.page.setViewportSize({ width: 390, height: 844 });
  await host.page.getByRole('button', { name: 'Members', exact: true }).click();
  await toggle.scrollIntoViewIfNeeded();
  await expect(toggle).toBeInViewport();
  await shot(host.page, '98-encrypted-only-switch-on-390');
  await expectFitsPhone(host.page);
  await host.page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  await host.page.setViewportSize({ width: 1280, height: 800 });
  await hostRoom.openDashboard();
  const dashboard = new DashboardPage(await host.nextWindow());
  await expect(dashboard.log).toContainText('Encrypted connections only: on. 1 person without encryption was disconnected: Wendy');

  // Off again: no question, browsers are invited and join.
  await toggle.click();
  await expect(toggle).not.toBeChecked();
  await expect(hostRoom.hostingPanel.getByText(/any browser/)).toBeVisible();
  expect(await health()).toBeUndefined();
  const againPage = await browserClient(`http://127.0.0.1:${port}/`);
  await new LobbyPage(againPage).joinServedRoom('Wendy');
  await new RoomPage(againPage).waitConnected();
  await expect.poll(() => hostRoom.memberNames()).toEqual(['Arlo', 'Hana', 'Wendy']);
  await expect(dashboard.log).toContainText('Encrypted connections only: off. Browsers on the link can join again');
});
