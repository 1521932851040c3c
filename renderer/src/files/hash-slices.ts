// The one loop that reads a file into a SHA-256 a slice at a time, shared by the hashing
// worker (hash-worker.ts) and the page's own fallback (hash.ts): only one slice is ever in
// memory, however large the file.

/** Bytes read per step: large enough that reading costs little, small enough to cancel at once. */
export const SLICE_BYTES = 2 * 1024 * 1024;

export class HashAborted extends Error {
  constructor() {
    super('Checking the file was cancelled.');
    this.name = 'HashAborted';
  }
}

/** A running SHA-256, whichever library computes it. */
export interface Sha256Hasher {
  update(bytes: Uint8Array): void;
  /** Lowercase hex. */
  digestHex(): string;
}

export interface SliceOptions {
  signal?: AbortSignal;
  /** After each slice, with the bytes hashed so far. */
  onProgress?: (done: number) => void;
  sliceBytes?: number;
  /** Awaited between slices: on the page, a turn for input and rendering. */
  between?: () => Promise<void>;
}

/**
 * Lowercase hex SHA-256 of `file`, read slice by slice; HashAborted once `signal` aborts.
 * The next slice is read while this one is hashed (reading a File goes through the browser's
 * own process): at most two slices are in memory.
 */
export async function hashSlices(file: Blob, hasher: Sha256Hasher, options: SliceOptions = {}): Promise<string> {
  const slice = options.sliceBytes ?? SLICE_BYTES;
  if (!Number.isInteger(slice) || slice <= 0) throw new RangeError(`A slice must be a whole number of bytes above zero, not ${slice}.`);
  const read = (at: number) => file.slice(at, Math.min(at + slice, file.size)).arrayBuffer();
  let next = file.size > 0 ? read(0) : undefined;
  try {
    for (let at = 0; next; at += slice) {
      if (options.signal?.aborted) throw new HashAborted();
      const bytes = new Uint8Array(await next);
      next = at + slice < file.size ? read(at + slice) : undefined;
      hasher.update(bytes);
      options.onProgress?.(at + bytes.length);
      await options.between?.();
    }
  } finally {
    // Stopped early: the read ahead is not wanted, nor its failure.
    next?.catch(() => undefined);
  }
  if (options.signal?.aborted) throw new HashAborted();
  return hasher.digestHex();
}
