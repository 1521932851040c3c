import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sendRange } from './send-range.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const clean of cleanups.splice(0).reverse()) clean();
});

/** A file of random bytes, and a server that sends `range` of it and reports how that went. */
async function serving(bytes: Buffer, range: { start: number; end: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-send-range-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'file');
  writeFileSync(path, bytes);
  let outcome!: Promise<void>;
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-length': String(range.end - range.start + 1) });
    outcome = open(path, 'r').then((file) => sendRange(file, range.start, range.end, res));
    outcome.catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  return { url, outcome: () => outcome };
}

function fetchRaw(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => get(url, resolve).on('error', reject));
}

async function body(res: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const openFiles = () => readdirSync('/proc/self/fd').length;

describe('sendRange', () => {
  it('sends a whole file of several buffers, byte for byte', async () => {
    const bytes = randomBytes(5 * 64 * 1024 + 123);
    const s = await serving(bytes, { start: 0, end: bytes.length - 1 });
    expect((await body(await fetchRaw(s.url))).equals(bytes)).toBe(true);
    await expect(s.outcome()).resolves.toBeUndefined();
  });

  it('sends exactly the range asked for, from the middle', async () => {
    const bytes = randomBytes(300_000);
    const s = await serving(bytes, { start: 70_001, end: 200_000 });
    expect((await body(await fetchRaw(s.url))).equals(bytes.subarray(70_001, 200_001))).toBe(true);
  });

  it('waits for a slow reader instead of reading ahead, and finishes when it catches up', async () => {
    const bytes = randomBytes(8 * 1024 * 1024);
    const s = await serving(bytes, { start: 0, end: bytes.length - 1 });
    const res = await fetchRaw(s.url);
    res.pause();
    await new Promise((r) => setTimeout(r, 300));
    // Two buffers in flight and the socket's own buffers: nowhere near the 8 MiB file.
    let settled = false;
    void s.outcome().finally(() => (settled = true));
    expect(settled).toBe(false);
    expect((await body(res)).equals(bytes)).toBe(true);
    await expect(s.outcome()).resolves.toBeUndefined();
  });

  it('stops and closes the file when the reader goes away mid-way', async () => {
    const bytes = randomBytes(8 * 1024 * 1024);
    const before = openFiles();
    const s = await serving(bytes, { start: 0, end: bytes.length - 1 });
    const res = await fetchRaw(s.url);
    res.once('data', () => res.destroy());
    await expect(s.outcome()).rejects.toThrow(/went away|EPIPE|ECONNRESET|write after end|destroyed/);
    await new Promise((r) => setTimeout(r, 50));
    expect(openFiles()).toBeLessThanOrEqual(before + 1); // the server's listening socket at most
  });

  it('refuses a file shorter than the range it was asked for', async () => {
    const bytes = randomBytes(1000);
    const s = await serving(bytes, { start: 0, end: 1999 });
    const res = await fetchRaw(s.url);
    res.resume();
    await expect(s.outcome()).rejects.toThrow(/shorter/);
  });
});
