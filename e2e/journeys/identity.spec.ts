// Encrypted rooms in the app (#16 item 3): before joining, the app reads the certificate the
// host presents and checks it (main/services: the link's or listing's id, what it joined
// before, or first use), then joins over wss with that certificate pinned. A room the app
// hosts, a link with the host's id and a typed address all join with no question and no
// "Not encrypted" line, and the host's dashboard says each of them is encrypted. A host that
// presents another certificate than the one joined before stops the join, as SSH does: both
// identities, Cancel (the default) stays in the lobby, trusting after a look at the host's
// screen joins.
// (The web project's Chromium accepts the checked-in test identities A and B by their keys:
// e2e/harness/chromium.ts; which one the app trusts is the main process's decision, tested here.)
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { colonHex } from '../../common/identity.ts';
import { CERT_FILE, identityFromPem, KEY_FILE, type HostIdentity } from '../../main/host/identity.ts';
import { startHost, type Host } from '../../main/host/server.ts';
import { MemoryHistoryStore } from '../../main/host/store/index.ts';
import { expect, test } from '../fixtures.ts';
import { IDENTITY_CHANGED_IN_ROOM } from '../../renderer/src/chat/identity-guard.ts';
import { testIdentityDir } from '../harness/test-identities.ts';
import { DashboardPage } from '../pages/dashboard.ts';
import { LobbyPage } from '../pages/lobby.ts';
import { RoomPage } from '../pages/room.ts';

/** A checked-in test identity (public test keys: e2e/fixtures/README.md). */
function fixtureIdentity(name: 'a' | 'b'): HostIdentity {
  const file = (part: string) => readFileSync(join(testIdentityDir(name), part), 'utf8');
  return identityFromPem(file(KEY_FILE), file(CERT_FILE), 'generated');
}

/** A room on loopback presenting `identity` (port 0: any free one). */
function hostWith(identity: HostIdentity, port = 0): Promise<Host> {
  return startHost({ room: 'Kitchen', hostId: identity.hostId, store: new MemoryHistoryStore(), port, bind: '127.0.0.1', tls: { key: identity.key, cert: identity.cert } });
}

/** Four lines of eight pairs, as the dialog shows a full fingerprint. */
function fullLines(fingerprint: string): string[] {
  const pairs = colonHex(fingerprint).split(':');
  return [0, 8, 16, 24].map((start) => pairs.slice(start, start + 8).join(':'));
}

test('a hosted room, a linked room and a typed address all join encrypted, with no question asked', { tag: '@desktop' }, async ({ desktop }) => {
  const host = await desktop({ name: 'Hana' });
  await new LobbyPage(host.page).hostRoom('Kitchen');
  const hostRoom = new RoomPage(host.page);
  await hostRoom.waitConnected();
  // The host's own window joins its room over wss too: nothing to warn about.
  await expect(hostRoom.plainNotice).toHaveCount(0);
  const port = Number(new URL(await hostRoom.joinLink()).port);
  const { sha256 } = await hostRoom.hostIdentity();
  const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { id: string };

  // A link carrying the host's id (loopback stands for the host's address): the id vouches for the certificate.
  const arlo = await desktop({ name: 'Arlo' });
  await new LobbyPage(arlo.page).joinByAddress(`http://127.0.0.1:${port}/#id=${health.id}`);
  const arloRoom = new RoomPage(arlo.page);
  await arloRoom.waitConnected();
  await expect(new LobbyPage(arlo.page).identityChanged()).toHaveCount(0);
  await expect(arloRoom.plainNotice).toHaveCount(0);

  // A typed address, never joined before: trusted on first use, no prompt either.
  const bea = await desktop({ name: 'Bea' });
  await new LobbyPage(bea.page).joinByAddress(`127.0.0.1:${port}`);
  const beaRoom = new RoomPage(bea.page);
  await beaRoom.waitConnected();
  await expect(beaRoom.plainNotice).toHaveCount(0);
  await beaRoom.say('Hello over TLS');
  await hostRoom.expectMessage('Hello over TLS');
  await arloRoom.expectMessage('Hello over TLS');

  // The host's dashboard: everyone, the host's own window included, came encrypted.
  await hostRoom.openDashboard();
  const dashboard = new DashboardPage(await host.nextWindow());
  expect((await dashboard.hostIdentity()).sha256).toBe(sha256);
  for (const name of ['Hana', 'Arlo', 'Bea']) await expect(dashboard.connectionOf(name)).toHaveText('Encrypted');
  await expect(dashboard.notEncryptedCount()).toHaveCount(0);
});

