// The first five minutes (issue 13, item 10 and "first contact"): a wrong password keeps
// the dialog (from a typed address, "Joined before" and the web client) and never drops
// you into an empty room; an address error goes once the address is edited; the web
// client's Leave lands on "You left" with Join again; a second tab takes over as the same
// person and the first can take it back; a remembered room can be forgotten; Stop hosting
// asks first; guests see the lock; dialogs and the members drawer are modal, and axe-core
// finds nothing serious on them in light and dark.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { startHost, type HostOptions } from '../../main/host/server.ts';
import { MemoryHistoryStore } from '../../main/host/store/index.ts';
import { expect, test } from '../fixtures.ts';
import { RENDERER_DIR } from '../harness/desktop.ts';
import { LobbyPage } from '../pages/lobby.ts';
import { RoomPage } from '../pages/room.ts';

const PHONE = { width: 320, height: 568 };
const LAPTOP = { width: 1280, height: 800 };

/** A real host on loopback that also serves the built web client. */
function startRoom(name: string, options: Partial<HostOptions> = {}) {
  return startHost({ room: name, store: new MemoryHistoryStore(), port: 0, bind: '127.0.0.1', webRoot: RENDERER_DIR, ...options });
}

function lockedRoom() {
  return startRoom('Staff room', { password: 'tea-at-4' });
}

/** The password was refused: the same dialog, saying so, the field empty and focused for another try. */
async function expectRefusedInPlace(page: Page): Promise<void> {
  const dialog = page.getByRole('dialog', { name: '“Staff room” needs a password' });
  await expect(dialog.getByRole('alert')).toHaveText(/That password is not right/);
  const field = dialog.getByRole('textbox', { name: 'Room password' });
  await expect(field).toBeFocused();
  await expect(field).toHaveValue('');
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
}

async function seriousFindings(page: Page, what: string): Promise<string[]> {
  const findings: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const { violations } = await new AxeBuilder({ page }).analyze();
    for (const v of violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
      findings.push(`${what} (${scheme}): ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
  }
  return findings;
}

test('a wrong password keeps the dialog, by address and from "Joined before"', { tag: '@desktop' }, async ({ desktop, shot }) => {
  const locked = await lockedRoom();
  try {
    const app = await desktop({ name: 'Tom' });
    const lobby = new LobbyPage(app.page);
    const room = new RoomPage(app.page);
    await lobby.joinByAddress(`127.0.0.1:${locked.port}`);
    await lobby.enterPassword('coffee-at-3');
    await expectRefusedInPlace(app.page);
    // The dialog is modal: the page behind it cannot take focus.
    const behind = app.page.getByRole('button', { name: 'Leave' });
    await behind.focus();
    await expect(behind).not.toBeFocused();
    for (const viewport of [PHONE, LAPTOP]) {
      await app.page.setViewportSize(viewport);
      await shot(app.page, `80-wrong-password-${viewport.width}`);
    }
    expect(await seriousFindings(app.page, 'password dialog')).toEqual([]);
    await lobby.enterPassword('tea-at-4');
    await room.waitConnected();
    await expect(app.page.getByRole('dialog')).toHaveCount(0);
    await expect(room.message).toBeFocused();
    await app.page.getByRole('button', { name: 'Leave' }).click();

    // "Joined before" keeps no password: it is asked again, and refused in place again.
    await app.page.getByRole('list', { name: 'Recent rooms' }).getByRole('button', { name: /^Staff room/ }).click();
    await lobby.enterPassword('wrong');
    await expectRefusedInPlace(app.page);
    await lobby.enterPassword('tea-at-4');
    await room.waitConnected();
  } finally {
    await locked.close();
  }
});

test('the web client: a wrong password keeps the dialog', async ({ browserClient }) => {
  const locked = await lockedRoom();
  try {
    const page = await browserClient(`http://127.0.0.1:${locked.port}/`);
    await new LobbyPage(page).joinServedRoom('Wendy');
    await new LobbyPage(page).enterPassword('nope');
    await expectRefusedInPlace(page);
    await new LobbyPage(page).enterPassword('tea-at-4');
    await new RoomPage(page).waitConnected();
  } finally {
    await locked.close();
  }
});

