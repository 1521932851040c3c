// Room passwords never cross the wire. The host sends a per-room salt and a fresh nonce in
// `hello`; the client derives a key from the password and returns HMAC(key, nonce), which
// is useless for any other connection. Over TLS the app and `hearth join` also sign the
// fingerprint of the certificate they were shown (the one they pinned): a man in the middle
// they were tricked into trusting presents its own certificate, so the proof it relays to
// the real host names the wrong one and is refused. Browsers cannot read the certificate, so
// theirs stays unbound. Pure JS (noble) because a web client served over plain http on a
// LAN address is not a secure context and has no crypto.subtle.
import { hmac } from '@noble/hashes/hmac.js';
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** Enough to make each offline guess cost milliseconds, little enough for a phone to join. */
export const PASSWORD_ITERATIONS = 60_000;

export type PasswordKey = Uint8Array;

export function derivePasswordKey(password: string, salt: string): PasswordKey {
  return pbkdf2(sha256, utf8ToBytes(password.normalize('NFC')), utf8ToBytes(`hearth:${salt}`), {
    c: PASSWORD_ITERATIONS,
    dkLen: 32,
  });
}

/**
 * The proof for this connection's nonce. With `fingerprint` (lowercase hex, the certificate
 * the client saw) it is bound to that TLS channel; another prefix keeps the two kinds apart.
 */
export function passwordProof(key: PasswordKey, nonce: string, clientId: string, fingerprint?: string): string {
  const message = fingerprint === undefined ? `hearth-join\n${nonce}\n${clientId}` : `hearth-join-tls\n${nonce}\n${clientId}\n${fingerprint.toLowerCase()}`;
  return bytesToHex(hmac(sha256, key, utf8ToBytes(message)));
}

/** Constant-time comparison of two hex proofs. */
export function proofsMatch(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
