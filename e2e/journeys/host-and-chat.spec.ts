// Journey 1: host a room from the app; someone joins from a plain browser through the web
// client, someone else from the app by address; they chat both ways; members and typing
// update for everyone. (Joining from the LAN room list runs in test/netns, where mDNS may.)
import { hostIdOf, shortFingerprint } from '../../common/identity.ts';
import { expect, test } from '../fixtures.ts';
import { LobbyPage } from '../pages/lobby.ts';
import { RoomPage } from '../pages/room.ts';

test('host a room; a browser and another app join; everyone chats', { tag: '@desktop' }, async ({ desktop, browserClient, shot }) => {
  const host = await desktop({ name: 'Hana' });
  const lobby = new LobbyPage(host.page);
  await expect(lobby.name).toHaveValue('Hana');
  await shot(host.page, '01-lobby');
  await lobby.hostRoom('Kitchen');

  const hostRoom = new RoomPage(host.page);
  await hostRoom.waitConnected();
  const panel = host.page.getByRole('region', { name: 'You are hosting' });
  await expect(panel.getByRole('img', { name: /^QR code for http:\/\/.+:\d+\/$/ })).toBeVisible();
  const link = (await panel.locator('.join-link').innerText()).trim();
  expect(link).toMatch(/^http:\/\/.+:\d+\/$/);
  const port = Number(new URL(link).port);
  // Every local address is listed, and the best one is the link.
  const addresses = await panel.getByRole('list', { name: 'Addresses' }).getByRole('listitem').allInnerTexts();
  expect(addresses.length).toBeGreaterThan(0);
  expect(addresses[0]).toContain(link);
  // Who this host is: the short form people compare, the full fingerprint behind it, and the
  // id the room answers with derives from it (common/identity.ts).
  const identity = await hostRoom.hostIdentity();
  expect(identity.short).toMatch(/^[a-z2-7]{5}(-[a-z2-7]{5}){3}$/);
  expect(identity.sha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { id: string };
  expect(health.id).toBe(hostIdOf(identity.sha256));
  expect(shortFingerprint(identity.sha256)).toBe(identity.short);

  // Someone without the app: the host serves the web client. (Loopback: tests stay on this machine.)
  const guestPage = await browserClient(`http://127.0.0.1:${port}/`);
  const guestLobby = new LobbyPage(guestPage);
  await expect(guestPage.getByRole('heading', { name: 'Join “Kitchen”' })).toBeVisible();
  await shot(guestPage, '02-web-client-join');
  await guestLobby.joinServedRoom('Wendy');
  const guest = new RoomPage(guestPage);
  await guest.waitConnected();

  // Someone with the app, by typed address.
  const other = await desktop({ name: 'Arlo' });
  await new LobbyPage(other.page).joinByAddress(`127.0.0.1:${port}`);
  const arlo = new RoomPage(other.page);
  await arlo.waitConnected();

  for (const room of [hostRoom, guest, arlo]) await expect.poll(() => room.memberNames()).toEqual(['Arlo', 'Hana', 'Wendy']);
  // The apps join over TLS, pinned (wss://): no notice. The browser on plain http says so, quietly, and can hide it for the session.
  for (const room of [hostRoom, arlo]) await expect(room.plainNotice).toHaveCount(0);
  await expect(guest.plainNotice).toContainText('Not encrypted: people on this network could read this room.');
  await guest.hidePlainNotice();
  await expect(guest.plainNotice).toHaveCount(0);
  await expect(host.page.getByText('Wendy joined')).toBeVisible();

  // Typing shows up for the others, in the members list and under the conversation.
  await guest.message.pressSequentially('hello ever', { delay: 20 });
  await expect(host.page.getByText('Wendy is typing…')).toBeVisible();
  await expect(hostRoom.members.getByText('typing…')).toBeVisible();
  await guest.message.fill('');

  await guest.say('Hello from the browser 👋');
  await hostRoom.expectMessage('Hello from the browser 👋');
  await arlo.expectMessage('Hello from the browser 👋');
  await hostRoom.say('Welcome! The kettle is on.');
  await guest.expectMessage('Welcome! The kettle is on.');
  await arlo.say('/me brings biscuits');
  await expect(guestPage.getByText('* Arlo brings biscuits')).toBeVisible();
  await arlo.say('/msg Hana psst, the biscuits are yours');
  await expect(hostRoom.messages.getByText('Private to you')).toBeVisible();
  await hostRoom.expectMessage('psst, the biscuits are yours');
  await guest.say('see https://example.org/menu for the menu');
  const menuLink = arlo.messages.getByRole('link', { name: 'https://example.org/menu' });
  await expect(menuLink).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(menuLink).toHaveAttribute('target', '_blank');
  // Your own message is marked sent once the host has stored it.
  await expect(hostRoom.messages.locator('.msg.mine .state.sent').first()).toBeVisible();
  await expect(guestPage.getByText('Private to you')).toHaveCount(0);

  await shot(host.page, '03-host-room');
  await shot(guestPage, '04-web-client-room');
  await host.page.emulateMedia({ colorScheme: 'dark' });
  await shot(host.page, '03-host-room-dark');
  await host.page.emulateMedia({ colorScheme: 'light' });

  // A slash shows the commands.
  await arlo.message.fill('/');
  await expect(other.page.getByRole('list', { name: 'Commands' })).toBeVisible();
  await shot(other.page, '05-command-hints');
  await arlo.message.fill('');

  // Leaving updates everyone's list.
  await other.page.getByRole('button', { name: 'Leave' }).click();
  await expect.poll(() => hostRoom.memberNames()).toEqual(['Hana', 'Wendy']);
  await expect(host.page.getByText('Arlo left')).toBeVisible();
});
