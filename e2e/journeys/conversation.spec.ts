// The conversation and the members panel in the first five minutes (issue 13): a message
// that mentions you stands out (to the eye and to a screen reader), every time tells its
// full date on hover, runs of joins and leaves fold into one line that opens, a host
// restart is marked in the conversation without fresh "joined" lines for people who never
// left, a reload keeps the draft, the offline placeholder fits a phone on one line, a
// 32-character name stays inside the sidebar, and the members list never shows people you
// can no longer see: dimmed "as of" while reconnecting, gone after a kick.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { Proc, freePort, spawnHost } from '../../test/support/cli.ts';
import { tempDir } from '../../test/support/host.ts';
import { expect, test } from '../fixtures.ts';
import { LobbyPage } from '../pages/lobby.ts';
import { RoomPage } from '../pages/room.ts';

/** The page's globals these checks read: e2e compiles without the DOM library. */
interface Styled {
  backgroundColor: string;
  borderLeftColor: string;
  borderLeftWidth: string;
  boxShadow: string;
  fontWeight: string;
  fontSize: string;
  fontFamily: string;
  paddingLeft: string;
  paddingRight: string;
  lineHeight: string;
  whiteSpace: string;
}
interface PageGlobals {
  getComputedStyle(el: unknown, pseudo?: string): Styled;
  document: { createElement(tag: 'canvas'): { getContext(kind: '2d'): { font: string; measureText(text: string): { width: number } } } };
}
interface TextArea {
  placeholder: string;
  clientWidth: number;
  getBoundingClientRect(): { height: number };
}

/** A `hearth host` child process on a fixed port and data folder, so it can be killed and started again. */
async function restartableHost(room: string) {
  const data = tempDir();
  const port = await freePort();
  const start = () => spawnHost(['--room', room, '--port', String(port), '--data', data.path]);
  let started = await start();
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    adminToken: started.adminToken,
    async kill() {
      started.proc.kill('SIGKILL');
      await started.proc.exit;
    },
    async restart() {
      started = await start();
      this.adminToken = started.adminToken;
    },
    async stop() {
      started.proc.kill('SIGKILL');
      await started.proc.exit;
      data.remove();
    },
  };
}

/** After a reload: the web client may ask to join again, or go straight back in. */
async function rejoinAfterReload(room: RoomPage): Promise<void> {
  const join = room.page.getByRole('button', { name: /^Join/ });
  await expect(room.message.or(join).first()).toBeVisible();
  if (await join.isVisible()) await join.click();
  await room.waitConnected();
}

async function enter(browserClient: (url: string) => Promise<Page>, url: string, name: string): Promise<RoomPage> {
  const page = await browserClient(url);
  // Join waits for the room's answer to /health: slow when the machine is busy.
  await expect(page.getByRole('heading', { name: /^Join “/ })).toBeVisible({ timeout: 20_000 });
  await new LobbyPage(page).joinServedRoom(name);
  const room = new RoomPage(page);
  await room.waitConnected();
  return room;
}

/** How many times the conversation (as rendered) says someone joined. */
async function joinedMentions(room: RoomPage): Promise<number> {
  const text = await room.messages.innerText();
  return text.match(/\bjoined\b/g)?.length ?? 0;
}

