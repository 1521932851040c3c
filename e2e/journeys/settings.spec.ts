// Settings (issue 13, "first five minutes"): the theme (System, Light, Dark) applies at once,
// survives a reload and reaches the dashboard; notification permission is asked only when the
// person turns notifications on, never on joining; a mention or a private message while the
// window is elsewhere notifies and chimes, unless the room is muted; the dialog fits a phone
// and a laptop and axe-core finds nothing serious in light or dark.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures.ts';
import { LobbyPage } from '../pages/lobby.ts';
import { RoomPage } from '../pages/room.ts';

// styles.css's --bg in each theme, as getComputedStyle reports it.
const LIGHT_BG = 'rgb(247, 243, 241)';
const DARK_BG = 'rgb(23, 20, 27)';

/** What the stand-ins below record, in the page. */
interface AlertLog {
  asked: number;
  shown: Array<{ title: string; body: string }>;
  tones: number;
  focused: boolean;
}
interface PageGlobals {
  __alerts: AlertLog;
  innerWidth: number;
  document: { documentElement: { scrollWidth: number } };
  getComputedStyle(el: unknown): { backgroundColor: string };
}

/**
 * Record the browser's notification and audio calls, and let the test say whether the window
 * has focus. The permission a person gave is kept (in sessionStorage) across reloads, as a
 * browser keeps it; `answer` is what the person answers when asked.
 */
async function recordAlerts(page: Page, answer: 'granted' | 'denied'): Promise<void> {
  await page.addInitScript((answer) => {
    const w = globalThis as unknown as Record<string, unknown> & {
      sessionStorage: { getItem(k: string): string | null; setItem(k: string, v: string): void };
      Document: { prototype: { hasFocus(): boolean } };
      AudioContext?: { prototype: { createOscillator(): unknown } };
    };
    const log = { asked: 0, shown: [] as Array<{ title: string; body: string }>, tones: 0, focused: true };
    w['__alerts'] = log;
    const permission = () => w.sessionStorage.getItem('test.permission') ?? 'default';
    w['Notification'] = class {
      static get permission() {
        return permission();
      }
      static async requestPermission() {
        log.asked++;
        w.sessionStorage.setItem('test.permission', answer);
        return answer;
      }
      onclick: unknown = null;
      constructor(title: string, options?: { body?: string }) {
        log.shown.push({ title, body: options?.body ?? '' });
      }
    };
    w.Document.prototype.hasFocus = () => log.focused;
    const audio = w.AudioContext?.prototype;
    if (audio) {
      const create = audio.createOscillator;
      audio.createOscillator = function (this: unknown) {
        log.tones++;
        return create.call(this);
      };
    }
  }, answer);
  await page.reload();
}

// (Page functions are sent as source: each names the page's globals itself.)
const alerts = (page: Page) => page.evaluate(() => (globalThis as unknown as PageGlobals).__alerts);
const setFocused = (page: Page, focused: boolean) => page.evaluate((f) => void ((globalThis as unknown as PageGlobals).__alerts.focused = f), focused);
const pageBackground = (page: Page) =>
  page.evaluate(() => {
    const w = globalThis as unknown as PageGlobals;
    return w.getComputedStyle(w.document.documentElement).backgroundColor;
  });

async function openSettings(page: Page) {
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toBeVisible();
  return dialog;
}

