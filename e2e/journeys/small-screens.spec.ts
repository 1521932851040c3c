// Every screen at phone and narrow-window sizes (issue 13): the page is never wider than the
// viewport; Send, Leave and the members list (visible, or one tap away behind "Members") are
// on screen; a host keeps the link, the QR code and Stop hosting; long names and topics
// truncate with the full text in a tooltip. The dashboard at its default size and at 760 px
// keeps Kick/Ban inside their panel and the chart as wide as its panel. Small coloured text
// (the "Private to you" tag, "joined" lines) meets AA contrast in light and dark.
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures.ts';
import { DashboardPage } from '../pages/dashboard.ts';
import { LobbyPage } from '../pages/lobby.ts';
import { RoomPage } from '../pages/room.ts';

const VIEWPORTS = [
  { width: 320, height: 568 },
  { width: 390, height: 844 },
  { width: 768, height: 1024 },
  { width: 1280, height: 800 },
] as const;
// As long as a room name may be (64 characters).
const LONG_ROOM = 'The Kitchen Table Committee for Biscuits, Tea and Other Matters!';
const LONG_TOPIC = 'Agenda for the whole week, see https://example.org/agenda/this-week for every detail, bring biscuits and a mug';

/** The page's globals these checks read: e2e compiles without the DOM library. */
interface Canvas2d {
  fillStyle: string;
  clearRect(x: number, y: number, w: number, h: number): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  getImageData(x: number, y: number, w: number, h: number): { data: Iterable<number> };
}
interface PageGlobals {
  innerWidth: number;
  document: { documentElement: { scrollWidth: number }; createElement(tag: 'canvas'): { getContext(kind: '2d'): Canvas2d } };
  getComputedStyle(el: unknown): { color: string; backgroundColor: string; textOverflow: string };
}

async function expectFitsWidth(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => {
    const w = globalThis as unknown as PageGlobals;
    return { scrollWidth: w.document.documentElement.scrollWidth, innerWidth: w.innerWidth };
  });
  expect(scrollWidth, 'page width').toBeLessThanOrEqual(innerWidth);
}

async function expectInViewport(page: Page, locator: Locator, what: string): Promise<void> {
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  const viewport = page.viewportSize()!;
  expect(box, `${what} is rendered`).not.toBeNull();
  expect(box!.x, `${what} left edge`).toBeGreaterThanOrEqual(0);
  expect(box!.y, `${what} top edge`).toBeGreaterThanOrEqual(0);
  // Under a pixel of slack: the page scrolls by whole pixels, so an element laid out at a
  // fractional position and scrolled into view may overhang the edge by a fraction.
  expect(box!.x + box!.width, `${what} right edge`).toBeLessThanOrEqual(viewport.width + 0.5);
  expect(box!.y + box!.height, `${what} bottom edge`).toBeLessThan(viewport.height + 1);
}

async function expectInside(inner: Locator, outer: Locator, what: string): Promise<void> {
  const a = (await inner.boundingBox())!;
  const b = (await outer.boundingBox())!;
  expect(a.x, `${what} left`).toBeGreaterThanOrEqual(b.x);
  expect(a.x + a.width, `${what} right`).toBeLessThanOrEqual(b.x + b.width + 0.5);
}

