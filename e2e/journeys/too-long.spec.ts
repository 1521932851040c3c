// Issue 13 (3, 4): what a person typed is never thrown away. A name over 32 characters is
// an error that holds Join back, never swapped for a random one; a message over 4,000
// characters stays in the composer with a counter saying by how much, and Send waits.
import { startHost } from '../../main/host/server.ts';
import { MemoryHistoryStore } from '../../main/host/store/index.ts';
import { RENDERER_DIR } from '../harness/desktop.ts';
import { expect, test } from '../fixtures.ts';
import { LobbyPage } from '../pages/lobby.ts';
import { RoomPage } from '../pages/room.ts';

test('a name or a message that is too long is kept, said to be too long, and not sent', async ({ browserClient }) => {
  const host = await startHost({ room: 'Kitchen', store: new MemoryHistoryStore(), port: 0, bind: '127.0.0.1', webRoot: RENDERER_DIR });
  try {
    const page = await browserClient(`http://127.0.0.1:${host.port}/`);
    const lobby = new LobbyPage(page);
    const join = page.getByRole('button', { name: 'Join', exact: true });
    await expect(join).toBeEnabled();

    await lobby.setName('Bartholomew Montgomery-Fitzgerald III');
    await expect(page.getByRole('alert')).toHaveText('Name is longer than 32 characters.');
    await expect(join).toBeDisabled();
    await expect(join).toHaveAccessibleDescription('Name is longer than 32 characters.');
    await lobby.setName('Bartholomew');
    await expect(page.getByRole('alert')).toHaveCount(0);
    await join.click();
    const room = new RoomPage(page);
    await room.waitConnected();
    expect(await room.memberNames()).toEqual(['Bartholomew']);

    // Near the limit a counter appears; over it Send waits and Enter keeps the draft.
    await room.message.fill('a'.repeat(3600));
    await expect(page.getByText('3,600 / 4,000')).toBeVisible();
    const tooLong = 'b'.repeat(4001);
    await room.message.fill(tooLong);
    await expect(room.send).toBeDisabled();
    await expect(room.send).toHaveAccessibleDescription('4,001 / 4,000: 1 character too many to send');
    await room.message.press('Enter');
    await expect(room.message).toHaveValue(tooLong);
    await room.message.press('Backspace');
    await expect(room.send).toBeEnabled();
    await room.send.click();
    await expect(room.message).toHaveValue('');
    await room.expectMessage('b'.repeat(4000));
  } finally {
    await host.close();
  }
});
