// Password proofs: unbound (browsers) and bound to the TLS certificate the client saw (the
// app and `hearth join`), each useless for another connection, client or certificate.
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { derivePasswordKey, passwordProof, proofsMatch } from './password.ts';

const key = derivePasswordKey('correct horse', 'salt-1');
const FP_A = 'a'.repeat(64);
const FP_B = 'b'.repeat(64);

describe('password proofs', () => {
  it('signs the documented messages: unbound, and bound to a fingerprint', () => {
    const unbound = bytesToHex(hmac(sha256, key, utf8ToBytes('hearth-join\nnonce-1\nclient-1')));
    const bound = bytesToHex(hmac(sha256, key, utf8ToBytes(`hearth-join-tls\nnonce-1\nclient-1\n${FP_A}`)));
    expect(passwordProof(key, 'nonce-1', 'client-1')).toBe(unbound);
    expect(passwordProof(key, 'nonce-1', 'client-1', FP_A)).toBe(bound);
  });

  it('gives a different proof for another certificate, another nonce, another client, or none bound', () => {
    const bound = passwordProof(key, 'nonce-1', 'client-1', FP_A);
    const others = [
      passwordProof(key, 'nonce-1', 'client-1', FP_B),
      passwordProof(key, 'nonce-2', 'client-1', FP_A),
      passwordProof(key, 'nonce-1', 'client-2', FP_A),
      passwordProof(key, 'nonce-1', 'client-1'),
    ];
    for (const other of others) expect(proofsMatch(bound, other)).toBe(false);
    expect(new Set(others).size).toBe(others.length);
  });

  it('reads a fingerprint in capitals as the same certificate', () => {
    expect(passwordProof(key, 'n', 'c', FP_A.toUpperCase())).toBe(passwordProof(key, 'n', 'c', FP_A));
  });

  it('compares proofs of equal and unequal length', () => {
    const proof = passwordProof(key, 'n', 'c');
    expect(proofsMatch(proof, proof)).toBe(true);
    expect(proofsMatch(proof, proof.slice(1))).toBe(false);
  });
});
