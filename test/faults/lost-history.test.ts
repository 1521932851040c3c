// A history file lost behind the host's back (deleted, emptied), in the desktop app: the
// room is not opened on a fresh history that would reuse seqs; the person reads the same
// sentence `hearth host` prints (main/cli/cli.test.ts covers the command line).
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { AppServices, slug } from '../../main/services/services.ts';
import { tempDir } from '../support/host.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

for (const [what, lose] of [
  ['emptied', (file: string) => writeFileSync(file, '')],
  ['deleted', (file: string) => rmSync(file)],
] as const) {
  it(`the desktop app refuses to host on a history file that was ${what}, with the sentence`, async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const services = new AppServices({ dataDir: dir.path, mdns: false, defaultPort: 0 });
    cleanups.push(() => services.shutdown());

    const first = await services.handlers['host:start']({ room: 'Kitchen' });
    expect(first.ok).toBe(true);
    await services.handlers['host:stop'](null);
    const file = join(dir.path, 'rooms', slug('Kitchen'), 'history.sqlite');
    lose(file);

    const again = await services.handlers['host:start']({ room: 'Kitchen' });
    expect(again.ok).toBe(false);
    expect(!again.ok && again.error).toMatch(
      new RegExp(`^The history in ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is gone \\(the file is (empty|missing)\\), but this folder had a room history \\(id [A-Za-z0-9_-]{22}\\)\\. Restore the file from a backup, or start a new history on purpose with \`hearth host --new-history\`\\.$`),
    );
    expect((await services.handlers['host:status'](null)).ok && (await services.handlers['host:status'](null))).toMatchObject({ value: null });
  });
}
