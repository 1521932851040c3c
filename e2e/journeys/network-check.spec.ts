// "Why can't they see my room?" (issue #14): the host opens the network check from the
// hosting panel; a dialog lists the findings, each with what to do, grouped by what they
// concern; it fits a 320 px phone and axe-core finds nothing serious or critical in it.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures.ts';
import { LobbyPage } from '../pages/lobby.ts';
import { RoomPage } from '../pages/room.ts';

async function seriousFindings(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const { violations } = await new AxeBuilder({ page }).include('[role="dialog"]').analyze();
    for (const v of violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
      found.push(`${scheme}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}

test('the hosting panel explains why people may not see the room', { tag: '@desktop' }, async ({ desktop, shot }) => {
  const host = await desktop({ name: 'Hana' });
  await new LobbyPage(host.page).hostRoom('Kitchen');
  await new RoomPage(host.page).waitConnected();
  const panel = host.page.getByRole('region', { name: 'You are hosting' });
  const open = panel.getByRole('button', { name: "Why can't they see my room?" });
  await open.click();

  const dialog = host.page.getByRole('dialog', { name: "Why can't they see my room?" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('status')).toHaveText(/^(Nothing found that keeps people out\.|Something keeps people out)/, { timeout: 15_000 });
  // The harness hosts with discovery off: the check says so, with what to do, and sent nothing by multicast.
  const machine = dialog.getByRole('region', { name: 'This machine' });
  await expect(machine.getByRole('listitem').filter({ hasText: 'Note: Discovery is off' })).toContainText('Share the link or the QR code instead.');
  await expect(dialog.getByText(/Multicast can be sent here/)).toHaveCount(0);
  // The room answers at this machine's own addresses: the check found it by its host id.
  const port = new URL((await panel.locator('.join-link').innerText()).trim()).port;
  await expect(dialog.getByRole('listitem').filter({ hasText: new RegExp(`^OK: The room answers at http://.+:${port}/\\.$`) }).first()).toBeVisible();
  await shot(host.page, 'network-check-laptop');
  expect(await seriousFindings(host.page)).toEqual([]);

  await dialog.getByRole('button', { name: 'Check again' }).click();
  await expect(dialog.getByRole('status')).toHaveText(/^(Nothing found|Something keeps)/, { timeout: 15_000 });
  await host.page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(open).toBeFocused();

  // A 320 px phone: the panel is in the Members drawer; the dialog fits without sideways scrolling.
  await host.page.setViewportSize({ width: 320, height: 640 });
  await host.page.getByRole('button', { name: 'Members', exact: true }).click();
  await host.page.getByRole('button', { name: "Why can't they see my room?" }).click();
  await expect(dialog.getByRole('status')).toHaveText(/^(Nothing found|Something keeps)/, { timeout: 15_000 });
  const box = await dialog.boundingBox();
  expect(box && box.x >= 0 && box.x + box.width <= 320).toBe(true);
  expect(await dialog.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await shot(host.page, 'network-check-phone');
  await host.page.emulateMedia({ colorScheme: 'dark' });
  await shot(host.page, 'network-check-phone-dark');
  expect(await seriousFindings(host.page)).toEqual([]);
});
