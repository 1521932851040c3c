// The test-only host identities (e2e/fixtures/identity-a|b, made by scripts/test-identity.ts;
// public keys, never used outside tests) and what lets the harness's Chromium accept them.
// In Electron the main process checks the renderer's certificates against what it pinned
// (main/electron/certificates.ts); a plain Chromium has no such hook, so the `web` project
// tells it the SPKI hashes of exactly these two keys (`--ignore-certificate-errors-spki-list`,
// honoured because Playwright always passes --user-data-dir). Any other self-signed
// certificate is still refused, as in the app: every host an e2e page joins over wss must
// present one of these (useTestIdentity before it starts).
// Read synchronously at load: Playwright re-loads the config in every worker, and the flags
// must be the same everywhere, so nothing is generated here.
import { chmodSync, copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createHash, X509Certificate } from 'node:crypto';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CERT_FILE, KEY_FILE } from '../../main/host/identity.ts';

export type TestIdentityName = 'a' | 'b';
export const TEST_IDENTITY_NAMES: readonly TestIdentityName[] = ['a', 'b'];

const FIXTURES = resolve(fileURLToPath(new URL('../fixtures/', import.meta.url)));

/** Where identity `name` is checked in. */
export function testIdentityDir(name: TestIdentityName): string {
  return join(FIXTURES, `identity-${name}`);
}

/** Its certificate, PEM. */
export function testIdentityCert(name: TestIdentityName): string {
  return readFileSync(join(testIdentityDir(name), CERT_FILE), 'utf8');
}

/** base64(SHA-256(SubjectPublicKeyInfo DER)): what Chromium's SPKI allow-list names a key by. */
export function spkiHash(certificatePem: string): string {
  const spki = new X509Certificate(certificatePem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

/** The Chromium flag that accepts the test identities' certificates, and only them (reads the checked-in files). */
export function testIdentitiesFlag(): string {
  return `--ignore-certificate-errors-spki-list=${TEST_IDENTITY_NAMES.map((name) => spkiHash(testIdentityCert(name))).join(',')}`;
}

/**
 * Make `dataDir` hold test identity `name`, before a host (AppServices, `hearth host
 * --data`) starts there: its room then presents a certificate the harness's Chromium accepts.
 */
export function useTestIdentity(dataDir: string, name: TestIdentityName): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  for (const file of [KEY_FILE, CERT_FILE]) copyFileSync(join(testIdentityDir(name), file), join(dataDir, file));
  // The host tightens a looser key itself, with a log line: no line in every test's output.
  chmodSync(join(dataDir, KEY_FILE), 0o600);
}
