// Journey 2: join by typed address, and every way it can go wrong is told to the person in
// words, with a way forward: a bad address, nothing there, not a Hearth room, a password
// (wrong, then right), a name someone already has.
import { createServer } from 'node:http';
import WebSocket from 'ws';
import { RoomClient, type SocketLike } from '../../common/client.ts';
import { randomId } from '../../common/ids.ts';
import { startHost } from '../../main/host/server.ts';
import { MemoryHistoryStore } from '../../main/host/store/index.ts';
import { expect, test } from '../fixtures.ts';
import { LobbyPage } from '../pages/lobby.ts';
import { RoomPage } from '../pages/room.ts';

test('join by address: every error is explained, and the way forward offered', { tag: '@desktop' }, async ({ desktop, shot }) => {
  const app = await desktop({ name: 'Tom' });
  const lobby = new LobbyPage(app.page);

  // A name over 32 characters is never swapped for another: it reads as an error, and Join waits.
  await lobby.name.fill('Bartholomew Montgomery-Fitzgerald III');
  const nameError = app.page.getByRole('alert');
  await expect(nameError).toHaveText('Name is longer than 32 characters.');
  await expect(lobby.name).toHaveAttribute('aria-invalid', 'true');
  await expect(nameError).toHaveCSS('text-transform', 'none');
  await lobby.address.fill('127.0.0.1:1');
  await expect(app.page.getByRole('button', { name: 'Join', exact: true })).toBeDisabled();
  await lobby.setName('Tom');
  await expect(nameError).toHaveCount(0);

  await lobby.joinByAddress('my laptop');
  await expect(lobby.error()).toHaveText('An address cannot contain spaces.');

  await lobby.joinByAddress('127.0.0.1:1');
  await expect(lobby.error()).toHaveText('Nothing is answering at 127.0.0.1:1. Is the room still open?');
  await shot(app.page, '10-error-unreachable');

  const web = createServer((_req, res) => res.end('<h1>a printer</h1>'));
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  const webPort = (web.address() as { port: number }).port;
  await lobby.joinByAddress(`127.0.0.1:${webPort}`);
  await expect(lobby.error()).toHaveText(`127.0.0.1:${webPort} answers, but it is not a Hearth room.`);
  web.close();

  // A locked room: the password is asked for; a wrong one is refused in place.
  const locked = await startHost({ room: 'Staff room', store: new MemoryHistoryStore(), password: 'tea-at-4', port: 0, bind: '127.0.0.1' });
  try {
    await lobby.joinByAddress(`127.0.0.1:${locked.port}`);
    await expect(app.page.getByRole('dialog', { name: '“Staff room” needs a password' })).toBeVisible();
    await shot(app.page, '11-password-dialog');
    await lobby.enterPassword('coffee-at-3');
    await expect(app.page.getByRole('dialog').getByRole('alert')).toContainText('That password is not right');
    await shot(app.page, '12-wrong-password');
    await lobby.enterPassword('tea-at-4');
    await new RoomPage(app.page).waitConnected();
    await app.page.getByRole('button', { name: 'Leave' }).click();
  } finally {
    await locked.close();
  }

  // A name someone else already has.
  const open = await startHost({ room: 'Open room', store: new MemoryHistoryStore(), port: 0, bind: '127.0.0.1' });
  const someone = new RoomClient({
    url: `ws://127.0.0.1:${open.port}/ws`,
    name: 'tom',
    clientId: randomId(22),
    createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
  });
  try {
    someone.connect();
    await expect.poll(() => someone.state.status).toBe('connected');
    await lobby.joinByAddress(`127.0.0.1:${open.port}`);
    const problem = app.page.getByRole('alertdialog', { name: 'Pick another name' });
    await expect(problem).toContainText('"Tom" is already taken here. Pick another name.');
    await shot(app.page, '13-name-taken');
    await problem.getByRole('textbox', { name: 'Your name' }).fill('Tom Two');
    await problem.getByRole('button', { name: 'Try again' }).click();
    const room = new RoomPage(app.page);
    await room.waitConnected();
    await expect.poll(() => room.memberNames()).toEqual(['Tom Two', 'tom']);
  } finally {
    someone.close();
    await open.close();
  }
});
