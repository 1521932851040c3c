// `/clearhistory [--files]` in `hearth join`, end to end: a real `hearth join` process holding
// the admin token against a real host on 127.0.0.1 that keeps files in a temp folder. Without
// --files the history goes and the files stay on disk; with it, the files the cleared messages
// carried leave the disk too (and only those); a mistyped option clears nothing.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Proc } from '../../test/support/cli.ts';
import { sha256, share, tusUpload } from '../../test/support/files.ts';
import { FrameClient, startTestHost, tempDir } from '../../test/support/host.ts';
import { endEachTest } from '../../test/support/test-ends.ts';

const ADMIN_TOKEN = 'admin-token-for-clearhistory-tests';
const { procs, cleanups } = endEachTest();

async function roomWithFiles() {
  const files = tempDir('hearth-clear-files-');
  const host = await startTestHost({ adminToken: ADMIN_TOKEN, files: { dir: files.path } });
  cleanups.push(() => files.remove());
  cleanups.push(() => host.dispose());
  const ada = await FrameClient.join(host.url, 'Ada');
  cleanups.push(() => ada.ws.close());
  /** Ada shares `text` as a file: where the host keeps it (content-addressed, `<dir>/<sha256>`). */
  const shareFile = async (name: string, text: string) => {
    const data = Buffer.from(text);
    await share(ada, await tusUpload(host.origin, data, { token: () => ada.welcome!.files!.token, name, type: 'text/plain' }));
    return { blob: join(files.path, sha256(data)) };
  };
  return { host, ada, shareFile };
}

function admin(port: number): Proc {
  const proc = new Proc(['join', `127.0.0.1:${port}`, '--name', 'Hana', '--admin-token', ADMIN_TOKEN]);
  procs.push(proc);
  return proc;
}

describe('hearth join: /clearhistory [--files]', { timeout: 60_000 }, () => {
  it('keeps the files without --files, deletes those the history carried with it, and lists the option in /help', async () => {
    const { host, ada, shareFile } = await roomWithFiles();
    const minutes = await shareFile('minutes.txt', 'Minutes of Tuesday\n');
    const plan = await shareFile('plan.txt', 'The plan for the fair\n');
    expect(existsSync(minutes.blob) && existsSync(plan.blob)).toBe(true);

    const hana = admin(host.port);
    await hana.waitForLine(/Joined "Test room" as Hana/);
    hana.write('/help');
    await hana.waitForLine(/\/clearhistory \[--files\].*with --files, the files its messages carry too/);

    // A mistyped option is refused with the usage, and clears nothing.
    hana.write('/clearhistory files');
    await hana.waitForLine(/Usage: \/clearhistory \[--files\] \(--files deletes the files its messages carry too\)/);

    hana.write('/clearhistory');
    await hana.waitForLine(/-- history cleared$/);
    await ada.take((f): f is Extract<typeof f, { type: 'cleared' }> => f.type === 'cleared', 5000, 'the clear');
    expect(ada.frames.filter((f) => f.type === 'cleared')).toEqual([]); // take() had the only one: the mistyped line cleared nothing
    // The files stay on the host (the dashboard lists them, to delete one by one).
    expect(existsSync(minutes.blob) && existsSync(plan.blob)).toBe(true);
    expect(host.files!.usage().usedBytes).toBe(19 + 22);

    // With --files: the history goes, and the file its messages carried goes with it; the two
    // that no message carries any more are not the clear's to delete.
    const photo = await shareFile('photo.txt', 'not really a photo\n');
    hana.write('/clearhistory --files');
    await hana.waitForLine(/-- history cleared, and 1 file deleted$/);
    expect(existsSync(photo.blob)).toBe(false);
    expect(existsSync(minutes.blob) && existsSync(plan.blob)).toBe(true);
    expect(host.files!.usage().usedBytes).toBe(19 + 22);

    hana.endInput();
    expect(await hana.exit).toBe(0);
  });
});