test('a message that mentions you stands out, and every time tells its full date', async ({ browserClient, shot }) => {
  const host = await restartableHost('Studio');
  try {
    const ann = await enter(browserClient, host.url, 'Ann');
    const ben = await enter(browserClient, host.url, 'Ben');
    await ben.say('@Ann can you look at the draft?');
    await ben.say('tea is ready for everyone');
    await ann.expectMessage('tea is ready for everyone');

    const mention = ann.messages.locator('article', { hasText: 'can you look at the draft' });
    const plain = ann.messages.locator('article', { hasText: 'tea is ready' });
    // A screen reader hears it; the eye sees a different bubble.
    await expect(mention).toContainText('Mentions you');
    await expect(plain).not.toContainText('Mentions you');
    const look = (article: typeof mention) =>
      article.locator('.bubble').evaluate((el) => {
        const s = (globalThis as unknown as PageGlobals).getComputedStyle(el);
        return `${s.backgroundColor} ${s.borderLeftColor} ${s.borderLeftWidth} ${s.boxShadow}`;
      });
    expect(await look(mention)).not.toEqual(await look(plain));
    // Your own message naming you is not a mention.
    await expect(ben.messages.locator('article', { hasText: 'can you look at the draft' })).not.toContainText('Mentions you');

    // Every time carries the full date and time in its tooltip.
    const times = ann.messages.locator('time');
    expect(await times.count()).toBeGreaterThan(0);
    const now = new Date();
    const year = String(now.getFullYear());
    const weekday = now.toLocaleDateString('en-US', { weekday: 'long' });
    for (const time of await times.all()) {
      const title = await time.getAttribute('title');
      const shown = (await time.innerText()).trim();
      expect(title, 'a date on hover').toContain(year);
      expect(title).toContain(weekday);
      expect(title, 'the same time as shown').toContain(shown);
    }
    await shot(ann.page, '80-mention-1000');
  } finally {
    await host.stop();
  }
});

test('a run of joins and leaves folds into one line that opens from the keyboard', async ({ browserClient, shot }) => {
  // Five or six people join one by one, each in their own browser: slow on a busy machine.
  test.setTimeout(180_000);
  const host = await restartableHost('Studio');
  try {
    const watcher = await enter(browserClient, host.url, 'Wren');
    const people: RoomPage[] = [];
    for (const name of ['Ann', 'Ben', 'Cleo', 'Dan']) people.push(await enter(browserClient, host.url, name));
    await expect.poll(() => watcher.memberNames()).toEqual(['Ann', 'Ben', 'Cleo', 'Dan', 'Wren']);
    await people[2]!.page.getByRole('button', { name: 'Leave' }).click();

    const summary = watcher.messages.getByText('Ann, Ben and 2 others joined; Cleo left');
    await expect(summary).toBeVisible();
    await expect(watcher.messages.getByText('Dan joined', { exact: true })).toHaveCount(0);

    const toggle = watcher.messages.getByRole('button', { name: 'Show all 5' });
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await toggle.focus();
    await watcher.page.keyboard.press('Enter');
    const opened = watcher.messages.getByRole('button', { name: 'Show less' });
    await expect(opened).toBeFocused();
    await expect(opened).toHaveAttribute('aria-expanded', 'true');
    for (const line of ['Ann joined', 'Ben joined', 'Cleo joined', 'Dan joined', 'Cleo left']) {
      await expect(watcher.messages.getByText(line, { exact: true })).toBeVisible();
    }
    await shot(watcher.page, '81-run-expanded-1000');
    await watcher.page.keyboard.press('Space');
    await expect(toggle).toBeFocused();
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(watcher.messages.getByText('Dan joined', { exact: true })).toHaveCount(0);
  } finally {
    await host.stop();
  }
});

test('a host restart is marked in the conversation, and people who stayed are not announced again', async ({ browserClient, shot }) => {
  // Five or six people join one by one, each in their own browser: slow on a busy machine.
  test.setTimeout(180_000);
  const host = await restartableHost('Night shift');
  try {
    const ann = await enter(browserClient, host.url, 'Ann');
    const ben = await enter(browserClient, host.url, 'Ben');
    const cleo = await enter(browserClient, host.url, 'Cleo');
    await ann.say('before the restart');
    await cleo.expectMessage('before the restart');
    await expect(ann.messages.getByText('Cleo joined')).toBeVisible();
    const joinedBefore = await joinedMentions(ann);

    await host.kill();
    for (const room of [ann, ben, cleo]) await expect(room.messages.getByText(/^Connection lost at \d{1,2}[:.]\d{2}/)).toBeVisible();
    // The members panel does not pretend to know who is here.
    const annPanel = ann.page.getByRole('region', { name: /People here/ });
    await expect(annPanel).toContainText(/as of \d{1,2}[:.]\d{2}/);
    await shot(ann.page, '82-reconnecting-1000');
    await ben.say('written while the host was away');

    await host.restart();
    for (const room of [ann, ben, cleo]) await expect(room.connection).toHaveText('Connected', { timeout: 20_000 });
    await expect.poll(() => ann.memberNames()).toEqual(['Ann', 'Ben', 'Cleo']);
    await expect(annPanel).not.toContainText(/as of/);
    await ann.expectMessage('written while the host was away');
    await expect(ann.messages.getByText('Reconnected.')).toBeVisible();
    // Give late "joined" lines a moment to show up if they were going to.
    await ann.page.waitForTimeout(1000);
    expect(await joinedMentions(ann), '"joined" lines after the restart').toBe(joinedBefore);

    // The missed message lands after the "connection lost" line.
    const log = await ann.messages.innerText();
    expect(log.indexOf('Connection lost at')).toBeGreaterThan(log.indexOf('before the restart'));
    expect(log.indexOf('written while the host was away')).toBeGreaterThan(log.indexOf('Connection lost at'));

    // Someone genuinely new is still announced.
    await enter(browserClient, host.url, 'Dan');
    await expect(ann.messages.getByText('Dan joined')).toBeVisible();
    await shot(ann.page, '83-after-restart-1000');
  } finally {
    await host.stop();
  }
});

