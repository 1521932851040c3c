// Files under faults, against real hosts: the disk fills mid-upload, the host process is
// killed mid-upload and started again, a download is cut, one member floods the host with
// tiny files while another chats.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { downloadPath, TOKEN_HEADER, UPLOAD_PATH } from '../../../common/files.ts';
import { freePort, spawnHost, type Proc } from '../../../test/support/cli.ts';
import { creationHeaders, http, sha256, share, throttledFile, tusUpload, type TusFailure } from '../../../test/support/files.ts';
import { FrameClient, startTestHost, tempDir, until } from '../../../test/support/host.ts';
import type * as tus from 'tus-js-client';

type TestHost = Awaited<ReturnType<typeof startTestHost>>;
let host: TestHost | undefined;
const clients: FrameClient[] = [];
const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await host?.dispose();
  host = undefined;
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function member(url: string, name: string, clientId?: string): Promise<FrameClient & { token: string; downloadToken: string }> {
  const client = await FrameClient.join(url, name, clientId ? { clientId } : {});
  clients.push(client);
  return Object.assign(client, { token: client.welcome!.files!.token, downloadToken: client.welcome!.files!.downloadToken });
}

const isRoot = process.getuid?.() === 0;

describe('files under faults', () => {
  it('refuses an upload when the disk fills mid-way, removes what it had, and has nothing to share', async ({ skip }) => {
    if (!isRoot) skip('skipped: needs root to mount a tmpfs');
    const dirs = tempDir('hearth-tmpfs-');
    cleanups.push(() => dirs.remove());
    const small = join(dirs.path, 'disk');
    mkdirSync(small);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', small]);
    cleanups.push(() => void execFileSync('umount', ['-l', small]));
    // The quota would allow it: only the disk says no.
    host = await startTestHost({ files: { dir: small, quotaBytes: 100 * 1024 * 1024 } });
    const alice = await member(host.url, 'Alice');
    const data = randomBytes(6 * 1024 * 1024);
    let uploadUrl: string | null = null;
    const failure = (await tusUpload(host.origin, data, { token: () => alice.token, onStart: (u) => void setTimeout(() => (uploadUrl = u.url), 50) }).catch((e: TusFailure) => e)) as TusFailure;
    expect([failure.status, failure.body]).toEqual([507, "The host's disk is full, so this upload was removed. Nothing was kept.\n"]);
    expect(failure.body).toBe("The host's disk is full, so this upload was removed. Nothing was kept.\n");
    expect(readdirSync(join(small, 'uploads'))).toEqual([]);
    expect(readdirSync(join(small, 'finished'))).toEqual([]);
    expect(host.files!.usage()).toMatchObject({ usedBytes: 0, reservedBytes: 0, files: 0 });
    const id = uploadUrl ? String(uploadUrl).split('/').pop()! : '0123456789abcdef0123456789abcdef';
    await expect(share(alice, id)).rejects.toThrow(/no_such_upload/);
    // The space is free again: a file that fits goes through.
    const fits = randomBytes(1024 * 1024);
    const message = await share(alice, await tusUpload(host.origin, fits, { token: () => alice.token }));
    expect(message.file?.id).toBe(sha256(fits));
  });

  it('resumes an upload after the host process is killed mid-way, and the file arrives whole', { timeout: 60_000 }, async () => {
    const data = tempDir('hearth-killed-');
    cleanups.push(() => data.remove());
    const file = join(data.path, 'big.bin');
    const bytes = randomBytes(24 * 1024 * 1024);
    writeFileSync(file, bytes);
    const port = await freePort();
    const args = ['--port', String(port), '--data', join(data.path, 'room'), '--bind', '127.0.0.1'];
    let proc: Proc = (await spawnHost(args)).proc;
    cleanups.push(() => proc.kill('SIGKILL'));
    const url = `ws://127.0.0.1:${port}/ws`;
    const origin = `http://127.0.0.1:${port}`;
    const clientId = 'killed-host-test-client-1';
    let alice = await member(url, 'Alice', clientId);

    let upload: tus.Upload | undefined;
    const first = tusUpload(origin, bytes, { token: () => alice.token, hash: sha256(bytes), fileReader: throttledFile(file, 40 * 1024 * 1024), onStart: (u) => (upload = u) }).catch((e: TusFailure) => e);
    const uploads = join(data.path, 'room', 'files', 'uploads');
    const written = () => {
      const name = existsSync(uploads) ? readdirSync(uploads).find((n) => /^[0-9a-f]{32}$/.test(n)) : undefined;
      return name ? Number(execFileSync('stat', ['-c', '%s', join(uploads, name)]).toString()) : 0;
    };
    await until(() => written() > 4 * 1024 * 1024, 20_000, 'the host to have 4 MB of the upload');
    proc.kill('SIGKILL');
    await proc.exit;
    const failure = (await first) as TusFailure;
    expect(failure.message).toMatch(/ECONNRESET|socket hang up|EPIPE|ECONNREFUSED/);
    const uploadUrl = upload!.url!;

    proc = (await spawnHost(args)).proc;
    alice.close();
    alice = await member(url, 'Alice', clientId);
    const kept = await http('HEAD', `${origin}${new URL(uploadUrl, origin).pathname}`, { 'tus-resumable': '1.0.0', [TOKEN_HEADER]: alice.token });
    expect(kept.status).toBe(200);
    const offset = Number(kept.headers['upload-offset']);
    expect(offset).toBeGreaterThan(4 * 1024 * 1024 - 1);
    expect(offset).toBeLessThan(bytes.length);

    let resumedFrom: number | undefined;
    const id = await tusUpload(origin, bytes, { token: () => alice.token, uploadUrl, onProgress: (sent) => (resumedFrom ??= sent) });
    expect(id).toBe(uploadUrl.split('/').pop());
    expect(resumedFrom).toBeGreaterThanOrEqual(offset);
    const message = await share(alice, id);
    expect(message.file?.id).toBe(sha256(bytes));
    const down = await http('GET', `${origin}${downloadPath(message.seq, alice.downloadToken)}`);
    expect(sha256(down.body)).toBe(sha256(bytes));
  });

  it('resumes a download cut mid-way with a Range request, and the bytes match', async () => {
    host = await startTestHost({ withFiles: true });
    const alice = await member(host.url, 'Alice');
    const data = randomBytes(8 * 1024 * 1024);
    const message = await share(alice, await tusUpload(host.origin, data, { token: () => alice.token }));
    const url = `${host.origin}${downloadPath(message.seq, alice.downloadToken)}`;
    const firstPart = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let got = 0;
      const req = request(url, (res) => {
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          got += chunk.length;
          if (got >= 1024 * 1024) {
            req.destroy(); // the connection is cut here
            resolve(Buffer.concat(chunks));
          }
        });
      });
      req.on('error', (e) => (got >= 1024 * 1024 ? undefined : reject(e)));
      req.end();
    });
    expect(firstPart.length).toBeLessThan(data.length);
    const rest = await http('GET', url, { range: `bytes=${firstPart.length}-`, 'if-range': `"${sha256(data)}"` });
    expect(rest.status).toBe(206);
    expect(rest.headers['content-range']).toBe(`bytes ${firstPart.length}-${data.length - 1}/${data.length}`);
    expect(sha256(Buffer.concat([firstPart, rest.body]))).toBe(sha256(data));
    // The room is fine afterwards.
    alice.send({ type: 'chat', id: 'after', text: 'still here' });
    await alice.take((f): f is Extract<typeof f, { type: 'ack' }> => f.type === 'ack' && f.id === 'after');
  });

  it('answers 404 with its sentence, not a 200 cut short, for a file gone from the disk a moment ago', async () => {
    host = await startTestHost({ withFiles: true });
    const alice = await member(host.url, 'Alice');
    const data = randomBytes(300_000);
    const message = await share(alice, await tusUpload(host.origin, data, { token: () => alice.token }));
    const url = `${host.origin}${downloadPath(message.seq, alice.downloadToken)}`;
    expect((await http('GET', url)).status).toBe(200);
    // Gone from under the host (as between a download's checks and its read, when the file is deleted).
    unlinkSync(join(host.files!.dir, sha256(data)));
    const gone = await http('GET', url);
    expect([gone.status, gone.body.toString()]).toEqual([404, 'This file is no longer on the host.\n']);
    // The room goes on.
    alice.send({ type: 'chat', id: 'after', text: 'still here' });
    await alice.take((f): f is Extract<typeof f, { type: 'ack' }> => f.type === 'ack' && f.id === 'after');
  });

  it('holds the open-upload limit and the quota, with Retry-After and a sentence', async () => {
    host = await startTestHost({ withFiles: { quotaBytes: 10_000 } });
    const alice = await member(host.url, 'Alice');
    const post = (length: number) => http('POST', `${host!.origin}${UPLOAD_PATH}`, creationHeaders(alice.token, length, { name: 'a', sha256: sha256('a') }));
    for (let i = 0; i < 4; i++) expect((await post(10)).status).toBe(201);
    const fifth = await post(10);
    expect(fifth.status).toBe(429);
    expect(Number(fifth.headers['retry-after'])).toBeGreaterThan(0);
    expect(fifth.body.toString()).toBe('You have 4 uploads not shared yet; share, cancel or finish one first.\n');

    const bob = await member(host.url, 'Bob');
    const big = await http('POST', `${host.origin}${UPLOAD_PATH}`, creationHeaders(bob.token, 9_961, { name: 'b', sha256: sha256('b') }));
    expect(big.status).toBe(507);
    expect(big.body.toString()).toBe("The room's file space is full (40 B of 10 KB used); this file needs 1 B more.\n");
    expect((await http('POST', `${host.origin}${UPLOAD_PATH}`, creationHeaders(bob.token, 9_960, { name: 'b', sha256: sha256('b') }))).status).toBe(201);
    expect(host.files!.usage()).toMatchObject({ reservedBytes: 10_000, quotaBytes: 10_000 });
  });

  it('takes 1,000 tiny files from one member within the rate limit and the quota, while another member chats at full speed', { timeout: 60_000 }, async () => {
    host = await startTestHost({ withFiles: { quotaBytes: 200 * 1024 } });
    const alice = await member(host.url, 'Alice');
    const bob = await member(host.url, 'Bob');
    const started = Date.now();
    const statuses = new Map<number, number>();
    let retryAfterMissing = 0;
    let sent = 0;
    let stop = false;
    // Each tiny file is one request (tus creation-with-upload): eight at a time, 1,000 in all, at most 20 s.
    const flood = async () => {
      while (!stop && sent < 1000 && Date.now() - started < 20_000) {
        const body = randomBytes(1024);
        sent++;
        const answer = await http('POST', `${host!.origin}${UPLOAD_PATH}`, { ...creationHeaders(alice.token, body.length, { name: `tiny-${sent}.bin`, sha256: sha256(body) }), 'content-type': 'application/offset+octet-stream' }, body);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (answer.status === 429 && !(Number(answer.headers['retry-after']) > 0)) retryAfterMissing++;
      }
    };
    const rtts: number[] = [];
    const chat = async () => {
      for (let i = 0; i < 200 && !stop && Date.now() - started < 20_000; i++) {
        const t0 = performance.now();
        bob.send({ type: 'chat', id: `bob-${i}`, text: `message ${i}` });
        await bob.take((f): f is Extract<typeof f, { type: 'ack' }> => f.type === 'ack' && f.id === `bob-${i}`, 5000, `ack bob-${i}`);
        rtts.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await Promise.all([...Array.from({ length: 8 }, flood), chat().finally(() => (stop = sent >= 1000))]);
    stop = true;
    const seconds = (Date.now() - started) / 1000;
    const accepted = statuses.get(201) ?? 0;
    // Burst 20, then 2 a second (and never past the quota: 200 files of 1 KiB).
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThanOrEqual(20 + Math.ceil(2 * seconds) + 1);
    expect(statuses.get(429) ?? 0).toBeGreaterThan(500);
    expect(retryAfterMissing).toBe(0);
    expect([...statuses.keys()].every((s) => s === 201 || s === 429 || s === 507)).toBe(true);
    const usage = host.files!.usage();
    expect(usage.usedBytes + usage.reservedBytes).toBeLessThanOrEqual(usage.quotaBytes);
    // Bob's messages went round quickly all along.
    expect(rtts.length).toBeGreaterThan(20);
    const sorted = [...rtts].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length * 0.99)]).toBeLessThan(250);
  });
});