test("a host whose identity changed stops the join with both identities: Cancel stays in the lobby, trusting joins", { tag: '@desktop' }, async ({ desktop, shot }) => {
  const [a, b] = [fixtureIdentity('a'), fixtureIdentity('b')];
  let host = await hostWith(a);
  const port = host.port;
  try {
    const app = await desktop({ name: 'Jo' });
    const lobby = new LobbyPage(app.page);
    const room = new RoomPage(app.page);
    await lobby.joinByAddress(`127.0.0.1:${port}`);
    await room.waitConnected();
    await expect(room.plainNotice).toHaveCount(0);
    await app.page.getByRole('button', { name: 'Leave' }).click();

    // The same address now presents identity B (a new key, or someone else at that address).
    await host.close();
    host = await hostWith(b, port);

    await lobby.joinByAddress(`127.0.0.1:${port}`);
    const dialog = lobby.identityChanged();
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(`The host at 127.0.0.1:${port} (“Kitchen”) is not the one you joined before.`);
    // Cancel is the default: Enter on an unread warning walks away.
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    const shown = await lobby.changedIdentities();
    expect(shown).toEqual({ before: { short: a.short, full: fullLines(a.fingerprint) }, now: { short: b.short, full: fullLines(b.fingerprint) } });
    // Modal for the keyboard: Tab goes round the dialog (the disclosures included), never behind it.
    await dialog.getByRole('button', { name: 'Cancel' }).focus();
    await app.page.keyboard.press('Tab');
    await expect(dialog.getByRole('button', { name: "I checked the host's screen: trust the new identity" })).toBeFocused();
    await app.page.keyboard.press('Tab');
    await expect(dialog.getByLabel('Full fingerprint, joined before')).toBeFocused();
    await app.page.keyboard.press('Shift+Tab');
    await expect(dialog.getByRole('button', { name: "I checked the host's screen: trust the new identity" })).toBeFocused();
    for (const colorScheme of ['light', 'dark'] as const) {
      await app.page.emulateMedia({ colorScheme });
      const { violations } = await new AxeBuilder({ page: app.page }).include('[role="dialog"]').analyze();
      expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${colorScheme}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    }

    for (const [width, height] of [
      [390, 844],
      [1280, 800],
    ] as const) {
      await app.page.setViewportSize({ width, height });
      for (const colorScheme of ['light', 'dark'] as const) {
        await app.page.emulateMedia({ colorScheme });
        await shot(app.page, `90-identity-changed-${width}-${colorScheme}`);
      }
    }
    await app.page.emulateMedia({ colorScheme: 'light' });
    // Every part of the dialog is on screen at phone width (nothing pushed out sideways).
    await app.page.setViewportSize({ width: 320, height: 640 });
    const box = await dialog.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 320).toBe(true);
    await shot(app.page, '91-identity-changed-320');
    await app.page.setViewportSize({ width: 1180, height: 760 });

    // Cancel: back in the lobby, not joined, nothing trusted.
    const joinButton = app.page.getByRole('button', { name: 'Join', exact: true });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(app.page.getByRole('heading', { name: 'Join a room' })).toBeVisible();
    await expect(room.connection).toHaveCount(0);
    // Focus is back where the join started, for a keyboard to go on from there.
    await expect(joinButton).toBeFocused();

    // Asked again (nothing was trusted): Escape cancels too.
    await lobby.joinByAddress(`127.0.0.1:${port}`);
    await expect(dialog).toBeVisible();
    await app.page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(room.connection).toHaveCount(0);
    await expect(joinButton).toBeFocused();

    // After comparing with the host's screen: trusted, joined encrypted.
    await lobby.joinByAddress(`127.0.0.1:${port}`);
    await lobby.trustNewIdentity();
    await room.waitConnected();
    await expect(room.plainNotice).toHaveCount(0);
    await app.page.getByRole('button', { name: 'Leave' }).click();

    // Remembered: the next join asks nothing.
    await lobby.joinByAddress(`127.0.0.1:${port}`);
    await room.waitConnected();
    await expect(dialog).toHaveCount(0);
  } finally {
    await host.close();
  }
});