async function seriousFindings(page: Page, what: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${what}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('the theme applies at once, survives a reload and reaches the dashboard; the dialog fits and passes axe', { tag: '@desktop' }, async ({ desktop, shot }) => {
  test.setTimeout(120_000);
  const app = await desktop({ name: 'Hana' });
  const page = app.page;
  await page.emulateMedia({ colorScheme: 'light' });
  await expect.poll(() => pageBackground(page)).toBe(LIGHT_BG);
  for (const viewport of [
    { width: 320, height: 568 },
    { width: 390, height: 844 },
    { width: 1280, height: 800 },
  ]) {
    await page.setViewportSize(viewport);
    const gear = (await page.getByRole('button', { name: 'Settings' }).boundingBox())!;
    expect(gear.x + gear.width, 'Settings inside the window').toBeLessThanOrEqual(viewport.width);
    await shot(page, `69-lobby-settings-button-${viewport.width}`);
  }

  let dialog = await openSettings(page);
  const theme = dialog.getByRole('group', { name: 'Theme' });
  await expect(theme.getByRole('radio', { name: 'System' })).toBeChecked();
  await expect(dialog.getByRole('switch', { name: 'Notifications' })).not.toBeChecked();
  await expect(dialog.getByRole('switch', { name: 'Sound' })).toBeChecked();

  // An explicit choice beats the system's, at once.
  await theme.getByRole('radio', { name: 'Dark' }).check();
  await expect.poll(() => pageBackground(page)).toBe(DARK_BG);
  const findings: string[] = [];
  for (const viewport of [
    { width: 390, height: 844 },
    { width: 1280, height: 800 },
  ]) {
    await page.setViewportSize(viewport);
    for (const [name, bg] of [
      ['Light', LIGHT_BG],
      ['Dark', DARK_BG],
    ] as const) {
      await theme.getByRole('radio', { name }).check();
      await expect.poll(() => pageBackground(page)).toBe(bg);
      const box = (await dialog.boundingBox())!;
      expect(box.x, 'dialog left').toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, 'dialog right').toBeLessThanOrEqual(viewport.width);
      await shot(page, `70-settings-${name.toLowerCase()}-${viewport.width}`);
      if (viewport.width === 1280) findings.push(...(await seriousFindings(page, `settings dialog (${name})`)));
    }
  }
  expect(findings).toEqual([]);

  // Kept: after a reload the light theme shows although the system now prefers dark.
  await theme.getByRole('radio', { name: 'Light' }).check();
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Settings' })).toBeFocused();
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.reload();
  await expect(new LobbyPage(page).name).toHaveValue('Hana');
  expect(await pageBackground(page)).toBe(LIGHT_BG);

  // System follows the system again, live.
  dialog = await openSettings(page);
  await dialog.getByRole('radio', { name: 'System' }).check();
  await expect.poll(() => pageBackground(page)).toBe(DARK_BG);
  await page.emulateMedia({ colorScheme: 'light' });
  await expect.poll(() => pageBackground(page)).toBe(LIGHT_BG);

  // The dashboard window starts in the chosen theme and follows a change made in the app.
  await dialog.getByRole('radio', { name: 'Dark' }).check();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await new LobbyPage(page).hostRoom('Kitchen');
  await new RoomPage(page).waitConnected();
  await page.getByRole('button', { name: 'Open dashboard' }).click();
  const dash = await app.nextWindow();
  await dash.emulateMedia({ colorScheme: 'light' });
  await expect(dash.getByRole('table', { name: 'People' })).toBeVisible();
  await expect.poll(() => pageBackground(dash)).toBe(DARK_BG);
  dialog = await openSettings(page);
  await dialog.getByRole('radio', { name: 'Light' }).check();
  await expect.poll(() => pageBackground(dash)).toBe(LIGHT_BG);
  await page.keyboard.press('Escape');
  await shot(page, '71-room-header-1280');

  // On the smallest phone the header keeps its width: Mute and Settings wait in the Members drawer.
  await page.setViewportSize({ width: 320, height: 568 });
  const width = () =>
    page.evaluate(() => {
      const w = globalThis as unknown as PageGlobals;
      return { page: w.document.documentElement.scrollWidth, window: w.innerWidth };
    });
  expect((await width()).page).toBeLessThanOrEqual((await width()).window);
  await page.getByRole('button', { name: 'Members', exact: true }).click();
  const drawer = page.getByRole('dialog', { name: /^Members/ });
  for (const name of ['Mute room', 'Settings']) {
    const box = (await drawer.getByRole('button', { name }).boundingBox())!;
    expect(box.x + box.width, `${name} right edge`).toBeLessThanOrEqual(320);
  }
  await shot(page, '73-members-drawer-320');
  await drawer.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await expect(settings).toBeVisible();
  expect((await width()).page).toBeLessThanOrEqual(320);
  await shot(page, '74-settings-in-room-320');
  // Drawn above the drawer, not under it (the drawer is inert meanwhile, so a tap would reach
  // the dialog either way: compare their stacking, both being fixed layers of the page).
  const layer = (selector: string) =>
    page.evaluate((sel) => {
      const w = globalThis as unknown as { document: { querySelector(s: string): unknown }; getComputedStyle(el: unknown): { zIndex: string } };
      return Number(w.getComputedStyle(w.document.querySelector(sel)).zIndex);
    }, selector);
  expect(await layer('.scrim:has(.settings-dialog)')).toBeGreaterThan(await layer('.sidebar.drawer'));
  await settings.getByRole('button', { name: 'Done' }).click();
  await expect(settings).toHaveCount(0);
  await expect(drawer.getByRole('button', { name: 'Settings' })).toBeFocused();
});

/** After a reload the web client is back in its lobby (or, if it resumes by itself, in the room). */
async function rejoin(page: Page): Promise<void> {
  const room = new RoomPage(page);
  const join = page.getByRole('button', { name: 'Join', exact: true });
  await expect(join.or(room.connection)).toBeVisible();
  if (await join.isVisible()) await new LobbyPage(page).joinServedRoom();
  await room.waitConnected();
}

