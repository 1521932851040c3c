// The SHA-256 the host checks a file against, computed in the page a slice at a time: the
// file is never read whole into memory, and the page gets a turn between slices so typing
// and scrolling stay smooth while a large file is checked.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

const SLICE_BYTES = 2 * 1024 * 1024;

export class HashAborted extends Error {
  constructor() {
    super('Checking the file was cancelled.');
    this.name = 'HashAborted';
  }
}

/** Lowercase hex SHA-256 of the file; `onProgress(bytesDone)` after each slice. */
export async function sha256OfFile(
  file: Blob,
  options: { signal?: AbortSignal; onProgress?: (done: number) => void; sliceBytes?: number } = {},
): Promise<string> {
  const slice = options.sliceBytes ?? SLICE_BYTES;
  const hash = sha256.create();
  for (let at = 0; at < file.size; at += slice) {
    if (options.signal?.aborted) throw new HashAborted();
    const bytes = new Uint8Array(await file.slice(at, Math.min(at + slice, file.size)).arrayBuffer());
    hash.update(bytes);
    options.onProgress?.(Math.min(at + slice, file.size));
    // A task boundary, not a microtask: input and rendering run before the next slice.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  if (options.signal?.aborted) throw new HashAborted();
  return bytesToHex(hash.digest());
}
