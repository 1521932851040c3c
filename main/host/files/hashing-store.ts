// @tus/file-store's FileStore, writing each PATCH body to `<dir>/uploads/<id>` as it arrives
// and hashing exactly the bytes that reached the file, so the SHA-256 is known the moment the
// last byte lands (no second read of a 2 GiB file). The running hash lives in memory; after
// a host restart (or a write that failed half-way) it is rebuilt by reading what the file
// holds. A write the disk refuses removes the whole upload: a partial file is never kept.
// It takes the chunks it is given (a request's body, which nothing else reads): once on disk
// and hashed, their memory is released at once (see `release`).
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, mkdirSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileStore } from '@tus/file-store';
import type { Upload } from '@tus/server';
import { DISK_FULL, isDiskFull, Refusal } from './refusal.ts';

interface RunningHash {
  hash: Hash;
  /** Bytes hashed so far: the file's length when they were. */
  offset: number;
}

export class HashingFileStore extends FileStore {
  readonly #hashes = new Map<string, RunningHash>();
  readonly #onRemoved: (uploadId: string) => void;

  constructor(options: { directory: string; onRemoved: (uploadId: string) => void }) {
    super({ directory: options.directory });
    this.#onRemoved = options.onRemoved;
  }

  dataPath(uploadId: string): string {
    return join(this.directory, uploadId);
  }

  override async create(upload: Upload): Promise<Upload> {
    try {
      const created = await super.create(upload);
      this.#hashes.set(upload.id, { hash: createHash('sha256'), offset: 0 });
      return created;
    } catch (error) {
      await this.remove(upload.id).catch(() => {});
      throw isDiskFull(error) ? new Refusal(507, DISK_FULL) : error;
    }
  }

  override async write(readable: Readable, uploadId: string, offset: number): Promise<number> {
    const path = this.dataPath(uploadId);
    const running = await this.#hashAt(uploadId, offset);
    this.#hashes.delete(uploadId); // in flux until this write ends
    const file = await open(path, 'r+');
    const sink = new HashingFileWriter(file, offset, running.hash);
    try {
      await pipeline(readable, sink);
    } catch (error) {
      if (sink.failure !== undefined) {
        await file.close().catch(() => {});
        await this.remove(uploadId).catch(() => {});
        throw sink.failure;
      }
      // The sender stopped or sent too much: what reached the file stays, hashed, to resume from.
      this.#hashes.set(uploadId, { hash: running.hash, offset: sink.position });
      throw error;
    } finally {
      await file.close().catch(() => {});
    }
    this.#hashes.set(uploadId, { hash: running.hash, offset: sink.position });
    return sink.position;
  }

  /** The SHA-256 (hex) of a finished upload's `size` bytes. */
  async digest(uploadId: string, size: number): Promise<string> {
    const running = await this.#hashAt(uploadId, size);
    this.#hashes.delete(uploadId);
    return running.hash.digest('hex');
  }

  override async remove(uploadId: string): Promise<void> {
    this.#hashes.delete(uploadId);
    try {
      await super.remove(uploadId);
    } finally {
      this.#onRemoved(uploadId);
    }
  }

  /** Forget an upload's running hash (its data moved away or it expired). */
  forget(uploadId: string): void {
    this.#hashes.delete(uploadId);
  }

  /** The hash of the file's first `offset` bytes: the running one, or read from disk. */
  async #hashAt(uploadId: string, offset: number): Promise<RunningHash> {
    const running = this.#hashes.get(uploadId);
    if (running && running.offset === offset) return running;
    const hash = createHash('sha256');
    if (offset > 0) {
      for await (const chunk of createReadStream(this.dataPath(uploadId), { start: 0, end: offset - 1 })) hash.update(chunk as Buffer);
    }
    return { hash, offset };
  }
}

// @tus/file-store's constructor makes its folder with an async fs.mkdir whose callback throws:
// a failure (a folder removed at once, no permission) would be an uncaught exception that
// stops the host. Made synchronously instead, so a failure is the constructor's own error.
// (A small patch of a private method; upstream's code carries a TODO saying as much.)
Object.defineProperty(HashingFileStore.prototype, 'checkOrCreateDirectory', {
  value(this: FileStore) {
    mkdirSync(this.directory, { recursive: true });
  },
});

/**
 * A chunk of the request body, on disk and hashed, is garbage; but V8 frees a buffer's memory
 * only when a collection finds it dead, and a gigabyte of 64 KiB socket reads outruns the
 * young generation: without this, each upload left 25–60 MB of dead buffers for full
 * collections of the host's whole heap to find, pausing the room's chat (measured in
 * `npm run bench`). Detaching the buffer's memory (ArrayBuffer.prototype.transfer) returns it
 * at once. Only a chunk that is its memory's sole view is released: a slice shares its memory
 * with others, and Node's pooled buffers cannot be detached (the call throws; they stay).
 */
function release(chunk: Buffer): void {
  if (chunk.byteOffset !== 0 || chunk.byteLength !== chunk.buffer.byteLength) return;
  try {
    (chunk.buffer as ArrayBuffer).transfer(0);
  } catch {
    // not detachable: the collector frees it
  }
}

/** Writes at a position in an open file, and hashes each chunk once the disk took it. */
class HashingFileWriter extends Writable {
  readonly #file: FileHandle;
  readonly #hash: Hash;
  position: number;
  /** The disk refused a write (the upload is then removed), in words; undefined while all went well. */
  failure: Refusal | undefined;

  constructor(file: FileHandle, position: number, hash: Hash) {
    super({ highWaterMark: 1024 * 1024 });
    this.#file = file;
    this.position = position;
    this.#hash = hash;
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, callback: (error?: Error | null) => void): void {
    this.#writeAll(chunks.map((c) => c.chunk)).then(
      () => callback(),
      (error: unknown) => {
        // Already the answer: the pipeline hands this error to @tus/server, whatever else it sees.
        this.failure = isDiskFull(error) ? new Refusal(507, DISK_FULL) : new Refusal(500, `The host could not save this upload (${(error as Error).message}). Nothing was kept.`);
        callback(this.failure);
      },
    );
  }

  /** Every byte at its position (a short write near a full disk is continued, and then fails with ENOSPC). */
  async #writeAll(buffers: Buffer[]): Promise<void> {
    let pending = buffers;
    while (pending.length > 0) {
      const { bytesWritten } = await this.#file.writev(pending, this.position);
      if (bytesWritten === 0) throw Object.assign(new Error('no space left on the device'), { code: 'ENOSPC' });
      let left = bytesWritten;
      const rest: Buffer[] = [];
      for (const buffer of pending) {
        if (left >= buffer.length) {
          this.#hash.update(buffer);
          left -= buffer.length;
          release(buffer);
        } else {
          this.#hash.update(buffer.subarray(0, left));
          rest.push(buffer.subarray(left));
          left = 0;
        }
      }
      this.position += bytesWritten;
      pending = rest;
    }
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this._writev([{ chunk }], callback);
  }
}
