import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HashAborted, hashOnPage, sha256OfFile } from './hash.ts';
import { hashSlices, type Sha256Hasher } from './hash-slices.ts';
import { javascriptSha256, wasmSha256 } from './hashers.ts';

const nodeSha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

// FIPS 180-2 examples: the empty string, "abc", and a million "a".
const VECTORS: [string, Uint8Array, string][] = [
  ['empty', new Uint8Array(0), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['abc', new TextEncoder().encode('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ['a million a', new Uint8Array(1_000_000).fill(0x61), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'],
];

const engines: [string, () => Promise<Sha256Hasher>][] = [
  ['WebAssembly (the worker)', wasmSha256],
  ['JavaScript (the fallback)', async () => javascriptSha256()],
];

describe.each(engines)('slice by slice, in %s', (_name, engine) => {
  it.each(VECTORS)('gives the published SHA-256 of %s, whatever the slice size', async (_label, bytes, expected) => {
    for (const sliceBytes of [1, 63, 64, 65, 4096, 1_000_000]) {
      if (sliceBytes === 1 && bytes.length > 100) continue; // a million one-byte reads prove nothing more
      expect(await hashSlices(new Blob([bytes]), await engine(), { sliceBytes }), `slices of ${sliceBytes}`).toBe(expected);
    }
  });

  it('reads a multi-slice file in order, reporting the bytes done after each slice', async () => {
    const bytes = randomBytes(5 * 1024 * 1024 + 17);
    const seen: number[] = [];
    const hex = await hashSlices(new Blob([bytes]), await engine(), { onProgress: (done) => seen.push(done) });
    expect(hex).toBe(nodeSha256(bytes));
    // The default slice is 2 MiB: three slices, the last one short.
    expect(seen).toEqual([2 * 1024 * 1024, 4 * 1024 * 1024, bytes.length]);
  });

  it('stops between slices once cancelled, without reading the rest', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const hashing = hashSlices(new Blob([randomBytes(200_000)]), await engine(), {
      sliceBytes: 10_000,
      signal: controller.signal,
      onProgress: (done) => {
        seen.push(done);
        if (done >= 50_000) controller.abort();
      },
    });
    await expect(hashing).rejects.toBeInstanceOf(HashAborted);
    expect(seen.at(-1)).toBe(50_000);
  });
});

describe('hashSlices', () => {
  it('refuses a slice size that would never finish', async () => {
    for (const sliceBytes of [0, -1, 1.5, Number.NaN]) {
      await expect(hashSlices(new Blob(['x']), javascriptSha256(), { sliceBytes })).rejects.toThrow(/whole number of bytes above zero/);
    }
  });
});

describe('sha256OfFile', () => {
  // Node has no Web Worker: this is the page's fallback, as in a browser that cannot start one.
  it('falls back to the page where no worker can be started, with the same answer and progress', async () => {
    expect(typeof (globalThis as { Worker?: unknown }).Worker).toBe('undefined');
    const bytes = randomBytes(1_000_003);
    const seen: number[] = [];
    const hex = await sha256OfFile(new Blob([bytes]), { sliceBytes: 65_536, onProgress: (done) => seen.push(done) });
    expect(hex).toBe(nodeSha256(bytes));
    expect(seen.length).toBe(Math.ceil(bytes.length / 65_536));
    expect(seen.at(-1)).toBe(bytes.length);
  });

  it('hashes an empty file', async () => {
    expect(await sha256OfFile(new Blob([]))).toBe(nodeSha256(new Uint8Array(0)));
  });

  it('stops when cancelled, and at once when cancelled before it starts', async () => {
    const controller = new AbortController();
    const hashing = sha256OfFile(new Blob([randomBytes(200_000)]), {
      sliceBytes: 10_000,
      signal: controller.signal,
      onProgress: (done) => done >= 50_000 && controller.abort(),
    });
    await expect(hashing).rejects.toBeInstanceOf(HashAborted);
    await expect(sha256OfFile(new Blob(['x']), { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(HashAborted);
  });

  it('gives the page a turn between slices on the fallback', async () => {
    let turns = 0;
    const timer = setInterval(() => turns++, 0);
    try {
      await hashOnPage(new Blob([randomBytes(64 * 1024)]), { sliceBytes: 4096 });
    } finally {
      clearInterval(timer);
    }
    expect(turns).toBeGreaterThan(0);
  });
});
