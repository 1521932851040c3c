// Invite links carry every address of the host (common/invite.ts). The host copies one
// link and the QR code shows it; someone pastes it into "Join by address" and the app tries
// each address, skipping one where nothing answers and one where another room does, and
// joins the room the link names. (Loopback only: a free port stands for an address on a
// network this machine is not on; test/netns/invite.test.ts does it with real networks.)
import { parseInvite } from '../../common/invite.ts';
import { startHost, type Host } from '../../main/host/server.ts';
import { MemoryHistoryStore } from '../../main/host/store/index.ts';
import { freePort } from '../../test/support/cli.ts';
import { expect, test } from '../fixtures.ts';
import { LobbyPage } from '../pages/lobby.ts';
import { RoomPage } from '../pages/room.ts';

test('a pasted invite link joins through whichever of its addresses is the room', { tag: '@desktop' }, async ({ desktop, shot }) => {
  const hosts: Host[] = [];
  const open = async (room: string, hostId: string) => {
    const host = await startHost({ room, hostId, store: new MemoryHistoryStore(), port: 0, bind: '127.0.0.1' });
    hosts.push(host);
    return `127.0.0.1:${host.port}`;
  };
  try {
    const kitchen = await open('Kitchen', 'kitchen0001');
    const office = await open('Office', 'office00001');
    const nobody = `127.0.0.1:${await freePort()}`;
    const app = await desktop({ name: 'Jo' });
    const lobby = new LobbyPage(app.page);

    // None of them is the room: each address is listed with what it said.
    await lobby.joinByAddress(`http://${nobody}/#via=${office}&id=kitchen0001`);
    await expect(lobby.error()).toHaveText(
      `None of the 2 addresses in this link answered as the room: ${nobody} (no answer), ${office} (another room, “Office”). Join one of the host's networks (its Wi-Fi, cable or VPN), or ask the host for an address you can reach.`,
    );
    await shot(app.page, '60-invite-none-answered');

    // A damaged link is refused before anything is asked.
    await lobby.joinByAddress(`http://${nobody}/#via=${office},not-a-port`);
    await expect(lobby.error()).toHaveText('That link is damaged: "not-a-port" is not an address with a port, like 10.0.0.5:47800. Ask the host to send it again.');

    await lobby.joinByAddress(`http://${nobody}/#via=${office},${kitchen}&id=kitchen0001`);
    const room = new RoomPage(app.page);
    await room.waitConnected();
    await expect(app.page.getByRole('heading', { name: 'Kitchen', level: 1 })).toBeVisible();
    // The address that worked is the one the room shows, and the one remembered.
    await expect(app.page.locator('.room-title .address')).toHaveText(kitchen);
    await shot(app.page, '61-invite-joined-second-address');
    await app.page.getByRole('button', { name: 'Leave' }).click();
    await expect(app.page.getByRole('list', { name: 'Recent rooms' })).toContainText(kitchen);
  } finally {
    for (const host of hosts) await host.close();
  }
});

test('the host shows the short link and copies the one with every address', { tag: '@desktop' }, async ({ desktop, shot }) => {
  const app = await desktop({ name: 'Hana' });
  await new LobbyPage(app.page).hostRoom('Kitchen');
  await new RoomPage(app.page).waitConnected();
  const panel = app.page.getByRole('region', { name: 'You are hosting' });
  const shown = (await panel.locator('.join-link').innerText()).trim();
  expect(shown).toMatch(/^http:\/\/[^#]+:\d+\/$/);
  await expect(panel.getByRole('img', { name: `QR code for ${shown}` })).toBeVisible();

  await panel.getByRole('button', { name: 'Copy link' }).click();
  await expect(panel.getByRole('button', { name: 'Copied' })).toBeVisible();
  const copied = await app.page.evaluate<string>('navigator.clipboard.readText()');
  expect(copied.startsWith(`${shown}#`)).toBe(true);
  const invite = parseInvite(copied);
  expect(invite.ok).toBe(true);
  if (!invite.ok) return;
  // Every address the panel lists, best first, and the id the room's /health gives.
  const listed = await panel.getByRole('list', { name: 'Addresses' }).locator('code').allInnerTexts();
  expect(invite.invite.candidates.map((c) => c.httpUrl)).toEqual(listed.length > 0 ? listed.slice(0, 8) : [shown]);
  const health = (await (await fetch(`http://127.0.0.1:${new URL(shown).port}/health`)).json()) as { id: string };
  expect(invite.invite.hostId).toBe(health.id);
  await shot(app.page, '62-invite-host-panel');
});