test("a host whose identity changes while you are in its room: the room stops and sends it nothing; joining again shows both identities", { tag: '@desktop' }, async ({ desktop, shot }) => {
  const [a, b] = [fixtureIdentity('a'), fixtureIdentity('b')];
  let host = await hostWith(a);
  const port = host.port;
  try {
    const app = await desktop({ name: 'Jo' });
    const lobby = new LobbyPage(app.page);
    const room = new RoomPage(app.page);
    await lobby.joinByAddress(`127.0.0.1:${port}`);
    await room.waitConnected();
    await room.say('Before the restart');
    await expect(room.messages.locator('.msg.mine .state.sent')).toHaveCount(1);

    // The same address now presents identity B. The web project's Chromium accepts B's
    // certificate too, so only the app's own check can stop the reconnect.
    await host.close();
    await expect(room.connection).not.toHaveText('Connected');
    // Written while reconnecting: it would go out on the next connection.
    await room.say('Meant for the old host');
    host = await hostWith(b, port);
    let upgrades = 0;
    host.http.on('upgrade', () => upgrades++);

    const stopped = app.page.getByRole('alertdialog', { name: IDENTITY_CHANGED_IN_ROOM.title });
    await expect(stopped).toBeVisible({ timeout: 15_000 });
    await expect(stopped).toHaveAccessibleDescription(IDENTITY_CHANGED_IN_ROOM.advice);
    await expect(stopped).toContainText(`The host at 127.0.0.1:${port} now presents another identity`);
    await expect(room.connection).toHaveText('Identity changed');
    await expect(stopped.getByRole('button', { name: 'Check identity' })).toBeFocused();
    await expect(room.message).toBeDisabled();
    // It stays stopped (no reconnect comes after the longest backoff), and B heard nothing:
    // no WebSocket upgrade, not a byte of a frame, nobody joined.
    await app.page.waitForTimeout(5_500);
    await expect(stopped).toBeVisible();
    expect(upgrades).toBe(0);
    expect(host.room.stats.traffic.in).toBe(0);
    expect(host.room.memberCount).toBe(0);
    for (const [width, height] of [
      [390, 844],
      [1280, 800],
    ] as const) {
      await app.page.setViewportSize({ width, height });
      await shot(app.page, `92-identity-changed-in-room-${width}`);
    }
    await app.page.setViewportSize({ width: 1180, height: 760 });

    // Check identity: back in the lobby, joining again, and the warning shows both.
    await stopped.getByRole('button', { name: 'Check identity' }).click();
    const dialog = lobby.identityChanged();
    await expect(dialog).toBeVisible();
    const shown = await lobby.changedIdentities();
    expect(shown.before.short).toBe(a.short);
    expect(shown.now.short).toBe(b.short);
    expect(upgrades).toBe(0);
    // After comparing with the host's screen: joined B; what was meant for A never went.
    await lobby.trustNewIdentity();
    await room.waitConnected();
    await expect(room.plainNotice).toHaveCount(0);
    expect(upgrades).toBe(1);
    await expect(room.messages.getByText('Meant for the old host')).toHaveCount(0);
  } finally {
    await host.close();
  }
});

test('a locked room is asked its password only after its identity is checked, and joined encrypted', { tag: '@desktop' }, async ({ desktop }) => {
  const a = fixtureIdentity('a');
  const host = await startHost({ room: 'Staff room', hostId: a.hostId, store: new MemoryHistoryStore(), password: 'tea-at-4', port: 0, bind: '127.0.0.1', tls: { key: a.key, cert: a.cert } });
  try {
    const app = await desktop({ name: 'Tom' });
    const lobby = new LobbyPage(app.page);
    // The link's id vouches for the certificate; then the password, whose proof is bound to that certificate.
    await lobby.joinByAddress(`http://127.0.0.1:${host.port}/#id=${a.hostId}`);
    await expect(app.page.getByRole('dialog', { name: '“Staff room” needs a password' })).toBeVisible();
    await lobby.enterPassword('coffee-at-3');
    await expect(app.page.getByRole('dialog').getByRole('alert')).toContainText('That password is not right');
    await lobby.enterPassword('tea-at-4');
    const room = new RoomPage(app.page);
    await room.waitConnected();
    await expect(room.plainNotice).toHaveCount(0);
  } finally {
    await host.close();
  }
});
