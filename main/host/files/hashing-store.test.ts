import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { Upload } from '@tus/server';
import { describe, expect, it } from 'vitest';
import { tempDirsPerTest } from '../../../test/support/host.ts';
import { HashingFileStore } from './hashing-store.ts';

const tempDir = tempDirsPerTest('hearth-hashing-store-');

describe('HashingFileStore', () => {
  it('writes and hashes a body, and gives back the memory of each chunk it alone held', async () => {
    const store = new HashingFileStore({ directory: tempDir(), onRemoved: () => {} });
    // A chunk that is all of its memory (as a socket's read is), and a slice of a larger buffer.
    const whole = randomBytes(64 * 1024);
    const larger = randomBytes(100_000);
    const slice = larger.subarray(10, 50_010);
    const expected = Buffer.concat([whole, slice]);
    await store.create(new Upload({ id: 'a'.repeat(32), size: expected.length, offset: 0 }));

    const offset = await store.write(Readable.from([whole, slice]), 'a'.repeat(32), 0);

    expect(offset).toBe(expected.length);
    expect(readFileSync(store.dataPath('a'.repeat(32))).equals(expected)).toBe(true);
    expect(await store.digest('a'.repeat(32), expected.length)).toBe(createHash('sha256').update(expected).digest('hex'));
    expect(whole.byteLength).toBe(0); // released: on disk and hashed, nothing else reads it
    expect(slice.byteLength).toBe(50_000); // shares its memory: left to the collector
    expect(larger.byteLength).toBe(100_000);
  });
});
