// The page's side of the hashing worker (hash-in-worker.ts) against the worker's own handler
// (hash-jobs.ts) with hash-wasm, over a real MessageChannel: Node has no Web Worker, and a
// MessagePort clones a Blob as a worker's postMessage does. The browser journey
// (e2e/journeys/files.spec.ts) runs the real worker.
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { hashJobs, WORKER_SLICE_BYTES, type HashReply, type HashRequest } from './hash-jobs.ts';
import { workerHasher, WorkerUnavailable, type OpenHashChannel } from './hash-in-worker.ts';
import { HashAborted } from './hash-slices.ts';
import { wasmSha256 } from './hashers.ts';

const nodeSha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Every channel opened in a test, to check each was let go and to close them after. */
let opened: { port: MessagePort; closed: boolean; broken: () => void }[] = [];

const overMessageChannel: OpenHashChannel = (onReply, onBroken) => {
  const { port1: page, port2: worker } = new MessageChannel();
  const handle = hashJobs((reply) => worker.postMessage(reply), wasmSha256);
  worker.onmessage = (event: MessageEvent<HashRequest>) => handle(event.data);
  page.onmessage = (event: MessageEvent<HashReply>) => onReply(event.data);
  const record = { port: page, closed: false, broken: onBroken };
  opened.push(record);
  return {
    send: (request) => page.postMessage(request),
    close: () => {
      record.closed = true;
      page.close();
      worker.close();
    },
  };
};

afterEach(() => {
  for (const { port } of opened) port.close();
  opened = [];
});

describe('checking files in a worker', () => {
  it('hashes several files in one worker, in order, each with its own progress, and lets the worker go when done', async () => {
    const hash = workerHasher(overMessageChannel);
    const files = [randomBytes(3 * 1024 * 1024 + 5), randomBytes(1), new Uint8Array(0)];
    const progress = files.map(() => [] as number[]);
    const finished: number[] = [];
    const hexes = await Promise.all(
      files.map(async (bytes, i) => {
        const hex = await hash(new Blob([bytes]), { sliceBytes: 1024 * 1024, onProgress: (done) => progress[i]!.push(done) });
        finished.push(i);
        return hex;
      }),
    );
    expect(hexes).toEqual(files.map(nodeSha256));
    // One after another: the first attached is ready to upload first, not last with the others.
    expect(finished).toEqual([0, 1, 2]);
    expect(progress[0]).toEqual([1, 2, 3].map((n) => n * 1024 * 1024).concat(files[0]!.length));
    expect(progress[1]).toEqual([1]);
    expect(opened.length).toBe(1);
    expect(opened[0]!.closed).toBe(true);
  });

  it('cancels one file without disturbing another', async () => {
    const hash = workerHasher(overMessageChannel);
    const controller = new AbortController();
    const big = new Blob([randomBytes(8 * 1024 * 1024)]);
    const kept = randomBytes(2 * 1024 * 1024);
    const seen: number[] = [];
    const cancelled = hash(big, { sliceBytes: 256 * 1024, signal: controller.signal, onProgress: (done) => seen.push(done) === 2 && controller.abort() });
    const other = hash(new Blob([kept]), { sliceBytes: 256 * 1024 });
    await expect(cancelled).rejects.toBeInstanceOf(HashAborted);
    expect(await other).toBe(nodeSha256(kept));
    expect(seen.length).toBeLessThan(32); // it stopped long before the end
  });

  it('reads a file in the worker\'s larger slices unless told otherwise', async () => {
    const hash = workerHasher(overMessageChannel);
    const bytes = randomBytes(WORKER_SLICE_BYTES + 1);
    const seen: number[] = [];
    expect(await hash(new Blob([bytes]), { onProgress: (done) => seen.push(done) })).toBe(nodeSha256(bytes));
    expect(seen).toEqual([WORKER_SLICE_BYTES, bytes.length]);
  });

  it('rejects with the reader\'s words when the file cannot be read, and goes on with the next', async () => {
    // What a browser does when the file was moved or deleted after it was attached.
    const vanished = {
      size: 10,
      slice: () => ({ arrayBuffer: () => Promise.reject(new DOMException('The file could not be read.', 'NotReadableError')) }),
    } as unknown as Blob;
    const hash = workerHasher((onReply, onBroken) => {
      const channel = overMessageChannel(onReply, onBroken);
      // The worker gets a clone of the file; this one vanishes on its way there.
      return { ...channel, send: (request) => (request.type === 'hash' && request.file.size === 10 ? readVanished(request.id, vanished, onReply) : channel.send(request)) };
    });
    await expect(hash(new Blob(['0123456789']))).rejects.toThrow('The file could not be read.');
    expect(await hash(new Blob(['abc']))).toBe(nodeSha256(new TextEncoder().encode('abc')));
  });

  it('rejects with WorkerUnavailable when no worker can be started, and stops trying', async () => {
    let attempts = 0;
    const hash = workerHasher(() => {
      attempts++;
      throw new DOMException('Refused by the Content Security Policy.', 'SecurityError');
    });
    await expect(hash(new Blob(['a']))).rejects.toBeInstanceOf(WorkerUnavailable);
    await expect(hash(new Blob(['b']))).rejects.toBeInstanceOf(WorkerUnavailable);
    expect(attempts).toBe(1);
  });

  it('hands every file still being checked back when the worker dies', async () => {
    const hash = workerHasher(overMessageChannel);
    const first = hash(new Blob([randomBytes(4 * 1024 * 1024)]), { sliceBytes: 64 * 1024, onProgress: () => opened[0]!.broken() });
    const second = hash(new Blob([randomBytes(1024)]));
    await expect(first).rejects.toBeInstanceOf(WorkerUnavailable);
    await expect(second).rejects.toBeInstanceOf(WorkerUnavailable);
    await expect(hash(new Blob(['c']))).rejects.toBeInstanceOf(WorkerUnavailable);
    expect(opened[0]!.closed).toBe(true);
  });
});

/** The worker's own handler, reading a file that is gone. */
function readVanished(id: number, file: Blob, onReply: (reply: HashReply) => void): void {
  hashJobs(onReply, wasmSha256)({ type: 'hash', id, file });
}
