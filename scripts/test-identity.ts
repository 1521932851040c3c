// `node scripts/test-identity.ts [--renew] [a|b …]`: makes the test-only host identities
// the e2e harness uses (e2e/fixtures/identity-a, identity-b; see e2e/harness/test-identities.ts),
// with the very code a host uses for its own (main/host/identity.ts), and prints what
// Chromium's SPKI allow-list names them by. An identity already there is kept unless
// --renew: the harness, and anything pinned to its fingerprint, depend on these files.
// Test keys only: they are public, checked in, and must never identify a real host.
import { chmodSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CERT_FILE, KEY_FILE, loadOrCreateIdentity } from '../main/host/identity.ts';
import { spkiHash, TEST_IDENTITY_NAMES, testIdentityDir, type TestIdentityName } from '../e2e/harness/test-identities.ts';

const { values, positionals } = parseArgs({ options: { renew: { type: 'boolean', default: false } }, allowPositionals: true });
const unknown = positionals.filter((name) => !(TEST_IDENTITY_NAMES as readonly string[]).includes(name));
if (unknown.length > 0) {
  console.error(`test-identity: there is no test identity ${unknown.join(', ')}: name ${TEST_IDENTITY_NAMES.join(' or ')}.`);
  process.exit(2);
}
const names = (positionals.length > 0 ? positionals : TEST_IDENTITY_NAMES) as TestIdentityName[];
for (const name of names) {
  const dir = testIdentityDir(name);
  // Replaced outright, not moved aside: a test key has no history worth keeping.
  if (values.renew) for (const file of [KEY_FILE, CERT_FILE]) rmSync(join(dir, file), { force: true });
  const identity = await loadOrCreateIdentity(dir);
  // Public test files: readable like the rest of the checkout (a host's own key is owner-only).
  chmodSync(dir, 0o755);
  for (const file of [KEY_FILE, CERT_FILE]) chmodSync(join(dir, file), 0o644);
  console.log(`identity-${name} (${dir}): ${identity.short}  sha256 ${identity.fingerprint}  spki ${spkiHash(identity.cert)}`);
}