test('an address error goes away once the address is edited', { tag: '@desktop' }, async ({ desktop }) => {
  const app = await desktop({ name: 'Tom' });
  const lobby = new LobbyPage(app.page);
  await lobby.joinByAddress('my laptop');
  await expect(lobby.error()).toHaveText('An address cannot contain spaces.');
  await lobby.address.fill('my-laptop');
  await expect(lobby.error()).toHaveCount(0);
  await expect(lobby.address).not.toHaveAttribute('aria-invalid');

  // The host's answer (nothing there) goes the same way.
  await lobby.joinByAddress('127.0.0.1:1');
  await expect(lobby.error()).toHaveText(/Nothing is answering at 127\.0\.0\.1:1/);
  await lobby.address.fill('127.0.0.1:2');
  await expect(lobby.error()).toHaveCount(0);
});

test('the web client: Leave says you left and offers Join again', async ({ browserClient, shot }) => {
  const host = await startRoom('Kitchen');
  try {
    const page = await browserClient(`http://127.0.0.1:${host.port}/`);
    await new LobbyPage(page).joinServedRoom('Wendy');
    const room = new RoomPage(page);
    await room.waitConnected();
    // A browser has only this room: nothing offers "rooms" it does not have.
    await expect(page.getByRole('button', { name: 'Back to rooms' })).toHaveCount(0);
    await page.getByRole('button', { name: 'Leave' }).click();
    await expect(page.getByRole('alert')).toHaveText('You left “Kitchen”.');
    for (const viewport of [PHONE, LAPTOP]) {
      await page.setViewportSize(viewport);
      await shot(page, `81-web-left-${viewport.width}`);
    }
    await page.getByRole('button', { name: 'Join again' }).click();
    await room.waitConnected();
  } finally {
    await host.close();
  }
});

test('the web client: a second tab is the same person, and the first can take it back', async ({ browserClient }) => {
  const host = await startRoom('Kitchen');
  try {
    const first = await browserClient(`http://127.0.0.1:${host.port}/`);
    await new LobbyPage(first).joinServedRoom('Wendy');
    await new RoomPage(first).waitConnected();

    const second = await first.context().newPage();
    await second.goto(`http://127.0.0.1:${host.port}/`);
    await new LobbyPage(second).joinServedRoom();
    await new RoomPage(second).waitConnected();
    expect(await new RoomPage(second).memberNames()).toEqual(['Wendy']);
    const elsewhere = first.getByRole('alertdialog', { name: 'Hearth is open in another tab' });
    await expect(elsewhere).toBeVisible();

    await elsewhere.getByRole('button', { name: 'Use here' }).click();
    await new RoomPage(first).waitConnected();
    await expect(second.getByRole('alertdialog', { name: 'Hearth is open in another tab' })).toBeVisible();
    // No tug of war: the tab that gave way stays put.
    await first.waitForTimeout(2_000);
    await expect(new RoomPage(first).connection).toHaveText('Connected');
    await expect(second.getByRole('button', { name: 'Use here' })).toBeVisible();
    await expect.poll(() => new RoomPage(first).memberNames()).toEqual(['Wendy']);
  } finally {
    await host.close();
  }
});

test('a remembered room can be forgotten', { tag: '@desktop' }, async ({ desktop, shot }) => {
  const host = await startRoom('Kitchen');
  try {
    const app = await desktop({ name: 'Tom' });
    await new LobbyPage(app.page).joinByAddress(`127.0.0.1:${host.port}`);
    await new RoomPage(app.page).waitConnected();
    await app.page.getByRole('button', { name: 'Leave' }).click();
    const recent = app.page.getByRole('list', { name: 'Recent rooms' });
    await expect(recent.getByRole('button', { name: /^Kitchen/ })).toBeVisible();
    await app.page.setViewportSize(PHONE);
    await recent.scrollIntoViewIfNeeded();
    await shot(app.page, '83-joined-before-320');
    await recent.getByRole('button', { name: 'Forget Kitchen' }).click();
    await expect(app.page.getByRole('list', { name: 'Recent rooms' })).toHaveCount(0);
    await app.page.reload();
    await expect(new LobbyPage(app.page).name).toHaveValue('Tom');
    await expect(app.page.getByRole('list', { name: 'Recent rooms' })).toHaveCount(0);
  } finally {
    await host.close();
  }
});

