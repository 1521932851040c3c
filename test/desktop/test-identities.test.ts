// The e2e harness's stand-in for the app's certificate pinning (e2e/harness/test-identities.ts):
// a desktop app the harness starts presents the checked-in test identity, and the harness's
// Chromium accepts exactly the two test identities, while any other self-signed certificate
// is refused, as the app's main process refuses a host it did not pin.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../common/identity.ts';
import { X509Certificate } from 'node:crypto';
import { presentedFingerprint } from '../../main/discovery/identity-probe.ts';
import { identityFromPem, KEY_FILE, loadOrCreateIdentity } from '../../main/host/identity.ts';
import { AppServices } from '../../main/services/services.ts';
import { spkiHash, TEST_IDENTITY_NAMES, testIdentityCert, testIdentityDir, useTestIdentity } from '../../e2e/harness/test-identities.ts';
import { CHROMIUM_FLAGS } from '../../e2e/harness/chromium.ts';
import { startTestHost, tempDir } from '../support/host.ts';
import { launchChromium } from './support/chromium.ts';

const fingerprintOfPem = (pem: string) => fingerprintOf(new X509Certificate(pem).raw);
/** A checked-in identity as a host reads it (not loadOrCreateIdentity: it would tighten the checked-in key's mode). */
const checkedIn = (name: 'a' | 'b') => identityFromPem(readFileSync(join(testIdentityDir(name), KEY_FILE), 'utf8'), testIdentityCert(name), 'generated');

describe('the test identities', () => {
  it('are two distinct, usable identities, named by their SPKI hashes in the harness’s Chromium flags', () => {
    const spkis = TEST_IDENTITY_NAMES.map((name) => spkiHash(testIdentityCert(name)));
    expect(new Set(spkis).size).toBe(2);
    expect(CHROMIUM_FLAGS).toContain(`--ignore-certificate-errors-spki-list=${spkis.join(',')}`);
    // What a host does with them: reads them as its own, with no complaint (a key that fits its certificate).
    for (const name of TEST_IDENTITY_NAMES) expect(checkedIn(name).fingerprint).toBe(fingerprintOfPem(testIdentityCert(name)));
  });

  it('make a desktop app’s room present test identity A', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hearth-test-identity-'));
    const services = new AppServices({ dataDir, mdns: false, defaultPort: 0 });
    try {
      useTestIdentity(dataDir, 'a');
      const started = await services.handlers['host:start']({ room: 'Kitchen' });
      if (!started.ok) throw new Error(started.error);
      expect(await presentedFingerprint('127.0.0.1', started.value.port)).toEqual({ ok: true, fingerprint: fingerprintOfPem(testIdentityCert('a')) });
    } finally {
      await services.shutdown();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the harness’s Chromium', { timeout: 60_000 }, () => {
  const dir = tempDir('hearth-third-identity-');
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    dir.remove();
  });

  /** Whether Chromium opens https://127.0.0.1:<port>/health of a host presenting this identity, or the error it gives. */
  async function visit(identity: { key: string; cert: string }): Promise<string> {
    const host = await startTestHost({ tls: identity });
    const page = await browser.newPage();
    try {
      const response = await page.goto(`https://127.0.0.1:${host.port}/health`, { timeout: 10_000 });
      return `status ${response?.status()}`;
    } catch (error) {
      return (error as Error).message.split('\n')[0]!;
    } finally {
      await page.close();
      await host.dispose();
    }
  }

  it('accepts the two test identities and refuses any other self-signed certificate', async () => {
    expect(await visit(checkedIn('a'))).toBe('status 200');
    expect(await visit(checkedIn('b'))).toBe('status 200');
    const third = await loadOrCreateIdentity(join(dir.path, 'c'));
    expect(await visit(third)).toMatch(/net::ERR_CERT_AUTHORITY_INVALID/);
  });
});
