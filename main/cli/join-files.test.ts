// Files in `hearth join`, end to end: real `hearth join` processes against a real host on
// 127.0.0.1, through relays that record, slow down or cut what crosses them. A file sent with
// /send is fetched with /get byte-identical; over TLS its bytes never cross in clear; a cut
// download resumes from its .part; a host killed mid-upload is resumed from its offset; hostile
// names are saved as plain names inside the folder asked for.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, Proc, spawnHost } from '../../test/support/cli.ts';
import { share, tusUpload } from '../../test/support/files.ts';
import { FrameClient, startTestHost, tempDir } from '../../test/support/host.ts';
import { startRecordingProxy } from '../../test/support/recording-proxy.ts';
import { startTcpRelay, type RelayedConnection } from '../../test/support/tcp-relay.ts';
import { endEachTest } from '../../test/support/test-ends.ts';
import { loadOrCreateIdentity } from '../host/identity.ts';

const { procs, cleanups } = endEachTest();

function folder(): string {
  const dir = tempDir('hearth-cli-files-');
  cleanups.push(() => dir.remove());
  return dir.path;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** A file of `size` bytes whose content no frame, header or certificate could hold by chance. */
function fileWith(dir: string, name: string, size: number): { path: string; data: Buffer; marker: string } {
  const marker = `hearth-secret-${randomBytes(8).toString('hex')}`;
  const data = Buffer.alloc(size);
  for (let at = 0; at < size; at += 4096) Buffer.from(`${marker}\n`).copy(data, at);
  randomBytes(64).copy(data, size - 64); // so two files never share a hash
  const path = join(dir, name);
  writeFileSync(path, data);
  return { path, data, marker };
}

function joiner(address: string, name: string): Proc {
  const proc = new Proc(['join', address, '--name', name]);
  procs.push(proc);
  return proc;
}

async function plainHost(files: boolean | { maxFileBytes?: number; limits?: { maxOpenPerMember: number } } = true) {
  const host = await startTestHost(files === false ? {} : { withFiles: files });
  cleanups.push(() => host.dispose());
  return host;
}

async function encryptedHost() {
  const identity = await loadOrCreateIdentity(folder());
  const host = await startTestHost({ withFiles: true, tls: { key: identity.key, cert: identity.cert }, hostId: identity.hostId });
  cleanups.push(() => host.dispose());
  return host;
}

describe('hearth join: /send and /get', { timeout: 90_000 }, () => {
  it('sends a file from one terminal and saves it in another, byte-identical; over TLS its bytes never cross in clear', async () => {
    const host = await encryptedHost();
    const relay = await startRecordingProxy({ host: '127.0.0.1', port: host.port });
    cleanups.push(() => relay.close());
    const address = `127.0.0.1:${relay.port}`;
    const { path, data, marker } = fileWith(folder(), 'figures.bin', 3 * 1024 * 1024 + 5);

    const ada = joiner(address, 'Ada');
    await ada.waitForLine(/Joined "Test room" as Ada/);
    ada.write(`/send "${path}" the March figures`);
    ada.endInput(); // piped: it leaves once the file is up and its message acknowledged
    expect(await ada.exit).toBe(0);
    const log = ada.lines.join('\n');
    expect(log).toMatch(/-- checking figures\.bin \[/);
    expect(log).toMatch(/-- figures\.bin \[██████████\] 100% 3\.1 MB of 3\.1 MB/);
    expect(log).toMatch(/-- uploaded figures\.bin \(3\.1 MB in \d+ s\)/);
    expect(log.split('\n').filter((l) => l.includes('figures.bin [')).length).toBeLessThanOrEqual(12); // a log stays short

    const out = folder();
    const bo = joiner(address, 'Bo');
    await bo.waitForLine(/Ada shared #1 figures\.bin \(3\.1 MB\)/);
    expect(bo.lines).toContain('      the March figures');
    bo.write(`/get 1 ${out}`);
    bo.endInput();
    expect(await bo.exit).toBe(0);
    await bo.waitForLine(new RegExp(`-- saved #1 as ${join(out, 'figures.bin')} \\(3\\.1 MB\\)`));
    expect(sha256(readFileSync(join(out, 'figures.bin')))).toBe(sha256(data));
    expect(readdirSync(out)).toEqual(['figures.bin']); // the .part became the file

    // The upload and the download crossed the relay, encrypted: the file's text never did.
    expect(relay.sent().length).toBeGreaterThan(data.length);
    expect(relay.received().length).toBeGreaterThan(data.length);
    expect(relay.saw(marker)).toBe(false);
    expect(relay.saw('PATCH /files/uploads')).toBe(false);
  });

  it('never overwrites: a second /get of the same file is saved under a new name', async () => {
    const host = await plainHost();
    const address = `127.0.0.1:${host.port}`;
    const { path, data } = fileWith(folder(), 'notes.txt', 10_000);
    const out = folder();
    writeFileSync(join(out, 'notes.txt'), 'mine, not to be lost');

    const ada = joiner(address, 'Ada');
    await ada.waitForLine(/Joined/);
    ada.write(`/send ${path}`);
    await ada.waitForLine(/you shared #1 notes\.txt \(10 KB\)/, 20_000);
    ada.write(`/get 1 ${out}`);
    await ada.waitForLine(/-- saved #1 as .*notes \(1\)\.txt/, 20_000);
    ada.write(`/get #1 ${out}`);
    await ada.waitForLine(/-- saved #1 as .*notes \(2\)\.txt/, 20_000);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine, not to be lost');
    expect(readFileSync(join(out, 'notes (1).txt')).equals(data)).toBe(true);
    expect(readFileSync(join(out, 'notes (2).txt')).equals(data)).toBe(true);
  });

  it('sends several files at once, more than the host keeps open per person, and shares them all', async () => {
    const host = await plainHost();
    const dir = folder();
    const files = Array.from({ length: 6 }, (_, i) => fileWith(dir, `part-${i + 1}.bin`, 600_000 + i));
    const ada = joiner(`127.0.0.1:${host.port}`, 'Ada');
    await ada.waitForLine(/Joined/);
    for (const f of files) ada.write(`/send ${f.path}`);
    ada.endInput();
    expect(await ada.exit).toBe(0);
    expect(ada.lines.filter((l) => l.startsWith('-- uploaded part-'))).toHaveLength(6);
    expect(ada.lines.join('\n')).toMatch(/-- waiting to send part-\d\.bin/); // two waited for a slot

    const bo = joiner(`127.0.0.1:${host.port}`, 'Bo');
    await bo.waitForLine(/shared #6 part-\d\.bin/);
    expect(bo.lines.filter((l) => / Ada shared #\d part-\d\.bin \(600 KB\)$/.test(l))).toHaveLength(6);
    expect(host.files!.usage().files).toBe(6);
  });

  it('sends no more files at once than the welcome says this host allows, whatever its setting', async () => {
    const host = await plainHost({ limits: { maxOpenPerMember: 1 } });
    const dir = folder();
    const files = Array.from({ length: 3 }, (_, i) => fileWith(dir, `one-${i + 1}.bin`, 300_000 + i));
    const ada = joiner(`127.0.0.1:${host.port}`, 'Ada');
    await ada.waitForLine(/Joined/);
    for (const f of files) ada.write(`/send ${f.path}`);
    ada.endInput();
    expect(await ada.exit).toBe(0);
    expect(ada.lines.filter((l) => l.startsWith('-- uploaded one-'))).toHaveLength(3);
    // One at a time: the two others waited their turn here instead of being refused there.
    const waited = new Set(ada.lines.flatMap((l) => /-- waiting to send (one-\d\.bin)/.exec(l)?.[1] ?? []));
    expect(waited.size).toBe(2);
    expect(host.files!.usage().files).toBe(3);
  });

  it('explains, in a sentence, what it cannot send or save, and sends nothing', async () => {
    const small = await plainHost({ maxFileBytes: 1000 });
    const dir = folder();
    const big = fileWith(dir, 'big.bin', 1001).path;
    mkdirSync(join(dir, 'a folder'));

    const ada = joiner(`127.0.0.1:${small.port}`, 'Ada');
    await ada.waitForLine(/Joined/);
    ada.write(`/send ${join(dir, 'missing.pdf')}`);
    await ada.waitForLine(/!! There is no file at .*missing\.pdf\./);
    ada.write(`/send "${join(dir, 'a folder')}"`);
    await ada.waitForLine(/!! .*a folder is a folder; \/send takes one file/);
    ada.write(`/send ${big}`);
    await ada.waitForLine(/!! big\.bin is 1,001 bytes; this room takes files up to 1,000 bytes\./);
    ada.write('/get 7');
    await ada.waitForLine(/!! There is no file #7 here/);
    ada.write('/send');
    await ada.waitForLine(/!! Usage: \/send PATH \[CAPTION\]/);
    ada.endInput();
    // Piped, a /send or /get that did not happen is a failure, like a message not delivered.
    expect(await ada.exit).toBe(1);
    expect(ada.errLines).toContain('hearth join: 4 file commands did not finish (said above).');
    expect(ada.lines.join('\n')).not.toMatch(/uploaded|checking/);
    expect(small.files!.usage()).toMatchObject({ usedBytes: 0, reservedBytes: 0, files: 0 });

    const without = await plainHost(false);
    const bo = joiner(`127.0.0.1:${without.port}`, 'Bo');
    bo.write(`/send ${big}`); // typed before the welcome: answered once the room has said
    await bo.waitForLine(/!! This room does not take files\./);
    bo.endInput();
    expect(await bo.exit).toBe(1);
  });

  it('saves files with hostile names as plain names inside the folder asked for, and shows them as text', async () => {
    const host = await plainHost();
    const sender = await FrameClient.join(host.url, 'Mallory');
    cleanups.push(() => sender.close());
    const token = sender.welcome!.files!.token;
    const names = ['../../x', 'nul\u0000byte.txt', `${'long'.repeat(75)}.txt`, 'invoice\u202Efdp.exe', '\u001b[2J.bashrc'];
    const contents = names.map((_, i) => Buffer.from(`file ${i} ${randomBytes(8).toString('hex')}`));
    for (let i = 0; i < names.length; i++) {
      await share(sender, await tusUpload(host.origin, contents[i]!, { token: () => token, name: names[i]!, type: 'text/plain' }));
    }
    const root = folder();
    const out = join(root, 'inbox');
    mkdirSync(out);

    const bo = joiner(`127.0.0.1:${host.port}`, 'Bo');
    await bo.waitForLine(/Mallory shared #5 /);
    for (let n = 1; n <= names.length; n++) bo.write(`/get ${n} ${out}`);
    bo.endInput();
    expect(await bo.exit).toBe(0);
    const saved = readdirSync(out);
    expect(saved).toHaveLength(names.length);
    expect(readdirSync(root)).toEqual(['inbox']); // nothing written beside or above it
    for (const name of saved) {
      // eslint-disable-next-line no-control-regex
      expect(name).not.toMatch(/[/\\\u0000-\u001f\u202a-\u202e\u2066-\u2069]/);
      expect(name.startsWith('.')).toBe(false);
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
    }
    const savedContents = saved.map((name) => readFileSync(join(out, name)).toString()).sort();
    expect(savedContents).toEqual(contents.map((c) => c.toString()).sort());
    // eslint-disable-next-line no-control-regex
    for (const line of bo.lines) expect(line).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u202a-\u202e\u2066-\u2069]/);
  });

  it('resumes a download cut mid-way from its .part (a Range request), and keeps it only when its SHA-256 matches', async () => {
    const host = await plainHost();
    const { path, data } = fileWith(folder(), 'video.bin', 8 * 1024 * 1024);
    const sender = joiner(`127.0.0.1:${host.port}`, 'Ada');
    await sender.waitForLine(/Joined/);
    sender.write(`/send ${path}`);
    sender.endInput();
    expect(await sender.exit).toBe(0);

    // The relay cuts the first connection that carries more than 3 MB towards the joiner.
    const relay = await startCuttingRelay(host.port, 3 * 1024 * 1024);
    const out = folder();
    const bo = joiner(`127.0.0.1:${relay.port}`, 'Bo');
    await bo.waitForLine(/Ada shared #1 video\.bin \(8\.4 MB\)/);
    bo.write(`/get 1 ${out}`);
    await bo.waitForLine(/!! #1 video\.bin was not saved: .* Type \/get 1 .* again to resume\./, 20_000);
    const kept = statSync(join(out, 'video.bin.part')).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(data.length);
    expect(relay.cut).toBe(1);

    const before = relay.down();
    bo.write(`/get 1 ${out}`);
    const saved = await bo.waitForLine(/-- saved #1 as .*video\.bin \(8\.4 MB, resumed at /, 20_000);
    expect(saved).toContain(join(out, 'video.bin'));
    expect(sha256(readFileSync(join(out, 'video.bin')))).toBe(sha256(data));
    expect(readdirSync(out)).toEqual(['video.bin']);
    // Only what was missing came the second time (plus headers).
    expect(relay.down() - before).toBeLessThan(data.length - kept + 64 * 1024);
    bo.endInput();
    expect(await bo.exit).toBe(1); // the first try failed, and said so
  });

  it('throws away a .part that holds other bytes, and fetches the file whole', async () => {
    const host = await plainHost();
    const sender = await FrameClient.join(host.url, 'Ada');
    cleanups.push(() => sender.close());
    const data = randomBytes(2 * 1024 * 1024);
    await share(sender, await tusUpload(host.origin, data, { token: () => sender.welcome!.files!.token, name: 'photo.raw', type: 'application/octet-stream' }));
    const out = folder();
    writeFileSync(join(out, 'photo.raw.part'), randomBytes(512 * 1024)); // an earlier try of another file

    const bo = joiner(`127.0.0.1:${host.port}`, 'Bo');
    await bo.waitForLine(/Ada shared #1 photo\.raw \(2\.1 MB\)/);
    bo.write(`/get 1 ${out}`);
    bo.endInput();
    expect(await bo.exit).toBe(0);
    expect(bo.lines).toContain(`-- saved #1 as ${join(out, 'photo.raw')} (2.1 MB)`); // not "resumed"
    expect(readFileSync(join(out, 'photo.raw')).equals(data)).toBe(true);
    expect(readdirSync(out)).toEqual(['photo.raw']);
  });

  it('shows a file the host deleted as deleted, and /get says so', async () => {
    const host = await plainHost();
    const sender = await FrameClient.join(host.url, 'Ada');
    cleanups.push(() => sender.close());
    const data = randomBytes(1000);
    const message = await share(sender, await tusUpload(host.origin, data, { token: () => sender.welcome!.files!.token, name: 'old.txt', type: 'text/plain' }));
    const bo = joiner(`127.0.0.1:${host.port}`, 'Bo');
    await bo.waitForLine(/Ada shared #1 old\.txt \(1\.0 KB\)/);
    expect(host.room.deleteFile(message.file!.id).ok).toBe(true);
    await bo.waitForLine(/-- #1 old\.txt was deleted by the host\./);
    bo.write(`/get 1 ${folder()}`);
    await bo.waitForLine(/!! #1 old\.txt was deleted by the host; there is nothing to save\./);
    // Someone joining now sees it deleted in the history.
    const cy = joiner(`127.0.0.1:${host.port}`, 'Cy');
    await cy.waitForLine(/Ada shared #1 old\.txt \(deleted by the host\)/);
  });

  it('finishes a /send across a host killed mid-upload: the upload resumes from what the host kept', async () => {
    const data = folder();
    const port = await freePort();
    const start = () => spawnHost(['--port', String(port), '--data', data]).then((h) => (procs.push(h.proc), h));
    const host = await start();
    // Slowed to ~4 MB/s towards the host, so the kill lands mid-way.
    const relay = await startCuttingRelay(port, Infinity, 4 * 1024 * 1024);
    const file = fileWith(folder(), 'backup.tar', 12 * 1024 * 1024);

    const ada = joiner(`127.0.0.1:${relay.port}`, 'Ada');
    await ada.waitForLine(/Joined/, 15_000);
    ada.write(`/send ${file.path}`);
    ada.endInput();
    const deadline = Date.now() + 20_000;
    while (relay.up() < 4 * 1024 * 1024 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const sentBeforeKill = relay.up();
    expect(sentBeforeKill).toBeGreaterThan(4 * 1024 * 1024);
    host.proc.kill('SIGKILL');
    await host.proc.exit;
    await start();

    expect(await ada.exit).toBe(0);
    expect(ada.lines.join('\n')).toMatch(/-- reconnected\n(.|\n)*-- uploaded backup\.tar \(13 MB in \d+ s\)/);
    // Resumed, not started again: the bytes sent in all are about the file's size, not size + what went before the kill.
    expect(relay.up()).toBeLessThan(file.data.length + sentBeforeKill / 2);

    const bo = joiner(`127.0.0.1:${port}`, 'Bo');
    const out = folder();
    const shown = await bo.waitForLine(/Ada shared #(\d+) backup\.tar/, 15_000);
    bo.write(`/get ${/#(\d+)/.exec(shown)![1]} ${out}`);
    bo.endInput();
    expect(await bo.exit).toBe(0);
    expect(sha256(readFileSync(join(out, 'backup.tar')))).toBe(sha256(file.data));
  });
});

describe('hearth join: leaving while a file is going up', { timeout: 60_000 }, () => {
  it('says the upload was not finished (Ctrl-C)', async () => {
    const host = await plainHost();
    const relay = await startCuttingRelay(host.port, Infinity, 1024 * 1024);
    const file = fileWith(folder(), 'slow.bin', 8 * 1024 * 1024);
    const ada = joiner(`127.0.0.1:${relay.port}`, 'Ada');
    await ada.waitForLine(/Joined/);
    ada.write(`/send ${file.path}`);
    await ada.waitForLine(/-- slow\.bin \[█/, 15_000); // a tenth is on the host
    ada.child.kill('SIGINT');
    expect(await ada.exit).toBe(1);
    expect(ada.errLines).toContain('hearth join: The upload of slow.bin was not finished; it was not shared.');
    expect(host.files!.usage()).toMatchObject({ files: 0, reservedBytes: 0 }); // the unfinished upload was removed
  });
});

/**
 * A relay to 127.0.0.1:`port` that counts bytes each way, cuts the first connection that
 * carries more than `cutAfter` bytes towards the client, and can slow what goes to the host.
 */
async function startCuttingRelay(port: number, cutAfter: number, upBytesPerSecond = Infinity) {
  let up = 0;
  let down = 0;
  let cut = 0;
  const carried = new WeakMap<RelayedConnection, number>();
  const relay = await startTcpRelay(
    { port },
    {
      upBytesPerSecond,
      onUp: (chunk) => void (up += chunk.length),
      onDown: (chunk, connection) => {
        const total = (carried.get(connection) ?? 0) + chunk.length;
        carried.set(connection, total);
        if (cut === 0 && total > cutAfter) {
          cut++;
          connection.cut();
          return false;
        }
        down += chunk.length;
        return true;
      },
    },
  );
  cleanups.push(() => relay.close());
  return {
    port: relay.port,
    up: () => up,
    down: () => down,
    get cut() {
      return cut;
    },
  };
}