test('Stop hosting asks first, from the room and from the lobby', { tag: '@desktop' }, async ({ desktop, browserClient, shot }) => {
  const app = await desktop({ name: 'Hana' });
  await new LobbyPage(app.page).hostRoom('Kitchen');
  const room = new RoomPage(app.page);
  await room.waitConnected();
  const link = (await app.page.getByRole('region', { name: 'You are hosting' }).locator('.join-link').innerText()).trim();
  // Loopback, not the LAN address the link names: tests stay on this machine.
  const guest = await browserClient(`http://127.0.0.1:${new URL(link).port}/`);
  await new LobbyPage(guest).joinServedRoom('Wendy');
  await new RoomPage(guest).waitConnected();
  await expect.poll(() => room.memberNames()).toEqual(['Hana', 'Wendy']);

  const stop = app.page.getByRole('region', { name: 'You are hosting' }).getByRole('button', { name: 'Stop hosting' });
  await stop.click();
  const confirm = app.page.getByRole('dialog', { name: 'Stop hosting “Kitchen”?' });
  await expect(confirm).toContainText('1 person will be disconnected');
  await expect(confirm).toContainText('history is kept');
  for (const viewport of [PHONE, LAPTOP]) {
    await app.page.setViewportSize(viewport);
    await shot(app.page, `82-stop-hosting-${viewport.width}`);
  }
  expect(await seriousFindings(app.page, 'stop-hosting confirm')).toEqual([]);
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(new RoomPage(guest).connection).toHaveText('Connected');

  // From the lobby's summary too, and only the confirmed one stops the room.
  await app.page.getByRole('button', { name: 'Leave' }).click();
  await app.page.getByRole('button', { name: 'Stop hosting' }).click();
  const again = app.page.getByRole('dialog', { name: 'Stop hosting “Kitchen”?' });
  await expect(again).toContainText('1 person will be disconnected');
  await app.page.keyboard.press('Escape');
  await expect(again).toHaveCount(0);
  await expect(app.page.getByRole('button', { name: 'Stop hosting' })).toBeFocused();
  await app.page.getByRole('button', { name: 'Stop hosting' }).click();
  await app.page.getByRole('dialog', { name: 'Stop hosting “Kitchen”?' }).getByRole('button', { name: 'Stop hosting' }).click();
  await expect(app.page.getByRole('button', { name: 'Host a room' })).toBeVisible();
  await expect(new RoomPage(guest).connection).not.toHaveText('Connected');
});

test('a guest sees the lock in a password room', { tag: '@desktop' }, async ({ desktop }) => {
  const locked = await lockedRoom();
  try {
    const app = await desktop({ name: 'Tom' });
    await new LobbyPage(app.page).joinByAddress(`127.0.0.1:${locked.port}`);
    await new LobbyPage(app.page).enterPassword('tea-at-4');
    await new RoomPage(app.page).waitConnected();
    await expect(app.page.getByRole('banner').getByRole('img', { name: 'Password protected' })).toBeVisible();
  } finally {
    await locked.close();
  }
});

test('the members drawer is modal: the page behind it is inert, and axe finds nothing serious', { tag: '@desktop' }, async ({ desktop }) => {
  const host = await startRoom('Kitchen');
  try {
    const app = await desktop({ name: 'Tom' });
    await app.page.setViewportSize({ width: 390, height: 844 });
    await new LobbyPage(app.page).joinByAddress(`127.0.0.1:${host.port}`);
    const room = new RoomPage(app.page);
    await room.waitConnected();
    await app.page.getByRole('button', { name: 'Members', exact: true }).click();
    const drawer = app.page.getByRole('dialog', { name: 'Members' });
    await expect(drawer).toBeVisible();
    // Behind the drawer nothing answers: neither Leave nor the composer can take focus, and
    // both are out of the accessibility tree (inert).
    for (const behind of [app.page.getByRole('button', { name: 'Leave' }), room.message]) {
      await behind.focus();
      await expect(behind).not.toBeFocused();
    }
    await expect(app.page.getByRole('banner')).toHaveAttribute('inert');
    await expect(app.page.getByRole('main')).toHaveAttribute('inert');
    expect(await seriousFindings(app.page, 'members drawer')).toEqual([]);
    await drawer.getByRole('button', { name: 'Close' }).click();
    await expect(app.page.getByRole('button', { name: 'Leave' })).toBeVisible();
    await expect(app.page.getByRole('button', { name: 'Members', exact: true })).toBeFocused();
  } finally {
    await host.close();
  }
});
