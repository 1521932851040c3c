// What the hashing worker does with its messages, apart from the worker itself so it is
// tested under Node over a real MessageChannel. Files are checked one after another, in the
// order they were attached: the first can start uploading while the next is checked, and
// memory holds the slices of one file at a time.
import { HashAborted, hashSlices, type Sha256Hasher } from './hash-slices.ts';

/**
 * Larger than the page's slices: nothing here waits on input, and each read of a File costs
 * a round trip to the browser's process (8 MiB reads measured ~2x faster than 2 MiB ones in
 * Chromium). Two slices at most are held: 16 MiB.
 */
export const WORKER_SLICE_BYTES = 8 * 1024 * 1024;

export type HashRequest =
  | { type: 'hash'; id: number; file: Blob; sliceBytes?: number }
  | { type: 'cancel'; id: number };

export type HashReply =
  | { type: 'progress'; id: number; done: number }
  | { type: 'done'; id: number; sha256: string }
  /** The file could not be read (moved, deleted, no longer permitted). */
  | { type: 'unreadable'; id: number; message: string };

/** A message handler that hashes each requested file and posts its progress and result. */
export function hashJobs(post: (reply: HashReply) => void, makeHasher: () => Promise<Sha256Hasher>): (request: HashRequest) => void {
  const running = new Map<number, AbortController>();
  let queue = Promise.resolve();
  const run = async (id: number, file: Blob, sliceBytes: number | undefined, signal: AbortSignal) => {
    try {
      const slices = { signal, sliceBytes: sliceBytes ?? WORKER_SLICE_BYTES, onProgress: (done: number) => post({ type: 'progress', id, done }) };
      const sha256 = await hashSlices(file, await makeHasher(), slices);
      post({ type: 'done', id, sha256 });
    } catch (error) {
      if (!(error instanceof HashAborted)) post({ type: 'unreadable', id, message: error instanceof Error ? error.message : String(error) });
    } finally {
      running.delete(id);
    }
  };
  return (request) => {
    if (request.type === 'cancel') return running.get(request.id)?.abort();
    const controller = new AbortController();
    running.set(request.id, controller);
    // run() settles every job itself (done, unreadable or cancelled): the queue never rejects.
    queue = queue.then(() => run(request.id, request.file, request.sliceBytes, controller.signal));
  };
}