test('notifications are asked for only when turned on; mentions and private messages alert unless the room is muted', { tag: '@desktop' }, async ({ desktop, browserClient, shot }) => {
  test.setTimeout(120_000);
  const app = await desktop({ name: 'Hana' });
  await recordAlerts(app.page, 'granted');
  await new LobbyPage(app.page).hostRoom('Kitchen');
  const hana = new RoomPage(app.page);
  await hana.waitConnected();
  const port = new URL((await app.page.locator('.join-link').innerText()).trim()).port;

  const phone = await browserClient(`http://127.0.0.1:${port}/`);
  await recordAlerts(phone, 'granted');
  await new LobbyPage(phone).joinServedRoom('Wendy');
  const wendy = new RoomPage(phone);
  await wendy.waitConnected();
  await expect.poll(() => hana.memberNames()).toEqual(['Hana', 'Wendy']);
  // Joining asks nobody for anything.
  expect((await alerts(app.page)).asked, 'asked the host on joining').toBe(0);
  expect((await alerts(phone)).asked, 'asked the guest on joining').toBe(0);

  // Notifications are off until turned on; the chime is on.
  await setFocused(phone, false);
  await hana.say('@Wendy tea?');
  await wendy.expectMessage('@Wendy tea?');
  await expect.poll(async () => (await alerts(phone)).tones).toBeGreaterThan(0);
  expect((await alerts(phone)).shown).toEqual([]);

  // Turning them on asks, once, and the answer is used at once.
  await setFocused(phone, true);
  const dialog = await openSettings(phone);
  await dialog.getByRole('switch', { name: 'Notifications' }).click();
  await expect(dialog.getByRole('switch', { name: 'Notifications' })).toBeChecked();
  expect((await alerts(phone)).asked).toBe(1);
  await dialog.getByRole('button', { name: 'Done' }).click();

  await setFocused(phone, false);
  const tonesBefore = (await alerts(phone)).tones;
  await hana.say('Wendy, biscuits?');
  await hana.say('/msg Wendy psst, the blue tin');
  await hana.say('an ordinary message for everyone');
  await wendy.expectMessage('an ordinary message for everyone');
  await expect.poll(async () => (await alerts(phone)).shown).toEqual([
    { title: 'Hana', body: 'Wendy, biscuits?' },
    { title: 'Hana (private)', body: 'psst, the blue tin' },
  ]);
  expect((await alerts(phone)).tones).toBeGreaterThan(tonesBefore);

  // Nothing while looking at the room.
  await setFocused(phone, true);
  await hana.say('@Wendy are you there?');
  await wendy.expectMessage('@Wendy are you there?');
  expect((await alerts(phone)).shown).toHaveLength(2);

  // A muted room makes no notification and no sound, and stays muted after a reload.
  await phone.getByRole('button', { name: 'Mute room' }).click();
  await expect(phone.getByRole('button', { name: 'Mute room' })).toHaveAttribute('aria-pressed', 'true');
  await phone.reload();
  await rejoin(phone);
  const unmute = phone.getByRole('button', { name: 'Mute room' });
  await expect(unmute).toHaveAttribute('aria-pressed', 'true');
  await setFocused(phone, false);
  await hana.say('@Wendy muted?');
  await hana.say('/msg Wendy still muted?');
  await wendy.expectMessage('still muted?');
  const muted = await alerts(phone);
  expect(muted.shown).toEqual([]);
  expect(muted.tones).toBe(0);
  await shot(phone, '72-muted-room');

  // Unmuted, the next mention notifies again (the permission was kept across the reload).
  await unmute.click();
  await expect(phone.getByRole('button', { name: 'Mute room' })).toHaveAttribute('aria-pressed', 'false');
  await hana.say('@Wendy back again');
  await expect.poll(async () => (await alerts(phone)).shown).toEqual([{ title: 'Hana', body: '@Wendy back again' }]);

  // The app's window alerts its person too (settings kept by the desktop services).
  const hanaDialog = await openSettings(app.page);
  await hanaDialog.getByRole('switch', { name: 'Notifications' }).click();
  await expect(hanaDialog.getByRole('switch', { name: 'Notifications' })).toBeChecked();
  await app.page.keyboard.press('Escape');
  await setFocused(app.page, false);
  await wendy.say('/msg Hana thank you!');
  await expect.poll(async () => (await alerts(app.page)).shown).toEqual([{ title: 'Wendy (private)', body: 'thank you!' }]);
});

test('a person who refuses notifications is told how to allow them', async ({ desktop, browserClient, shot }) => {
  const app = await desktop({ name: 'Hana' });
  await new LobbyPage(app.page).hostRoom('Kitchen');
  await new RoomPage(app.page).waitConnected();
  const port = new URL((await app.page.locator('.join-link').innerText()).trim()).port;
  const guest = await browserClient(`http://127.0.0.1:${port}/`);
  await recordAlerts(guest, 'denied');
  await shot(guest, '75-web-lobby-settings-button');
  const dialog = await openSettings(guest);
  const notifications = dialog.getByRole('switch', { name: 'Notifications' });
  await notifications.click();
  await expect(dialog.getByRole('status')).toContainText('Notifications are blocked for Hearth. To allow them');
  await expect(notifications).not.toBeChecked();
  await expect(notifications).toHaveAccessibleDescription(/Notifications are blocked/);
  expect((await alerts(guest)).asked).toBe(1);
  await shot(guest, '76-notifications-blocked');
});
