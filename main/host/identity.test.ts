// The host's identity on disk: made once, owner-only, the same on every start, never
// silently replaced. Real files in temporary folders; openssl's opinion when it is there.
import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FINGERPRINT_ID, colonHex, hostIdOf, shortFingerprint } from '../../common/identity.ts';
import { HOST_ID, inviteLink, parseInvite } from '../../common/invite.ts';
import { MAX_ROOM_NAME_CHARS } from '../../common/room-name.ts';
import { decodeTxt, encodeTxt, instanceName, MAX_TXT_BYTES, txtBytes } from '../discovery/txt.ts';
import { tempDirsPerTest } from '../../test/support/host.ts';
import type * as Selfsigned from 'selfsigned';
import { CERT_FILE, identityFromPem, IdentityError, KEY_FILE, loadOrCreateIdentity } from './identity.ts';
import type * as IdentityModule from './identity.ts';

const newDir = tempDirsPerTest('hearth-identity-');
const posix = process.platform !== 'win32';
const isRoot = process.getuid?.() === 0;

describe('loadOrCreateIdentity', () => {
  it('makes a P-256 key and a self-signed certificate on first start, saved owner-only', async () => {
    const dir = newDir();
    const identity = await loadOrCreateIdentity(dir);
    expect(identity).toMatchObject({ source: 'generated', saved: true, movedAside: [] });
    const cert = new X509Certificate(readFileSync(join(dir, CERT_FILE)));
    const key = createPrivateKey(readFileSync(join(dir, KEY_FILE)));
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(readFileSync(join(dir, KEY_FILE), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/); // PKCS#8
    expect(cert.checkPrivateKey(key)).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.ca).toBe(false);
    expect(new Date(cert.validTo).getTime()).toBeGreaterThan(Date.now() + 19 * 365 * 86_400_000);
    expect(new Date(cert.validFrom).getTime()).toBeLessThan(Date.now() - 3_600_000);
    // The fingerprint is Node's own, in this module's forms.
    expect(colonHex(identity.fingerprint)).toBe(cert.fingerprint256);
    expect(identity.hostId).toBe(hostIdOf(identity.fingerprint));
    expect(identity.hostId).toMatch(FINGERPRINT_ID);
    expect(identity.short).toBe(shortFingerprint(identity.fingerprint));
    // Nothing left behind but the pair.
    expect(readdirSync(dir).sort()).toEqual([CERT_FILE, KEY_FILE]);
  });

  // Skipped on Windows only: file modes are POSIX (Windows keeps the key private by the profile's ACL).
  it.skipIf(!posix)('writes both files 0600 and a new folder 0700', async () => {
    const dir = join(newDir(), 'nested', 'data');
    await loadOrCreateIdentity(dir);
    expect(statSync(join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, CERT_FILE)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('is the same identity on every later start', async () => {
    const dir = newDir();
    const first = await loadOrCreateIdentity(dir);
    const second = await loadOrCreateIdentity(dir);
    expect(second).toEqual(first);
  });

  it('gives every start racing on one empty folder the pair that ends up on disk', async () => {
    const dir = newDir();
    // Each makes its own pair; only the first to publish its key wins, the others load it.
    const raced = await Promise.all([1, 2, 3].map(() => loadOrCreateIdentity(dir)));
    const onDisk = identityFromPem(readFileSync(join(dir, KEY_FILE), 'utf8'), readFileSync(join(dir, CERT_FILE), 'utf8'), 'generated');
    for (const identity of raced) {
      expect(identity.fingerprint).toBe(onDisk.fingerprint);
      expect(identity.key).toBe(onDisk.key);
      expect(identity.saved).toBe(true);
    }
    expect(readdirSync(dir).sort()).toEqual([CERT_FILE, KEY_FILE]); // the losers' temporary files are gone
  });

  describe('when another start publishes its key while this one makes its own', () => {
    afterEach(() => {
      vi.doUnmock('selfsigned');
      vi.resetModules();
    });

    /**
     * identity.ts with pair-making held until `beforeSave` has run: the moment between this
     * start finding the folder empty and it publishing its pair (where another start wins).
     */
    async function identityWithRival(beforeSave: () => Promise<void>): Promise<typeof IdentityModule> {
      vi.resetModules();
      vi.doMock('selfsigned', async (importOriginal) => {
        const real = await importOriginal<typeof Selfsigned>();
        return {
          ...real,
          generate: async (...args: Parameters<typeof real.generate>) => {
            const made = await real.generate(...args);
            await beforeSave();
            return made;
          },
        };
      });
      return import('./identity.ts');
    }

    it('waits for the winner’s certificate and runs with the winner’s pair', async () => {
      const dir = newDir();
      const rival = await loadOrCreateIdentity(newDir());
      const { loadOrCreateIdentity: racing } = await identityWithRival(async () => {
        writeFileSync(join(dir, KEY_FILE), rival.key, { mode: 0o600 });
        setTimeout(() => writeFileSync(join(dir, CERT_FILE), rival.cert, { mode: 0o600 }), 300);
      });
      const identity = await racing(dir);
      expect(identity).toMatchObject({ fingerprint: rival.fingerprint, key: rival.key, saved: true });
      expect(readdirSync(dir).sort()).toEqual([CERT_FILE, KEY_FILE]);
    });

    it('refuses, rather than run unsaved, when the winner’s certificate never follows', async () => {
      const dir = newDir();
      const rival = await loadOrCreateIdentity(newDir());
      const { loadOrCreateIdentity: racing, IdentityError: RacingIdentityError } = await identityWithRival(async () => {
        writeFileSync(join(dir, KEY_FILE), rival.key, { mode: 0o600 });
      });
      const started = Date.now();
      const error = await racing(dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RacingIdentityError);
      expect((error as IdentityError).why).toMatch(/host-cert\.pem is missing beside .*host-key\.pem/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
      expect(readFileSync(join(dir, KEY_FILE), 'utf8')).toBe(rival.key); // the winner's key is left alone
      expect(readdirSync(dir)).toEqual([KEY_FILE]);
    });
  });

  // Skipped only where openssl is not installed: it is the independent reference being compared with.
  it.skipIf(spawnSync('openssl', ['version']).status !== 0)('matches openssl\'s fingerprint', async () => {
    const dir = newDir();
    const identity = await loadOrCreateIdentity(dir);
    const printed = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha256', '-in', join(dir, CERT_FILE)], { encoding: 'utf8' });
    expect(printed.trim().split('=')[1]).toBe(colonHex(identity.fingerprint));
  });

  // Skipped on Windows only: file modes are POSIX.
  it.skipIf(!posix)('makes a key others could read owner-only again, and says so', async () => {
    const dir = newDir();
    await loadOrCreateIdentity(dir);
    chmodSync(join(dir, KEY_FILE), 0o644);
    const lines: string[] = [];
    await loadOrCreateIdentity(dir, { log: (line) => lines.push(line) });
    expect(statSync(join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(lines).toEqual([expect.stringMatching(/could be read by others \(mode 644\): made it owner-only/)]);
  });

  it('refuses a pair that does not belong together, never making a new key', async () => {
    const one = newDir();
    const other = newDir();
    await loadOrCreateIdentity(one);
    await loadOrCreateIdentity(other);
    writeFileSync(join(one, KEY_FILE), readFileSync(join(other, KEY_FILE)));
    const before = readFileSync(join(one, CERT_FILE), 'utf8');
    const error = await loadOrCreateIdentity(one).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdentityError);
    expect((error as IdentityError).file).toBe(join(one, KEY_FILE));
    expect((error as IdentityError).why).toBe(`${join(one, KEY_FILE)} is not the key of ${join(one, CERT_FILE)} (the two files do not belong together)`);
    expect(readFileSync(join(one, CERT_FILE), 'utf8')).toBe(before);
  });

  it.each([
    ['a damaged certificate', CERT_FILE, 'garbage', /host-cert\.pem is not a certificate Hearth can read/],
    ['a damaged key', KEY_FILE, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', /host-key\.pem is not a private key Hearth can read/],
  ])('refuses %s with a sentence', async (_what, file, body, sentence) => {
    const dir = newDir();
    await loadOrCreateIdentity(dir);
    writeFileSync(join(dir, file), body);
    await expect(loadOrCreateIdentity(dir)).rejects.toThrow(sentence);
  });

  it.each([
    ['a certificate without its key', KEY_FILE, /host-key\.pem is missing beside .*host-cert\.pem/],
    ['a key without its certificate', CERT_FILE, /host-cert\.pem is missing beside .*host-key\.pem/],
  ])('refuses %s', async (_what, removed, sentence) => {
    const dir = newDir();
    await loadOrCreateIdentity(dir);
    rmSync(join(dir, removed));
    await expect(loadOrCreateIdentity(dir)).rejects.toThrow(sentence);
    expect(existsSync(join(dir, removed))).toBe(false);
  });

  it('moves a broken pair aside on request (--new-identity) and makes a new one', async () => {
    const dir = newDir();
    const old = await loadOrCreateIdentity(dir);
    writeFileSync(join(dir, CERT_FILE), 'garbage');
    const now = () => Date.parse('2026-12-01T18:30:05.123Z');
    const renewed = await loadOrCreateIdentity(dir, { renew: true, now });
    expect(renewed.fingerprint).not.toBe(old.fingerprint);
    expect(renewed.movedAside).toEqual([join(dir, `${KEY_FILE}.broken-20261201T183005Z`), join(dir, `${CERT_FILE}.broken-20261201T183005Z`)]);
    expect(readFileSync(renewed.movedAside[1]!, 'utf8')).toBe('garbage');
    // Twice in one second never renames over what an earlier renewal kept.
    const again = await loadOrCreateIdentity(dir, { renew: true, now });
    expect(again.movedAside).toEqual([join(dir, `${KEY_FILE}.broken-20261201T183005Z-2`), join(dir, `${CERT_FILE}.broken-20261201T183005Z-2`)]);
    expect((await loadOrCreateIdentity(dir)).fingerprint).toBe(again.fingerprint);
  });

  // Cannot run as root (it is skipped there, and in CI, which runs as root): a read-only
  // folder does not stop root from writing. The can't-save path is also covered, as root,
  // by the next test, which makes saving fail another way.
  it.skipIf(!posix || isRoot)('in a folder it cannot write, gives this run an identity, not saved, and says so once', async () => {
    const dir = newDir();
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o500);
    try {
      const lines: string[] = [];
      const identity = await loadOrCreateIdentity(dir, { log: (line) => lines.push(line) });
      expect(identity.saved).toBe(false);
      expect(identity.hostId).toMatch(FINGERPRINT_ID);
      expect(lines).toEqual([expect.stringMatching(/could not save the host identity .*changed-identity warning next time/)]);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      chmodSync(dir, 0o700);
    }
  });

  it('with a data folder that cannot be made, gives this run an identity, not saved', async () => {
    const file = join(newDir(), 'a-file');
    writeFileSync(file, 'x');
    const lines: string[] = [];
    const identity = await loadOrCreateIdentity(join(file, 'data'), { log: (line) => lines.push(line) });
    expect(identity).toMatchObject({ saved: false, source: 'generated' });
    expect(lines).toHaveLength(1);
  });
});

describe('identityFromPem', () => {
  it('reads a provided pair the same way, the leaf being the first certificate', async () => {
    const dir = newDir();
    const made = await loadOrCreateIdentity(dir);
    const provided = identityFromPem(made.key, `${made.cert}${made.cert}`, 'provided');
    expect(provided).toMatchObject({ fingerprint: made.fingerprint, hostId: made.hostId, source: 'provided' });
    expect(() => identityFromPem(made.key, 'nope', 'provided')).toThrow(IdentityError);
  });
});

describe('a fingerprint id where the older random ids went', () => {
  it('passes the link, TXT and id rules unchanged, with the longest room name inside the TXT budget', async () => {
    const identity = await loadOrCreateIdentity(newDir());
    expect(identity.hostId).toHaveLength(32);
    expect(identity.hostId).toMatch(HOST_ID);
    const parsed = parseInvite(inviteLink([{ host: '192.168.1.7', port: 47800 }], identity.hostId)!);
    expect(parsed).toMatchObject({ ok: true, invite: { hostId: identity.hostId } });
    const record = encodeTxt({ v: 1, room: '😀'.repeat(MAX_ROOM_NAME_CHARS), users: 100_000, lock: true, id: identity.hostId });
    expect(txtBytes(record)).toBeLessThanOrEqual(MAX_TXT_BYTES);
    const decoded = decodeTxt(Object.entries(record).map(([k, v]) => `${k}=${v}`));
    expect(decoded?.id).toBe(identity.hostId);
    expect(decoded?.room.length).toBeGreaterThan(10);
    expect(instanceName('Kitchen', identity.hostId)).toBe(`Kitchen (${identity.hostId.slice(0, 6)})`);
  });
});
