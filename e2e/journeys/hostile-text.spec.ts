// Journey 4: names and messages full of HTML and script show as plain text; nothing runs.
import { expect, test } from '../fixtures.ts';
import { LobbyPage } from '../pages/lobby.ts';
import { RoomPage } from '../pages/room.ts';

const PAYLOADS = [
  '<script>window.__pwned = "script"</script>',
  '<img src=x onerror="window.__pwned = \'img\'">',
  '<a href="javascript:window.__pwned=1">click me</a>',
  '"><svg onload=window.__pwned=2>',
  'javascript:window.__pwned=3',
  '[link](javascript:window.__pwned=4) {{constructor.constructor("window.__pwned=5")()}}',
  '‮gnp.exe bidi override',
];

test('HTML and script in names and messages stay text and never run', { tag: '@desktop' }, async ({ desktop, browserClient }) => {
  const host = await desktop({ name: 'Host' });
  await new LobbyPage(host.page).hostRoom('<b>Bold</b> room');
  const hostRoom = new RoomPage(host.page);
  await hostRoom.waitConnected();
  const port = new URL((await host.page.locator('.join-link').innerText()).trim()).port;

  const guestPage = await browserClient(`http://127.0.0.1:${port}/`);
  const dialogs: string[] = [];
  for (const page of [host.page, guestPage]) page.on('dialog', (d) => void d.dismiss().then(() => dialogs.push(d.message())));
  await new LobbyPage(guestPage).joinServedRoom('<img src=x onerror=alert(1)>');
  const guest = new RoomPage(guestPage);
  await guest.waitConnected();

  for (const text of PAYLOADS) await guest.say(text);
  for (const text of PAYLOADS) await hostRoom.expectMessage(text);

  await expect(hostRoom.members.getByText('<img src=x onerror=alert(1)>')).toBeVisible();
  await expect(host.page.getByRole('heading', { name: '<b>Bold</b> room' })).toBeVisible();
  for (const page of [host.page, guestPage]) {
    expect(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
    // No element came from a message: no images, scripts or svg inside the conversation.
    expect(await page.locator('[role=log] img, [role=log] script, [role=log] svg, [role=log] iframe').count()).toBe(0);
    // Only http(s) text became links.
    const hrefs = await page.locator('[role=log] a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs.every((h) => h === null || /^https?:/.test(h))).toBe(true);
  }
  expect(dialogs).toEqual([]);
});
