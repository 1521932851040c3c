import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HashAborted, sha256OfFile } from './hash.ts';

describe('sha256OfFile', () => {
  it('gives the same SHA-256 as Node, slice by slice, reporting progress', async () => {
    const bytes = randomBytes(1_000_003);
    const seen: number[] = [];
    const hex = await sha256OfFile(new Blob([bytes]), { sliceBytes: 65_536, onProgress: (done) => seen.push(done) });
    expect(hex).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(seen.length).toBe(Math.ceil(bytes.length / 65_536));
    expect(seen.at(-1)).toBe(bytes.length);
  });

  it('hashes an empty file', async () => {
    expect(await sha256OfFile(new Blob([]))).toBe(createHash('sha256').digest('hex'));
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const hashing = sha256OfFile(new Blob([randomBytes(200_000)]), {
      sliceBytes: 10_000,
      signal: controller.signal,
      onProgress: (done) => done >= 50_000 && controller.abort(),
    });
    await expect(hashing).rejects.toBeInstanceOf(HashAborted);
  });
});
