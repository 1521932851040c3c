// Journey 3: the host process dies mid-conversation and comes back on the same data.
// Clients show it, keep what is typed meanwhile, resume, and nothing is lost or doubled.
import type { Proc} from '../../test/support/cli.ts';
import { freePort, spawnHost } from '../../test/support/cli.ts';
import { tempDir } from '../../test/support/host.ts';
import { expect, test } from '../fixtures.ts';
import { LobbyPage } from '../pages/lobby.ts';
import { RoomPage } from '../pages/room.ts';

test('the host restarts mid-conversation: clients reconnect and resume, nothing lost or doubled', async ({ browserClient, shot }) => {
  const data = tempDir();
  const port = await freePort();
  const start = () => spawnHost(['--room', 'Night shift', '--port', String(port), '--data', data.path]);
  let host: Proc = (await start()).proc;
  try {
    const url = `http://127.0.0.1:${port}/`;
    const rooms: RoomPage[] = [];
    for (const name of ['Alice', 'Bob']) {
      const page = await browserClient(url);
      await new LobbyPage(page).joinServedRoom(name);
      const room = new RoomPage(page);
      await room.waitConnected();
      rooms.push(room);
    }
    const [alice, bob] = rooms as [RoomPage, RoomPage];
    await alice.say('before the crash');
    await bob.expectMessage('before the crash');

    host.kill('SIGKILL');
    await host.exit;
    for (const room of rooms) await expect(room.connection).toContainText(/Reconnecting|Host gone/);

    // Written while the host is away: shown as sending, delivered after the restart.
    await alice.say('written while the host was away');
    await expect(alice.messages.getByText('Sending…')).toBeVisible();
    await shot(alice.page, '20-reconnecting');

    host = (await start()).proc;
    for (const room of rooms) await expect(room.connection).toHaveText('Connected', { timeout: 20_000 });
    await bob.expectMessage('written while the host was away');
    await expect(alice.messages.getByText('Sending…')).toHaveCount(0);
    await bob.say('after the restart');
    await alice.expectMessage('after the restart');
    await shot(bob.page, '21-resumed');

    for (const room of rooms) {
      const texts = await room.renderedTexts();
      for (const text of ['before the crash', 'written while the host was away', 'after the restart']) {
        expect(texts.filter((t) => t === text), `${text} exactly once`).toHaveLength(1);
      }
    }
  } finally {
    host.kill('SIGKILL');
    await host.exit;
    data.remove();
  }
});
