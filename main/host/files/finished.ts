// Finished, verified uploads waiting for their owner's `share` (RoomFiles.claim), one small
// JSON file each in `<dir>/finished/`, written before the last PATCH is answered: a host
// restart between "uploaded" and "shared" loses nothing. A claimed record stays for an hour
// so a retried `share` gets the same answer; an unclaimed one expires then with its bytes.
import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { FileRef } from '../../../common/protocol.ts';
import { readJson, removeQuietly } from './disk.ts';

const FinishedUpload = v.strictObject({
  uploadId: v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/)),
  owner: v.string(),
  file: FileRef,
  finishedAt: v.number(),
  claimed: v.boolean(),
});
export type FinishedUpload = v.InferOutput<typeof FinishedUpload>;

export class FinishedUploads {
  readonly #dir: string;
  readonly #records = new Map<string, FinishedUpload>();

  constructor(dir: string) {
    this.#dir = dir;
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (!name.endsWith('.json')) {
        removeQuietly(path); // a write cut short by a crash
        continue;
      }
      const parsed = v.safeParse(FinishedUpload, readJson(path));
      if (parsed.success && `${parsed.output.uploadId}.json` === name) this.#records.set(parsed.output.uploadId, parsed.output);
      else removeQuietly(path);
    }
  }

  get(uploadId: string): FinishedUpload | undefined {
    return this.#records.get(uploadId);
  }

  all(): FinishedUpload[] {
    return [...this.#records.values()];
  }

  add(record: FinishedUpload): void {
    this.#write(record);
    this.#records.set(record.uploadId, record);
  }

  /** Claimed from now on; false if the disk refused the record (the flag then lives in memory only). */
  markClaimed(uploadId: string): boolean {
    const record = this.#records.get(uploadId);
    if (!record || record.claimed) return true;
    const claimed = { ...record, claimed: true };
    this.#records.set(uploadId, claimed);
    try {
      this.#write(claimed);
      return true;
    } catch {
      return false;
    }
  }

  remove(uploadId: string): void {
    if (!this.#records.delete(uploadId)) return;
    removeQuietly(join(this.#dir, `${uploadId}.json`));
  }

  /** Written whole or not at all (a temporary file renamed over the record). */
  #write(record: FinishedUpload): void {
    const path = join(this.#dir, `${record.uploadId}.json`);
    writeFileSync(`${path}.tmp`, JSON.stringify(record));
    renameSync(`${path}.tmp`, path);
  }
}
