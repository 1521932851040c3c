// `hearth host` and files: where they are kept, the limits it was given, and a temporary
// folder with --store memory that goes when the room closes.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Proc, spawnHost } from '../../test/support/cli.ts';
import { FrameClient, tempDir } from '../../test/support/host.ts';
import { endEachTest } from '../../test/support/test-ends.ts';
import { sizeOption } from './host-command.ts';

const { procs, cleanups } = endEachTest();

describe('hearth host with files', () => {
  it('keeps files in <data>/files and says so, with the limits it was given', async () => {
    const data = tempDir();
    cleanups.push(() => data.remove());
    const { proc, port } = await spawnHost(['--port', '0', '--data', data.path, '--max-file-size', '500MB', '--files-quota', '2GiB']);
    procs.push(proc);
    await proc.waitForLine(new RegExp(`^ {2}Files: ${join(data.path, 'files').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, up to 500 MB each, 2\\.1 GB in all$`));
    const client = await FrameClient.join(`ws://127.0.0.1:${port}/ws`, 'Alice');
    expect(client.welcome?.files?.maxFileBytes).toBe(500_000_000);
    client.close();
    expect(existsSync(join(data.path, 'files', 'uploads'))).toBe(true);
  });

  it('keeps files in a folder of its own with --store memory, removed when the room closes (or at the next start)', async () => {
    const data = tempDir();
    cleanups.push(() => data.remove());
    // Left by a run that was killed: its process is gone.
    const leftOver = join(data.path, 'temporary-files-999999999');
    mkdirSync(join(leftOver, 'uploads'), { recursive: true });
    const { proc } = await spawnHost(['--port', '0', '--data', data.path, '--store', 'memory']);
    procs.push(proc);
    const line = await proc.waitForLine(/^ {2}Files: .* \(temporary: removed when the room closes\)/);
    const folder = /Files: (.*) \(temporary/.exec(line)![1]!;
    expect(folder).toBe(join(data.path, `temporary-files-${proc.child.pid}`));
    expect(existsSync(folder)).toBe(true);
    expect(existsSync(leftOver)).toBe(false);
    proc.kill('SIGTERM');
    expect(await proc.exit).toBe(0);
    expect(existsSync(folder)).toBe(false);
  });

  it('refuses a size it cannot read', async () => {
    const bad = new Proc(['host', '--no-mdns', '--port', '0', '--max-file-size', 'huge']);
    procs.push(bad);
    expect(await bad.exit).toBe(2);
    expect(bad.errLines.join('\n')).toMatch(/--max-file-size and --files-quota take a size, like 500MB, 2GB or 2GiB/);
  });

  it('reads sizes as people write them', () => {
    expect(sizeOption('500MB')).toBe(500_000_000);
    expect(sizeOption('2GiB')).toBe(2 * 1024 ** 3);
    expect(sizeOption('1.5 gb')).toBe(1_500_000_000);
    expect(sizeOption('1048576')).toBe(1_048_576);
    expect(sizeOption('10k')).toBe(10_000);
    expect(sizeOption(undefined)).toBeUndefined();
    for (const bad of ['', '0', '-5MB', 'MB', '5 XB', '1e9']) expect(sizeOption(bad)).toBeNaN();
  });
});
