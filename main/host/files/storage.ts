// The room's stored files: one blob per content, named by its SHA-256 (`<dir>/<sha256>`), so
// a second copy of the same bytes costs nothing and no name a person gave ever becomes a
// path. Also the space budget: what is stored plus what uploads in progress have reserved
// (their declared length) must stay within the quota.
import { mkdirSync, readdirSync, renameSync, statfsSync, statSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { FilesUsage, StoredFile } from './contract.ts';

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 ** 3;
export const DEFAULT_QUOTA_BYTES = 10 * 1024 ** 3;

const FILE_ID = /^[0-9a-f]{64}$/;

export class BlobStorage {
  readonly dir: string;
  readonly quotaBytes: number;
  readonly maxFileBytes: number;
  readonly #blobs = new Map<string, { size: number; storedAt: number }>();
  /** Bytes promised to uploads in progress (and finished ones not yet shared), by upload id. */
  readonly #reserved = new Map<string, number>();
  #usedBytes = 0;
  #reservedBytes = 0;

  readonly #log: (line: string) => void;

  constructor(dir: string, limits: { quotaBytes?: number | undefined; maxFileBytes?: number | undefined } = {}, log: (line: string) => void = () => {}) {
    this.dir = dir;
    this.#log = log;
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir)) {
      if (!FILE_ID.test(name)) continue;
      const stat = statSync(join(dir, name));
      if (!stat.isFile()) continue;
      this.#blobs.set(name, { size: stat.size, storedAt: stat.mtimeMs });
      this.#usedBytes += stat.size;
    }
    this.quotaBytes = limits.quotaBytes ?? defaultQuota(dir, this.#usedBytes);
    this.maxFileBytes = limits.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  }

  /** Where a stored file's bytes are; undefined if it is not stored (or the id is no file id). */
  pathOf(fileId: string): string | undefined {
    return FILE_ID.test(fileId) && this.#blobs.has(fileId) ? join(this.dir, fileId) : undefined;
  }

  sizeOf(fileId: string): number | undefined {
    return this.#blobs.get(fileId)?.size;
  }

  /**
   * Take a verified upload's bytes in as `fileId` (a rename: same disk). When those bytes are
   * stored already, the upload's copy is dropped. Frees the upload's reservation.
   */
  adopt(uploadId: string, source: string, fileId: string): void {
    if (!FILE_ID.test(fileId)) throw new Error(`not a file id: ${fileId}`);
    if (this.#blobs.has(fileId)) this.#unlink(source);
    else {
      renameSync(source, join(this.dir, fileId));
      const size = statSync(join(this.dir, fileId)).size;
      this.#blobs.set(fileId, { size, storedAt: Date.now() });
      this.#usedBytes += size;
    }
    this.release(uploadId);
  }

  delete(fileId: string): boolean {
    const blob = this.#blobs.get(fileId);
    if (!blob) return false;
    this.#unlink(join(this.dir, fileId));
    this.#blobs.delete(fileId);
    this.#usedBytes -= blob.size;
    return true;
  }

  /**
   * Removed in the background: unlinking 2 GiB can take the disk a while, and the room waits
   * for nobody. A failure is logged; the file is gone from the room's view either way.
   */
  #unlink(path: string): void {
    unlink(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') this.#log(`files: could not remove ${path}: ${error.message}`);
    });
  }

  list(): StoredFile[] {
    return [...this.#blobs].map(([id, blob]) => ({ id, size: blob.size, storedAt: Math.round(blob.storedAt) }));
  }

  /** Bytes a new upload of this length would go over the quota by (0: it fits). */
  overQuotaBy(bytes: number): number {
    return Math.max(0, this.#usedBytes + this.#reservedBytes + bytes - this.quotaBytes);
  }

  reserve(uploadId: string, bytes: number): void {
    this.release(uploadId);
    this.#reserved.set(uploadId, bytes);
    this.#reservedBytes += bytes;
  }

  release(uploadId: string): void {
    const bytes = this.#reserved.get(uploadId);
    if (bytes === undefined) return;
    this.#reserved.delete(uploadId);
    this.#reservedBytes -= bytes;
  }

  usage(): FilesUsage {
    return { usedBytes: this.#usedBytes, reservedBytes: this.#reservedBytes, quotaBytes: this.quotaBytes, maxFileBytes: this.maxFileBytes, files: this.#blobs.size };
  }
}

/**
 * 10 GiB, or less on a small disk: half the space free now plus what is already stored, so
 * files alone never fill the disk the history lives on.
 */
export function defaultQuota(dir: string, storedBytes: number): number {
  try {
    const disk = statfsSync(dir);
    return Math.min(DEFAULT_QUOTA_BYTES, Math.floor((disk.bavail * disk.bsize) / 2) + storedBytes);
  } catch {
    return DEFAULT_QUOTA_BYTES;
  }
}