test('a reload keeps the draft, and sending clears it', async ({ browserClient }) => {
  const host = await restartableHost('Studio');
  try {
    const ann = await enter(browserClient, host.url, 'Ann');
    await ann.message.fill('half a thought, not sent yet');
    await ann.page.reload();
    await rejoinAfterReload(ann);
    await expect(ann.message).toHaveValue('half a thought, not sent yet');
    await ann.message.press('Enter');
    await ann.expectMessage('half a thought, not sent yet');
    await ann.page.reload();
    await rejoinAfterReload(ann);
    await expect(ann.message).toHaveValue('');
  } finally {
    await host.stop();
  }
});

/**
 * The composer's placeholder stays on one line: it does not wrap, the box keeps its one-line
 * height, and (`fits`) a short one is whole rather than cut.
 */
async function expectPlaceholderOneLine(room: RoomPage, fits: boolean): Promise<void> {
  const measured = await room.message.evaluate((el) => {
    const page = globalThis as unknown as PageGlobals;
    const area = el as unknown as TextArea;
    const style = page.getComputedStyle(area);
    const placeholderStyle = page.getComputedStyle(area, '::placeholder');
    const canvas = page.document.createElement('canvas').getContext('2d');
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const inner = area.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return {
      placeholder: area.placeholder,
      textWidth: canvas.measureText(area.placeholder).width,
      inner,
      height: area.getBoundingClientRect().height,
      lineHeight: parseFloat(style.lineHeight),
      wraps: placeholderStyle.whiteSpace !== 'nowrap',
    };
  });
  expect(measured.wraps, `"${measured.placeholder}" never wraps`).toBe(false);
  expect(measured.height, 'one line high').toBeLessThan(measured.lineHeight * 2 + 20);
  if (fits) expect(measured.textWidth, `"${measured.placeholder}" fits the box`).toBeLessThanOrEqual(measured.inner);
}

