// The SHA-256 the host checks a file against, computed before the upload starts. In a
// worker with WebAssembly (hash-in-worker.ts), so a 2 GiB file is checked in seconds and
// the page never waits on it; where no worker can be started, on the page in JavaScript,
// a slice at a time with a turn for input and rendering between slices. Either way the
// file is never read whole into memory, and never refused for want of a worker.
import { hashSlices, type SliceOptions } from './hash-slices.ts';
import { javascriptSha256 } from './hashers.ts';
import { workerHasher, WorkerUnavailable } from './hash-in-worker.ts';

export { HashAborted } from './hash-slices.ts';

const hashInWorker = workerHasher();

/** Lowercase hex SHA-256 of the file; `onProgress(bytesDone)` after each slice. */
export async function sha256OfFile(
  file: Blob,
  options: { signal?: AbortSignal; onProgress?: (done: number) => void; sliceBytes?: number } = {},
): Promise<string> {
  try {
    return await hashInWorker(file, options);
  } catch (error) {
    if (!(error instanceof WorkerUnavailable)) throw error;
  }
  return hashOnPage(file, options);
}

/** The fallback: on the page's own thread. */
export function hashOnPage(file: Blob, options: Omit<SliceOptions, 'between'> = {}): Promise<string> {
  return hashSlices(file, javascriptSha256(), { ...options, between: nextTask });
}

// A task boundary, not a microtask: input and rendering run before the next slice.
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
