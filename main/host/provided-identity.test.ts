// A certificate the person provides: read as the host's identity, or refused with a sentence
// naming the file (expired, not yet valid, passphrase-protected, not PEM, not a pair).
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprintOf, hostIdOf } from '../../common/identity.ts';
import { tempDir } from '../../test/support/host.ts';
import { loadProvidedIdentity, ProvidedTlsError } from './provided-identity.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 1);
const dir = tempDir('hearth-provided-');
afterAll(() => dir.remove());

let written = 0;
function file(body: string): string {
  const path = join(dir.path, `f${written++}.pem`);
  writeFileSync(path, body);
  return path;
}

/** A P-256 pair valid over [from, to], naming these subjectAltNames. */
async function pair(from: number, to: number, altNames: Array<{ type: 2; value: string } | { type: 7; ip: string }> = []): Promise<{ cert: string; key: string }> {
  const made = await generate([{ name: 'commonName', value: 'office host' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(from),
    notAfterDate: new Date(to),
    extensions: altNames.length > 0 ? [{ name: 'subjectAltName', altNames }] : [],
  });
  return { cert: made.cert, key: createPrivateKey(made.private).export({ type: 'pkcs8', format: 'pem' }).toString() };
}

function refusal(run: () => unknown): ProvidedTlsError {
  try {
    run();
  } catch (error) {
    if (error instanceof ProvidedTlsError) return error;
    throw error;
  }
  throw new Error('expected a ProvidedTlsError');
}

describe('a provided certificate', () => {
  it('becomes the identity, with its DNS names in order (wildcards and addresses left out); a chain’s first block is the leaf', async () => {
    const host = await pair(NOW - DAY, NOW + 90 * DAY, [
      { type: 2, value: '*.office.example' },
      { type: 2, value: 'Chat.Office.Example' },
      { type: 7, ip: '10.0.0.5' },
      { type: 2, value: 'hearth.local' },
    ]);
    const other = await pair(NOW - DAY, NOW + DAY);
    const identity = loadProvidedIdentity({ cert: file(host.cert + other.cert), key: file(host.key) }, NOW);
    const fingerprint = fingerprintOf(new X509Certificate(host.cert).raw);
    expect(identity).toMatchObject({ fingerprint, hostId: hostIdOf(fingerprint), source: 'provided', movedAside: [], dnsNames: ['chat.office.example', 'hearth.local'] });
    // Served whole, whatever the line ends between the blocks.
    expect(identity.cert.replace(/\s/g, '')).toBe((host.cert + other.cert).replace(/\s/g, ''));
    expect(identity.validTo.getTime()).toBe(new Date(new X509Certificate(host.cert).validTo).getTime());
  });

  it('refuses an expired certificate and one not yet valid, with the day', async () => {
    const old = await pair(NOW - 400 * DAY, NOW - 10 * DAY);
    const expired = file(old.cert);
    expect(refusal(() => loadProvidedIdentity({ cert: expired, key: file(old.key) }, NOW)).why).toMatch(
      new RegExp(`^the certificate in ${expired} expired on 2026-11-21: browsers refuse it\\. Renew it`),
    );
    const early = await pair(NOW + 3 * DAY, NOW + 90 * DAY);
    expect(refusal(() => loadProvidedIdentity({ cert: file(early.cert), key: file(early.key) }, NOW)).why).toMatch(/is not valid until 2026-12-04/);
  });

  it('refuses a key with a passphrase, a key or certificate not in PEM, and a key that is not the certificate’s, naming the file', async () => {
    const host = await pair(NOW - DAY, NOW + DAY);
    const cert = file(host.cert);
    const locked = file(createPrivateKey(host.key).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x' }).toString());
    expect(refusal(() => loadProvidedIdentity({ cert, key: locked }, NOW))).toMatchObject({ file: locked, why: expect.stringContaining('is protected by a passphrase') });
    const notKey = file('hello');
    expect(refusal(() => loadProvidedIdentity({ cert, key: notKey }, NOW))).toMatchObject({ file: notKey, why: expect.stringContaining('is not a private key in PEM form') });
    const notCert = file(host.key);
    expect(refusal(() => loadProvidedIdentity({ cert: notCert, key: file(host.key) }, NOW))).toMatchObject({ file: notCert, why: expect.stringContaining('is not a certificate in PEM form') });
    const stranger = file((await pair(NOW - DAY, NOW + DAY)).key);
    expect(refusal(() => loadProvidedIdentity({ cert, key: stranger }, NOW))).toMatchObject({ file: stranger, why: `${stranger} is not the key of ${cert} (the two files do not belong together)` });
  });

  it('refuses a file that is not there or is a folder, naming the option', () => {
    const missing = join(dir.path, 'missing.pem');
    expect(refusal(() => loadProvidedIdentity({ cert: missing, key: missing }, NOW)).why).toBe(`${missing} (--tls-cert) does not exist`);
    expect(refusal(() => loadProvidedIdentity({ cert: dir.path, key: missing }, NOW)).why).toBe(`${dir.path} (--tls-cert) is a folder, not a file`);
  });
});
