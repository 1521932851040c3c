// The files bench (bench/files.ts) measures what it says: its baseline server stores and
// serves the bytes it is given; against Hearth's host its tus upload lands whole and
// verified (the share is acked) and its download gives the same bytes back, on plain http
// and pinned https; a transfer that fails stops the bench with the reason rather than a
// figure. Real child processes and a real host over 127.0.0.1, a small file.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinAsOwner, makeTestFile, startPlainServer, transfer } from '../bench/files.ts';
import { downloadPath, UPLOAD_PATH } from '../common/files.ts';
import { loadOrCreateIdentity } from '../main/host/identity.ts';
import { startTestHost, tempDir } from './support/host.ts';

const SIZE = 3 * 1024 * 1024 + 17;

describe('the plain file server, through the bench client', () => {
  const dir = tempDir('hearth-bench-files-');
  let server: Awaited<ReturnType<typeof startPlainServer>>;
  let file: ReturnType<typeof makeTestFile>;

  beforeAll(async () => {
    file = makeTestFile(dir.path, SIZE);
    server = await startPlainServer(dir.path);
  });
  afterAll(async () => {
    await server?.stop();
    dir.remove();
  });

  it('keeps the file it was given and gives the same bytes back, timed', async () => {
    const up = await transfer({ op: 'put', url: `${server.base}/stored`, file: file.path, size: SIZE }, server.pid);
    expect(up.bytes).toBe(SIZE);
    expect(readFileSync(join(dir.path, 'stored')).equals(readFileSync(file.path))).toBe(true);
    const down = await transfer({ op: 'get', url: `${server.base}/stored`, size: SIZE }, server.pid);
    expect(down.bytes).toBe(SIZE);
    for (const t of [up, down]) {
      expect(t.seconds).toBeGreaterThan(0);
      expect(t.mbPerSecond).toBeCloseTo(SIZE / 1e6 / t.seconds, 6);
      expect(t.rss.idleMb).toBeGreaterThan(0);
      expect(t.rss.peakMb).toBeGreaterThanOrEqual(t.rss.idleMb);
    }
    // Fewer bytes than promised is a failure, not a figure.
    await expect(transfer({ op: 'get', url: `${server.base}/stored`, size: SIZE + 1 }, server.pid)).rejects.toThrow(`gave ${SIZE} bytes, not ${SIZE + 1}`);
  });

  it('stops with the reason when a transfer fails, not with a figure', async () => {
    await expect(transfer({ op: 'get', url: `${server.base}/missing`, size: SIZE }, server.pid)).rejects.toThrow(/get transfer failed: .*GET answered 404/);
    await expect(transfer({ op: 'get', url: `${server.base}/..%2Fescape`, size: SIZE }, server.pid)).rejects.toThrow(/GET answered 404/);
  });
});

describe("Hearth's host, through the bench client", () => {
  const dir = tempDir('hearth-bench-files-');
  let file: ReturnType<typeof makeTestFile>;
  let host: Awaited<ReturnType<typeof startTestHost>>;
  let fingerprint: string;

  beforeAll(async () => {
    file = makeTestFile(dir.path, SIZE);
    const identity = await loadOrCreateIdentity(join(dir.path, 'identity'));
    fingerprint = identity.fingerprint;
    host = await startTestHost({ withFiles: true, tls: { key: identity.key, cert: identity.cert } });
  });
  afterAll(async () => {
    await host?.dispose();
    dir.remove();
  });

  it('uploads with tus-js-client in one PATCH and downloads the same bytes, on http and pinned https', async () => {
    const owner = await joinAsOwner(host.url);
    try {
      for (const base of [host.origin, host.origin.replace('http:', 'https:')]) {
        const tls = base.startsWith('https:') ? { fingerprint } : {};
        const up = await transfer({ op: 'tus', endpoint: `${base}${UPLOAD_PATH}`, file: file.path, size: SIZE, token: owner.token, metadata: { name: 'bench.bin', type: 'application/octet-stream', sha256: file.sha256 }, ...tls }, process.pid);
        expect(up.bytes).toBe(SIZE);
        const seq = await owner.share(up.uploadId!);
        expect(seq).toBeGreaterThan(0);
        const down = await transfer({ op: 'get', url: `${base}${downloadPath(seq, owner.downloadToken)}`, size: SIZE, ...tls }, process.pid);
        expect(down.bytes).toBe(SIZE);
      }
      // What the host keeps is the file itself (content-addressed by its hash).
      expect(createHash('sha256').update(readFileSync(join(host.files!.dir, file.sha256))).digest('hex')).toBe(file.sha256);
    } finally {
      owner.close();
    }
  });

  it("refuses an upload whose hash is not the file's, and the bench says so", async () => {
    const owner = await joinAsOwner(host.url);
    try {
      const wrong = { name: 'bench.bin', type: 'application/octet-stream', sha256: '0'.repeat(64) };
      await expect(transfer({ op: 'tus', endpoint: `${host.origin}${UPLOAD_PATH}`, file: file.path, size: SIZE, token: owner.token, metadata: wrong }, process.pid)).rejects.toThrow(/tus transfer failed: .*460/);
    } finally {
      owner.close();
    }
  });
});