test('on a phone the placeholder is one line, a 32-character name stays inside the panel, and a kick empties the list', async ({ browserClient, shot }) => {
  // As long as a room name may be (64 characters): "Message …" cannot fit a phone.
  const host = await restartableHost('The Kitchen Table Committee for Biscuits, Tea and Other Matters!');
  const LONG_NAME = 'Wolfeschlegelsteinhausenbergerdo';
  expect([...LONG_NAME]).toHaveLength(32);
  let admin: Proc | undefined;
  try {
    const ann = await enter(browserClient, host.url, 'Ann');
    await enter(browserClient, host.url, LONG_NAME);
    await ann.page.setViewportSize({ width: 1280, height: 800 });
    await expect.poll(() => ann.memberNames()).toEqual(['Ann', LONG_NAME]);
    const longEntry = ann.members.locator('.member-name', { hasText: LONG_NAME });
    await expect(longEntry).toHaveAttribute('title', LONG_NAME);
    const sidebar = ann.page.locator('aside.sidebar');
    const nameBox = (await longEntry.boundingBox())!;
    const sideBox = (await sidebar.boundingBox())!;
    expect(nameBox.x + nameBox.width, 'name inside the sidebar').toBeLessThanOrEqual(sideBox.x + sideBox.width - 8);
    await shot(ann.page, '84-long-name-1280');

    await ann.page.setViewportSize({ width: 390, height: 844 });
    await ann.page.getByRole('button', { name: 'Members' }).click();
    const drawer = ann.page.getByRole('dialog', { name: 'Members' });
    const drawerName = drawer.locator('.member-name', { hasText: LONG_NAME });
    expect((await drawerName.boundingBox())!.x + (await drawerName.boundingBox())!.width).toBeLessThanOrEqual((await drawer.boundingBox())!.x + (await drawer.boundingBox())!.width - 8);
    await shot(ann.page, '85-long-name-drawer-390');
    await drawer.getByRole('button', { name: 'Close' }).click();

    await ann.page.setViewportSize({ width: 320, height: 568 });
    await expectPlaceholderOneLine(ann, false);
    await shot(ann.page, '86-placeholder-long-room-320');
    await host.kill();
    await expect(ann.connection).toContainText(/Reconnecting|Host gone/);
    await expectPlaceholderOneLine(ann, true);
    await shot(ann.page, '86-offline-placeholder-320');
    await host.restart();
    await ann.waitConnected();

    // The host's token removes Ann: her list no longer shows anyone, herself included.
    admin = new Proc(['join', `127.0.0.1:${host.port}`, '--name', 'Moderator', '--admin-token', host.adminToken]);
    await admin.waitForLine(/Joined/);
    await ann.page.setViewportSize({ width: 1280, height: 800 });
    await expect.poll(() => ann.memberNames()).toEqual(['Ann', 'Moderator', LONG_NAME]);
    admin.write('/kick Ann enough for today');
    await expect(ann.page.getByText(/You were removed/).first()).toBeVisible();
    await expect(ann.members.getByRole('listitem')).toHaveCount(0);
    await expect(ann.page.getByRole('region', { name: /People here/ })).toContainText('You are not in this room');
    await shot(ann.page, '87-after-kick-1280');
  } finally {
    admin?.kill();
    await admin?.exit;
    await host.stop();
  }
});

test('screenshots of the conversation on a phone and a laptop', async ({ browserClient, shot }) => {
  // Five or six people join one by one, each in their own browser: slow on a busy machine.
  test.setTimeout(180_000);
  const host = await restartableHost('Studio');
  try {
    const ann = await enter(browserClient, host.url, 'Ann');
    for (const name of ['Cleo', 'Dan']) await enter(browserClient, host.url, name);
    const ben = await enter(browserClient, host.url, 'Benedict Cumberbatch-Whitfield');
    await ben.say('Morning! @Ann the figures are in the shared folder');
    await ben.say('and the kettle is on');
    await ann.say('Thanks, looking now');
    await host.kill();
    await expect(ann.messages.getByText(/^Connection lost at/)).toBeVisible();
    await host.restart();
    await expect(ann.messages.getByText('Reconnected.')).toBeVisible({ timeout: 20_000 });
    await expect(ben.connection).toHaveText('Connected', { timeout: 20_000 });
    await ben.say('back again: did the figures make sense?');
    await ann.expectMessage('back again: did the figures make sense?');
    await ann.message.fill('Half-written reply');
    for (const viewport of [
      { width: 390, height: 844 },
      { width: 1280, height: 800 },
    ]) {
      await ann.page.setViewportSize(viewport);
      await ann.expectMessage('Thanks, looking now');
      for (const colorScheme of ['dark', 'light'] as const) {
        await ann.page.emulateMedia({ colorScheme });
        await shot(ann.page, `88-conversation-${viewport.width}-${colorScheme}`);
      }
    }
    // The mention, the folded run (closed and open) and the connection lines, checked by axe in both schemes.
    const findings: string[] = [];
    for (const open of [false, true]) {
      if (open) await ann.messages.getByRole('button', { name: 'Show all 3' }).click();
      for (const colorScheme of ['dark', 'light'] as const) {
        await ann.page.emulateMedia({ colorScheme });
        const { violations } = await new AxeBuilder({ page: ann.page }).analyze();
        for (const v of violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
          findings.push(`${colorScheme}${open ? ', run open' : ''}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        }
      }
    }
    expect(findings).toEqual([]);
  } finally {
    await host.stop();
  }
});
