// The dashboard's files, end to end: a real hosted room (AppServices, as the app hosts it),
// a member who uploads with tus-js-client and shares over a real WebSocket, and the
// dashboard's handlers: the list, Delete, Clear history with its files, the exports.
import { afterEach, describe, expect, it } from 'vitest';
import { randomId } from '../../common/ids.ts';
import type { DashboardSnapshot } from '../../common/ipc.ts';
import { share, sha256, tusUpload } from '../../test/support/files.ts';
import { FrameClient, until } from '../../test/support/host.ts';
import { servicesHosting } from '../../test/support/services.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function hostWithGuest() {
  const { s, started } = await servicesHosting('Kitchen', cleanups);
  const origin = started.localUrl.replace(/\/$/, '');
  const ada = await FrameClient.join(`ws://127.0.0.1:${started.port}/ws`, 'Ada', { clientId: randomId(22) });
  cleanups.push(() => ada.close());
  const token = () => ada.welcome!.files!.token;
  const dashboard = async (): Promise<DashboardSnapshot> => {
    const got = await s.handlers['dashboard:get'](null);
    if (!got.ok || !got.value) throw new Error('no dashboard');
    return got.value.snapshot;
  };
  const upload = (content: string, name: string) => tusUpload(origin, Buffer.from(content), { name, type: 'text/plain', token });
  return { s, ada, dashboard, upload };
}

describe('files on the dashboard of a hosted room', () => {
  it('lists the files shared, deletes one (its message stays, marked), and says how much space they take', async () => {
    const { s, ada, dashboard, upload } = await hostWithGuest();
    expect((await dashboard()).files).toMatchObject({ usedBytes: 0, count: 0, list: [] });

    const notes = 'shopping: tea, milk';
    await share(ada, await upload(notes, 'notes.txt'), { text: 'for Saturday' });
    const files = (await dashboard()).files!;
    expect(files).toMatchObject({ usedBytes: notes.length, count: 1, inHistory: { count: 1, bytes: notes.length } });
    expect(files.quotaBytes).toBeGreaterThan(0);
    expect(files.list).toEqual([{ id: sha256(notes), name: 'notes.txt', size: notes.length, type: expect.stringContaining('text/plain'), from: 'Ada', at: expect.any(Number), messages: 1 }]);

    expect(await s.handlers['dashboard:delete-file']({ fileId: 'not-a-hash' })).toEqual({ ok: false, error: 'Say which file to delete (its id from the dashboard).' });
    expect(await s.handlers['dashboard:delete-file']({ fileId: sha256(notes) })).toEqual({ ok: true, value: 'Deleted the file "notes.txt" (1 message keeps a note)' });
    await until(() => ada.frames.some((f) => f.type === 'file_deleted' && f.file === sha256(notes)));
    expect((await dashboard()).files).toMatchObject({ usedBytes: 0, count: 0, list: [] });
    expect(await s.handlers['dashboard:delete-file']({ fileId: sha256(notes) })).toEqual({ ok: false, error: 'That file is not on this host.' });

    // The message stays, with its caption, saying its file was deleted; the export says so too.
    const exported = await s.handlers['room:export']({ format: 'markdown' });
    expect(exported.ok && exported.value.content).toContain(`**Ada:** for Saturday  \n  📎 notes\\.txt (19 B, sha256: ${sha256(notes)}, deleted from the host)`);
    const json = await s.handlers['room:export']({ format: 'json' });
    expect(json.ok && JSON.parse(json.value.content).messages[0].file).toMatchObject({ id: sha256(notes), name: 'notes.txt', size: 19, deleted: true });
  });

  it('clears the history with its files only when asked', async () => {
    const { s, ada, dashboard, upload } = await hostWithGuest();
    await share(ada, await upload('first file', 'one.txt'));
    expect(await s.handlers['room:moderate']({ action: 'clear_history' })).toEqual({ ok: true, value: 'History cleared' });
    // Kept, and listed as in no message any more.
    expect((await dashboard()).files).toMatchObject({ inHistory: { count: 0, bytes: 0 }, list: [{ name: '', messages: 0, size: 10 }] });

    await share(ada, await upload('second file', 'two.txt'));
    expect(await s.handlers['room:moderate']({ action: 'clear_history', deleteFiles: true })).toEqual({ ok: true, value: 'History cleared, and 1 file deleted' });
    expect((await dashboard()).files!.list.map((f) => f.size)).toEqual([10]);
  });
});
