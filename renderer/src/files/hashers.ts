// The two SHA-256 engines. hash-wasm (WebAssembly, its binary inlined in the bundle: no
// file to fetch) is several times faster; @noble/hashes (plain JavaScript) runs where
// WebAssembly may not be compiled (a policy without 'wasm-unsafe-eval', an old browser).
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { createSHA256 } from 'hash-wasm';
import type { Sha256Hasher } from './hash-slices.ts';

export function javascriptSha256(): Sha256Hasher {
  const hash = sha256.create();
  return { update: (bytes) => hash.update(bytes), digestHex: () => bytesToHex(hash.digest()) };
}

/** Rejects when WebAssembly cannot be compiled here. */
export async function wasmSha256(): Promise<Sha256Hasher> {
  const hash = await createSHA256();
  return { update: (bytes) => hash.update(bytes), digestHex: () => hash.digest('hex') };
}

/** The fastest engine this context allows. */
export async function fastestSha256(): Promise<Sha256Hasher> {
  try {
    return await wasmSha256();
  } catch {
    return javascriptSha256();
  }
}
