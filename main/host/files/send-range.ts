// Sends bytes start..end (inclusive) of an open file into an HTTP response through two 64 KiB
// buffers of its own, used in turn. createReadStream allocates a fresh buffer for every read:
// a gigabyte sent is 16,000 buffers of garbage that V8 frees only when its external-memory
// pressure forces a full collection of the host's whole heap (measured: +30–50 MB of RSS
// during a 1 GiB download, and GC pauses that the room's chat feels). Here a buffer is read
// into again only once the socket has taken what it held (the write's callback), so a
// download holds 128 KiB however long it runs, and the reader never outpaces the network.
import type { FileHandle } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';

const BUFFER_BYTES = 64 * 1024;

/**
 * Resolves when every byte was handed to the socket; rejects if the reader left or the read
 * failed. Takes the file: it is closed either way.
 */
export async function sendRange(file: FileHandle, start: number, end: number, res: ServerResponse): Promise<void> {
  try {
    await pump(file, start, end + 1, res);
  } finally {
    await file.close().catch(() => {});
  }
}

async function pump(file: FileHandle, from: number, to: number, res: ServerResponse): Promise<void> {
  const buffers = [Buffer.allocUnsafeSlow(BUFFER_BYTES), Buffer.allocUnsafeSlow(BUFFER_BYTES)];
  /** The write each buffer is in, if any: it may be read into again once that settles. */
  const inFlight: Array<Promise<void> | undefined> = [undefined, undefined];
  let position = from;
  for (let turn = 0; position < to; turn ^= 1) {
    await inFlight[turn];
    if (res.destroyed) throw new Error('the reader went away');
    const buffer = buffers[turn]!;
    const { bytesRead } = await file.read(buffer, 0, Math.min(BUFFER_BYTES, to - position), position);
    if (bytesRead === 0) throw new Error('the file is shorter than it was said to be');
    position += bytesRead;
    const writing = written(res, buffer.subarray(0, bytesRead));
    writing.catch(() => {}); // seen when its turn comes, or below
    inFlight[turn] = writing;
  }
  await Promise.all(inFlight);
  await new Promise<void>((resolve) => {
    res.once('close', resolve);
    res.end(resolve);
  });
}

/**
 * One write, settled when the socket took it or the reader left. Each write listens for the
 * close itself and stops listening when it settles: a promise raced against one long-lived
 * "closed" promise would keep every turn's reaction alive for the whole download.
 */
function written(res: ServerResponse, chunk: Buffer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const left = () => reject(new Error('the reader went away'));
    res.once('close', left);
    res.write(chunk, (error) => {
      res.off('close', left);
      if (error) reject(error);
      else resolve();
    });
  });
}