/** The members list, on screen or one tap away; for the host, the hosting panel too. */
async function checkMembers(page: Page, host: boolean): Promise<void> {
  const room = new RoomPage(page);
  const button = page.getByRole('button', { name: 'Members', exact: true });
  const opened = !(await room.members.isVisible());
  if (opened) {
    await expectInViewport(page, button, 'Members button');
    await button.click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await expect(page.getByRole('dialog').getByRole('button', { name: 'Close' })).toBeFocused();
  }
  await expectInViewport(page, room.members, 'members list');
  if (host) {
    const panel = page.getByRole('region', { name: 'You are hosting' });
    const link = panel.locator('.join-link');
    await expectInViewport(page, link, 'join link');
    // The whole link shows, port included: wrapped, never cut.
    expect(await link.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await expectInViewport(page, panel.getByRole('img', { name: /^QR code for / }), 'QR code');
    await expectInViewport(page, panel.getByRole('button', { name: 'Stop hosting' }), 'Stop hosting');
  }
  await expectFitsWidth(page);
  return opened ? closeDrawer(page, button) : undefined;
}

async function closeDrawer(page: Page, button: Locator): Promise<void> {
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(button).toBeFocused();
}

function luminance(rgb: number[]): number {
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The text colour against the first opaque background behind it, as WCAG computes it. */
async function contrast(locator: Locator): Promise<number> {
  const [fg, bg] = await locator.evaluate((el) => {
    const w = globalThis as unknown as PageGlobals;
    // Resolve any CSS colour to sRGB bytes through a canvas.
    const ctx = w.document.createElement('canvas').getContext('2d');
    const rgba = (color: string) => {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = color;
      ctx.fillRect(0, 0, 1, 1);
      return [...ctx.getImageData(0, 0, 1, 1).data];
    };
    let node: typeof el.parentElement = el;
    let back = [255, 255, 255, 255];
    while (node) {
      const c = rgba(w.getComputedStyle(node).backgroundColor);
      if (c[3] === 255) {
        back = c;
        break;
      }
      node = node.parentElement;
    }
    return [rgba(w.getComputedStyle(el).color), back];
  });
  const [a, b] = [luminance(fg.slice(0, 3)), luminance(bg.slice(0, 3))];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

test('every screen fits a phone and a narrow window; small text is legible', { tag: '@desktop' }, async ({ desktop, browserClient, shot }) => {
  test.setTimeout(180_000);
  const host = await desktop({ name: 'Hana' });
  const hostLobby = new LobbyPage(host.page);
  for (const viewport of VIEWPORTS) {
    await host.page.setViewportSize(viewport);
    await expectFitsWidth(host.page);
    await expectInViewport(host.page, host.page.getByRole('button', { name: 'Host a room' }), 'Host a room');
    await shot(host.page, `60-lobby-${viewport.width}`);
  }
  await host.page.setViewportSize({ width: 1280, height: 800 });
  await hostLobby.hostRoom(LONG_ROOM);
  const hana = new RoomPage(host.page);
  await hana.waitConnected();
  const link = (await host.page.locator('.join-link').innerText()).trim();
  const port = new URL(link).port;
  // The host's header shows the link others use, not the loopback address this window uses.
  await expect(host.page.locator('.room-title .address')).toHaveText(link.replace(/^http:\/\//, '').replace(/\/$/, ''));

  // Someone on a phone, and someone about to join (lobby and password dialog).
  const phone = await browserClient(`http://127.0.0.1:${port}/`);
  await new LobbyPage(phone).joinServedRoom('Wendy');
  const wendy = new RoomPage(phone);
  await wendy.waitConnected();
  await wendy.say('Hello from a small screen, with a long word: Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen');
  await wendy.say('/msg Hana psst, the biscuits are in the blue tin');
  await hana.say('Welcome! The kettle is on, and this reply is long enough to wrap on a phone screen.');
  await hana.expectMessage('psst, the biscuits are in the blue tin');
  await expect(host.page.getByText('Wendy joined')).toBeVisible();

  // A long topic with a link, set from the dashboard.
  await hana.openDashboard();
  const dashboard = new DashboardPage(await host.nextWindow());
  const dash = dashboard.page;
  await dashboard.setTopic(LONG_TOPIC);
  for (const page of [host.page, phone]) {
    const title = page.locator('.room-title');
    await expect(title.locator('.topic')).toHaveAttribute('title', `Topic: ${LONG_TOPIC}`);
    await expect(title.getByRole('link', { name: 'https://example.org/agenda/this-week' })).toHaveAttribute('rel', 'noopener noreferrer');
    // The name keeps most of the header and says what it is in full in its tooltip.
    await expect(title.getByRole('heading')).toHaveAttribute('title', LONG_ROOM);
    const nameWidth = await title.getByRole('heading').evaluate((el) => el.getBoundingClientRect().width / el.parentElement!.getBoundingClientRect().width);
    expect(nameWidth).toBeGreaterThan(0.5);
  }

  for (const viewport of VIEWPORTS) {
    for (const [who, page, isHost] of [
      ['host', host.page, true],
      ['phone', phone, false],
    ] as const) {
      await page.setViewportSize(viewport);
      const room = new RoomPage(page);
      await expectFitsWidth(page);
      await expectInViewport(page, room.send, 'Send');
      await expectInViewport(page, page.getByRole('button', { name: 'Leave' }), 'Leave');
      await expectInViewport(page, room.connection, 'connection');
      await expect(room.connection).toHaveText('Connected');
      // The phone's browser came over plain http (ws://): its notice is there and still leaves the
      // composer in view. The host's app joins over TLS (wss://): none.
      if (isHost) await expect(room.plainNotice).toHaveCount(0);
      else await expectInViewport(page, room.plainNotice, 'encryption notice');
      const name = page.locator('.room-title h1');
      // Cut with an ellipsis when it does not fit (the tooltip has it in full).
      expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth || (globalThis as unknown as PageGlobals).getComputedStyle(el).textOverflow === 'ellipsis'), 'long name ellipsised').toBe(true);
      await shot(page, `61-room-${who}-${viewport.width}`);
      await checkMembers(page, isHost);
      if (viewport.width < 760) {
        await page.getByRole('button', { name: 'Members', exact: true }).click();
        await shot(page, `62-members-${who}-${viewport.width}`);
        await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
        await expect(page.getByRole('dialog')).toHaveCount(0);
      }
    }
  }

  // Contrast of the small coloured text, light and dark (AA: 4.5:1).
  await host.page.setViewportSize({ width: 1280, height: 800 });
  for (const scheme of ['light', 'dark'] as const) {
    await host.page.emulateMedia({ colorScheme: scheme });
    expect(await contrast(hana.messages.getByText('Private to you')), `"Private to you" (${scheme})`).toBeGreaterThanOrEqual(4.5);
    expect(await contrast(host.page.getByText('Wendy joined')), `"joined" line (${scheme})`).toBeGreaterThanOrEqual(4.5);
    expect(await contrast(host.page.locator('.room-title .topic')), `topic (${scheme})`).toBeGreaterThanOrEqual(4.5);
    // Only the browser on plain http shows the encryption notice.
    await phone.emulateMedia({ colorScheme: scheme });
    expect(await contrast(wendy.plainNotice.getByText(/^Not encrypted/)), `encryption notice (${scheme})`).toBeGreaterThanOrEqual(4.5);
  }
  await host.page.emulateMedia({ colorScheme: 'light' });
  await phone.emulateMedia({ colorScheme: 'light' });

  // The dashboard at its default size and in a narrow window.
  for (const viewport of [
    { width: 1180, height: 760 },
    { width: 760, height: 900 },
  ]) {
    await dash.setViewportSize(viewport);
    await expectFitsWidth(dash);
    for (const action of ['Kick', 'Ban'] as const) await expectInside(dashboard.personAction(action, 'Wendy'), dashboard.peoplePanel, `${action} Wendy`);
    const chartPanel = dashboard.chartPanel;
    await expect
      .poll(async () => {
        const [chart, panel] = await Promise.all([chartPanel.locator('canvas').boundingBox(), chartPanel.boundingBox()]);
        // The panel's padding is 16 px each side.
        return Math.abs(panel!.width - 32 - chart!.width);
      })
      .toBeLessThanOrEqual(2);
    await shot(dash, `63-dashboard-${viewport.width}`);
  }

  // Someone joining a locked room: the lobby and the password dialog fit too.
  await dashboard.lock('tea');
  await expect(dashboard.lockedBadge).toBeVisible();
  const newcomer = await browserClient(`http://127.0.0.1:${port}/`);
  await expect(newcomer.getByText('You will need the password.')).toBeVisible();
  await new LobbyPage(newcomer).joinServedRoom('Dee');
  const dialog = newcomer.getByRole('dialog');
  await expect(dialog).toBeVisible();
  for (const viewport of VIEWPORTS) {
    await newcomer.setViewportSize(viewport);
    await expectFitsWidth(newcomer);
    await expectInViewport(newcomer, dialog.getByRole('button', { name: 'Join room' }), 'Join room');
    await expectInViewport(newcomer, dialog.getByRole('button', { name: 'Cancel' }), 'Cancel');
    await shot(newcomer, `64-password-${viewport.width}`);
  }
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  for (const viewport of VIEWPORTS) {
    await newcomer.setViewportSize(viewport);
    await expectFitsWidth(newcomer);
    await expectInViewport(newcomer, newcomer.getByRole('button', { name: 'Join', exact: true }), 'Join');
    await shot(newcomer, `65-web-lobby-${viewport.width}`);
  }

  // A maintained engine's view, light and dark: no serious or critical finding.
  const findings: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    for (const [screen, page] of [
      ['host room', host.page],
      ['phone room', phone],
      ['dashboard', dash],
      ['web lobby', newcomer],
    ] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const { violations } = await new AxeBuilder({ page }).analyze();
      for (const v of violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
        findings.push(`${screen} (${scheme}): ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      }
    }
  }
  expect(findings).toEqual([]);
});
