// An upload's life around restarts and time: finished before a restart and shared after it,
// checked at start when the host stopped between its last byte and its check, expired when
// nobody finished or shared it, cut when its sender goes silent.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { downloadPath, TOKEN_HEADER, UPLOAD_PATH } from '../../../common/files.ts';
import { creationHeaders, http, sha256, share, tusUpload } from '../../../test/support/files.ts';
import { FrameClient, startTestHost, tempDirsPerTest } from '../../../test/support/host.ts';
import type { HostOptions } from '../server.ts';

const tempDir = tempDirsPerTest('hearth-files-life-');
const hosts: Array<Awaited<ReturnType<typeof startTestHost>>> = [];
const clients: FrameClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const h of hosts.splice(0)) await h.dispose();
});

async function startOn(dir: string, extra: Partial<HostOptions> = {}) {
  const host = await startTestHost({ files: { dir }, ...extra });
  hosts.push(host);
  return host;
}

async function member(host: { url: string }, name: string, clientId = `client-of-${name.toLowerCase()}-0001`) {
  const client = await FrameClient.join(host.url, name, { clientId });
  clients.push(client);
  return Object.assign(client, { token: client.welcome!.files!.token, downloadToken: client.welcome!.files!.downloadToken });
}

describe('uploads over time', () => {
  it('keeps a finished upload across a host restart: shared after it, downloaded whole', async () => {
    const dir = tempDir();
    const first = await startOn(dir);
    const alice = await member(first, 'Alice');
    const data = randomBytes(300_000);
    const upload = await tusUpload(first.origin, data, { token: () => alice.token, name: 'notes.txt', type: 'text/plain' });
    alice.close();
    await first.close();

    const second = await startOn(dir);
    const again = await member(second, 'Alice');
    const message = await share(again, upload);
    expect(message.file).toMatchObject({ id: sha256(data), name: 'notes.txt', type: 'text/plain', size: data.length });
    expect(sha256((await http('GET', `${second.origin}${downloadPath(message.seq, again.downloadToken)}`)).body)).toBe(sha256(data));
    // A retried share of the same upload gets the same file; the upload itself is gone from tus.
    expect((await share(again, upload)).file?.id).toBe(sha256(data));
    expect(readdirSync(join(dir, 'uploads'))).toEqual([]);
  });

  it('checks at start an upload whose last byte landed just before the host stopped', async () => {
    const dir = tempDir();
    const first = await startOn(dir);
    const alice = await member(first, 'Alice');
    const data = randomBytes(100_000);
    const upload = await tusUpload(first.origin, data, { token: () => alice.token });
    alice.close();
    await first.close();
    // As if the host had died between writing the last byte and recording the check.
    rmSync(join(dir, 'finished', `${upload}.json`));

    const second = await startOn(dir);
    await second.files!.recovered;
    const again = await member(second, 'Alice');
    expect((await share(again, upload)).file?.id).toBe(sha256(data));
  });

  it('removes unfinished uploads after a day and unshared ones after an hour, and keeps shared files', async () => {
    // Idle uploads are the next test's: here an unfinished one lives out its day.
    const dir = tempDir();
    const host = await startOn(dir, { files: { dir, limits: { idleMs: 48 * 60 * 60 * 1000 } } });
    const alice = await member(host, 'Alice');
    const created = await http('POST', `${host.origin}${UPLOAD_PATH}`, creationHeaders(alice.token, 1000, { name: 'a', sha256: sha256('a') }));
    const unfinished = String(created.headers.location).split('/').pop()!;
    const unshared = await tusUpload(host.origin, randomBytes(500), { token: () => alice.token });
    const sharedData = randomBytes(700);
    const shared = await share(alice, await tusUpload(host.origin, sharedData, { token: () => alice.token }));
    expect(host.files!.usage()).toMatchObject({ usedBytes: 700, reservedBytes: 1500 });

    await host.files!.sweep(Date.now() + 2 * 60 * 60 * 1000);
    expect(host.files!.usage()).toMatchObject({ usedBytes: 700, reservedBytes: 1000 });
    await expect(share(alice, unshared)).rejects.toThrow(/no_such_upload/);
    await host.files!.sweep(Date.now() + 25 * 60 * 60 * 1000);
    expect(host.files!.usage()).toMatchObject({ usedBytes: 700, reservedBytes: 0, files: 1 });
    expect(existsSync(join(host.files!.dir, 'uploads', unfinished))).toBe(false);
    expect(readdirSync(join(host.files!.dir, 'uploads'))).toEqual([]);
    expect(sha256((await http('GET', `${host.origin}${downloadPath(shared.seq, alice.downloadToken)}`)).body)).toBe(sha256(sharedData));
  });

  it('cuts an upload whose sender goes silent mid-body, keeping what arrived to resume from', async () => {
    const host = await startTestHost({ files: { dir: tempDir(), idleTimeoutMs: 500 } });
    hosts.push(host);
    const alice = await member(host, 'Alice');
    const created = await http('POST', `${host.origin}${UPLOAD_PATH}`, creationHeaders(alice.token, 100_000, { name: 'a', sha256: sha256('a') }));
    const location = String(created.headers.location);
    const closedAfter = await new Promise<number>((resolve) => {
      const started = Date.now();
      const socket = connect(host.port, '127.0.0.1', () => {
        socket.write(
          `PATCH ${location} HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: 100000\r\n${TOKEN_HEADER}: ${alice.token}\r\n\r\n`,
        );
        socket.write(Buffer.alloc(1000, 7)); // then nothing more
      });
      socket.on('error', () => {});
      socket.on('close', () => resolve(Date.now() - started));
      setTimeout(() => socket.destroy(), 10_000);
    });
    expect(closedAfter).toBeLessThan(5000);
    const state = await http('HEAD', `${host.origin}${location}`, { 'tus-resumable': '1.0.0', [TOKEN_HEADER]: alice.token });
    expect(state.headers['upload-offset']).toBe('1000');
  });
});
