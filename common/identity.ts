// A host's identity is its certificate: the SHA-256 of the certificate's DER. Everything
// people and programs compare is derived from that one fingerprint, here and only here:
//   fingerprint  3a5f…  64 lowercase hex chars (what known_hosts and code keep)
//   colon hex    3A:5F:…  the full form, as `openssl x509 -fingerprint -sha256` and Node's
//                X509Certificate.fingerprint256 print it, for the careful check
//   host id      RFC 4648 base32 (lowercase, no padding) of the first 20 bytes: 32 chars of
//                [a-z2-7], 160 bits. It fits the older id rules (common/invite.ts HOST_ID,
//                the TXT decoder, the 200-byte TXT budget), so older clients still list new
//                hosts, and an id of this shape now *is* a pin.
//   short        the host id's first 20 chars in groups of five (hyobc-tq2me-7xk4a-lw3fd):
//                what two people read aloud and compare on two screens (100 bits)
// Pure: runs in the host, the CLI, the desktop and a browser alike.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** A fingerprint-derived host id; the older random ids are 12 chars of [a-z0-9] and pin nothing. */
export const FINGERPRINT_ID = /^[a-z2-7]{32}$/;
/** A fingerprint as this module keeps it: SHA-256, lowercase hex. */
export const FINGERPRINT_HEX = /^[0-9a-f]{64}$/;

const BASE32_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const ID_BYTES = 20;
const SHORT_CHARS = 20;
const SHORT_GROUP = 5;

/** The fingerprint of a certificate's DER bytes. */
export function fingerprintOf(der: Uint8Array): string {
  return bytesToHex(sha256(der));
}

/** RFC 4648 base32, lowercase, without padding. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32_ALPHABET[(buffer >> bits) & 31];
    }
  }
  if (bits > 0) out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** The host id (TXT `id`, /health's id, the link's `id=`) a certificate with this fingerprint has. */
export function hostIdOf(fingerprintHex: string): string {
  return base32(hexBytes(fingerprintHex).subarray(0, ID_BYTES));
}

/** The form people compare on screens: `hyobc-tq2me-7xk4a-lw3fd`. */
export function shortFingerprint(fingerprintHex: string): string {
  const id = hostIdOf(fingerprintHex).slice(0, SHORT_CHARS);
  return id.match(new RegExp(`.{1,${SHORT_GROUP}}`, 'g'))?.join('-') ?? id;
}

/** The full form: `3A:5F:…` (32 pairs), as openssl and Node print it. */
export function colonHex(fingerprintHex: string): string {
  return normalisedHex(fingerprintHex).toUpperCase().match(/../g)?.join(':') ?? '';
}

/** Whether `id` is the host id of this fingerprint; a legacy (random) id never matches. */
export function matchesId(fingerprintHex: string, id: string): boolean {
  return FINGERPRINT_ID.test(id) && hostIdOf(fingerprintHex) === id;
}

/** Whether a short form (as typed: any case, dashes or spaces) is this fingerprint's. */
export function matchesShort(fingerprintHex: string, short: string): boolean {
  return compact(short) === shortFingerprint(fingerprintHex).replaceAll('-', '');
}

/**
 * What someone typed or pasted to accept an identity: the short form (20 base32 chars, in
 * groups or not) or the full fingerprint (64 hex digits, with or without colons, any case).
 * Returned normalised: the short form without dashes, the full one as lowercase hex.
 */
export function parseFingerprintInput(text: string): { kind: 'short' | 'full'; value: string } | undefined {
  const trimmed = text.trim();
  const hex = trimmed.replace(/^sha-?256\s*/i, '').replaceAll(':', '').toLowerCase();
  if (FINGERPRINT_HEX.test(hex)) return { kind: 'full', value: hex };
  const short = compact(trimmed);
  if (/^[a-z2-7]{20}$/.test(short)) return { kind: 'short', value: short };
  return undefined;
}

function compact(text: string): string {
  return text.trim().toLowerCase().replace(/[\s-]/g, '');
}

function normalisedHex(fingerprintHex: string): string {
  const hex = fingerprintHex.replaceAll(':', '').toLowerCase();
  if (!FINGERPRINT_HEX.test(hex)) throw new Error('not a SHA-256 fingerprint');
  return hex;
}

function hexBytes(fingerprintHex: string): Uint8Array {
  const hex = normalisedHex(fingerprintHex);
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}
