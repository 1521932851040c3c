// The app's identity check and trust, against real hosts on 127.0.0.1: one that speaks TLS
// with identity A, and a plain-only server (a host from before encryption).
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colonHex } from '../../common/identity.ts';
import { KnownHosts } from '../discovery/known-hosts.ts';
import { loadOrCreateIdentity, type LoadedIdentity } from '../host/identity.ts';
import { startTestHost, tempDir, tempDirsPerTest } from '../../test/support/host.ts';
import { checkIdentity, trustIdentity, type IdentityCheckContext } from './identity-check.ts';
import { PinStore } from './pins.ts';

const dir = tempDir('hearth-identity-check-');
const dataDir = tempDirsPerTest('hearth-known-');
let a: LoadedIdentity;
let b: LoadedIdentity;
let host: Awaited<ReturnType<typeof startTestHost>>;
let plain: Server;
let plainPort: number;
let closedPort: number;

beforeAll(async () => {
  a = await loadOrCreateIdentity(`${dir.path}/a`);
  b = await loadOrCreateIdentity(`${dir.path}/b`);
  host = await startTestHost({ tls: { key: a.key, cert: a.cert } });
  plain = createServer((_req, res) => res.end('old host'));
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  plainPort = (plain.address() as AddressInfo).port;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  closedPort = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
});
afterAll(async () => {
  await host.dispose();
  await new Promise((resolve) => plain.close(resolve));
  dir.remove();
});

function context(options: { own?: string } = {}) {
  const file = join(dataDir(), 'known_hosts');
  const pins = new PinStore();
  const known = new KnownHosts(file);
  const ctx: IdentityCheckContext = { knownHosts: () => known, pins, ownFingerprint: () => options.own };
  return { ctx, pins, known, file };
}

const at = () => ({ host: '127.0.0.1', port: host.port });

describe('room:identity', () => {
  it('trusts a host on first use, remembers and pins it, and knows it the next time', async () => {
    const { ctx, pins, file } = context();
    expect(await checkIdentity(at(), ctx)).toEqual({ ok: true, value: { kind: 'first-use', fingerprint: a.fingerprint } });
    expect(readFileSync(file, 'utf8')).toContain(`127.0.0.1:${host.port} ${a.fingerprint}`);
    expect([...pins.fingerprints('127.0.0.1')]).toEqual([a.fingerprint]);
    expect(await checkIdentity(at(), ctx)).toEqual({ ok: true, value: { kind: 'trusted', fingerprint: a.fingerprint, via: 'known' } });
  });

  it('trusts the id a room was found or linked by without a prompt, and refuses another host for it', async () => {
    const { ctx, pins, known } = context();
    expect(await checkIdentity({ ...at(), expectedId: a.hostId }, ctx)).toEqual({ ok: true, value: { kind: 'trusted', fingerprint: a.fingerprint, via: 'id' } });
    expect(pins.fingerprints('127.0.0.1').has(a.fingerprint)).toBe(true);

    const other = context();
    expect(await checkIdentity({ ...at(), expectedId: b.hostId }, other.ctx)).toEqual({
      ok: true,
      value: { kind: 'not-this-host', expectedId: b.hostId, presented: a.fingerprint },
    });
    expect(other.pins.fingerprints('127.0.0.1').size).toBe(0);
    expect(other.known.size).toBe(0);
    expect(known.size).toBe(1);
  });

  it('stops at a changed identity: both shown, nothing pinned, the remembered one kept', async () => {
    const { ctx, pins, known } = context();
    known.remember(`127.0.0.1:${host.port}`, b.fingerprint);
    expect(await checkIdentity(at(), ctx)).toEqual({ ok: true, value: { kind: 'changed', remembered: b.fingerprint, presented: a.fingerprint } });
    expect(pins.fingerprints('127.0.0.1').size).toBe(0);
    expect(known.get(`127.0.0.1:${host.port}`)).toBe(b.fingerprint);
  });

  it('calls a changed identity changed even when a row or a link vouches for the new one: whoever took the address can announce it', async () => {
    const { ctx, pins, known } = context();
    known.remember(`127.0.0.1:${host.port}`, b.fingerprint);
    expect(await checkIdentity({ ...at(), expectedId: a.hostId }, ctx)).toEqual({ ok: true, value: { kind: 'changed', remembered: b.fingerprint, presented: a.fingerprint } });
    expect(pins.fingerprints('127.0.0.1').size).toBe(0);
    expect(known.get(`127.0.0.1:${host.port}`)).toBe(b.fingerprint);
  });

  it('compares with the identity a room was joined with when nothing is remembered (a known_hosts that could not be written)', async () => {
    const { ctx, pins } = context();
    expect(await checkIdentity({ ...at(), previous: b.fingerprint }, ctx)).toEqual({ ok: true, value: { kind: 'changed', remembered: b.fingerprint, presented: a.fingerprint } });
    expect(pins.fingerprints('127.0.0.1').size).toBe(0);
    expect(await checkIdentity({ ...at(), previous: a.fingerprint }, ctx)).toMatchObject({ ok: true, value: { kind: 'trusted', via: 'known' } });
  });

  it('joins a host from before encryption in plain, unless it had an identity: then it refuses, with a sentence', async () => {
    const fresh = context();
    expect(await checkIdentity({ host: '127.0.0.1', port: plainPort }, fresh.ctx)).toEqual({ ok: true, value: { kind: 'no-tls' } });
    // A legacy (random) id pins nothing.
    expect(await checkIdentity({ host: '127.0.0.1', port: plainPort, expectedId: 'abcdefgh1234' }, fresh.ctx)).toEqual({ ok: true, value: { kind: 'no-tls' } });
    expect(fresh.known.size).toBe(0);

    expect(await checkIdentity({ host: '127.0.0.1', port: plainPort, expectedId: a.hostId }, fresh.ctx)).toEqual({
      ok: false,
      error: `The host at 127.0.0.1:${plainPort} answered without encryption, but the room was found with an identity. Someone on this network may be pretending to be it, so Hearth did not join.`,
    });
    const knownBefore = context();
    knownBefore.known.remember(`127.0.0.1:${plainPort}`, a.fingerprint);
    expect(await checkIdentity({ host: '127.0.0.1', port: plainPort }, knownBefore.ctx)).toMatchObject({ ok: false, error: /without encryption, but it had an identity when you joined it before/ });
    expect(knownBefore.pins.fingerprints('127.0.0.1').size).toBe(0);
  });

  it('says when the host cannot be reached', async () => {
    const { ctx } = context();
    expect(await checkIdentity({ host: '127.0.0.1', port: closedPort }, ctx)).toEqual({
      ok: false,
      error: `Cannot reach 127.0.0.1:${closedPort} to check its identity. Check that the room is still open, then try again.`,
    });
  });

  it('refuses a known-hosts file it cannot read rather than treat every host as new', async () => {
    const { ctx } = context();
    const failing: IdentityCheckContext = {
      ...ctx,
      knownHosts: () => {
        throw new Error('EACCES: permission denied, open known_hosts');
      },
    };
    expect(await checkIdentity(at(), failing)).toEqual({ ok: false, error: 'Cannot read the hosts you joined before: EACCES: permission denied, open known_hosts' });
  });

  it('answers a malformed request with a sentence', async () => {
    const { ctx } = context();
    expect(await checkIdentity({ host: '', port: host.port }, ctx)).toEqual({ ok: false, error: 'The host must be a name or an address, like 192.168.1.7.' });
    expect(await checkIdentity({ host: 'a b', port: host.port }, ctx)).toMatchObject({ ok: false, error: /name or an address/ });
    expect(await checkIdentity({ host: '127.0.0.1', port: 70_000 }, ctx)).toEqual({ ok: false, error: 'The port must be 1–65535.' });
    expect(await checkIdentity({ host: '127.0.0.1', port: 1.5 }, ctx)).toEqual({ ok: false, error: 'The port must be a whole number.' });
    expect(await checkIdentity(null, ctx)).toEqual({ ok: false, error: 'That request is not valid.' });
    expect(await checkIdentity({ host: '127.0.0.1', port: '47800' }, ctx)).toEqual({ ok: false, error: 'That request is not valid.' });
  });
});

describe('room:trust', () => {
  it('trusts a changed identity the host presents now: remembered and pinned, known next time', async () => {
    const { ctx, pins, known } = context();
    known.remember(`127.0.0.1:${host.port}`, b.fingerprint);
    expect(await trustIdentity({ ...at(), fingerprint: a.fingerprint }, ctx)).toEqual({ ok: true, value: null });
    expect(known.get(`127.0.0.1:${host.port}`)).toBe(a.fingerprint);
    expect(pins.fingerprints('127.0.0.1').has(a.fingerprint)).toBe(true);
    expect(await checkIdentity(at(), ctx)).toEqual({ ok: true, value: { kind: 'trusted', fingerprint: a.fingerprint, via: 'known' } });
  });

  it('reads the fingerprint as people copy it (colon hex)', async () => {
    const { ctx, pins } = context();
    expect(await trustIdentity({ ...at(), fingerprint: colonHex(a.fingerprint) }, ctx)).toEqual({ ok: true, value: null });
    expect(pins.fingerprints('127.0.0.1').has(a.fingerprint)).toBe(true);
  });

  it('refuses an identity the host does not present now, a host without one, and what is no fingerprint', async () => {
    const { ctx, pins, known } = context();
    expect(await trustIdentity({ ...at(), fingerprint: b.fingerprint }, ctx)).toEqual({
      ok: false,
      error: `The host at 127.0.0.1:${host.port} now presents another identity than the one you checked. Nothing was trusted: try joining again.`,
    });
    expect(await trustIdentity({ host: '127.0.0.1', port: plainPort, fingerprint: a.fingerprint }, ctx)).toEqual({
      ok: false,
      error: `The host at 127.0.0.1:${plainPort} no longer answers with an identity. Nothing was trusted.`,
    });
    expect(await trustIdentity({ host: '127.0.0.1', port: closedPort, fingerprint: a.fingerprint }, ctx)).toMatchObject({ ok: false, error: /Cannot reach/ });
    expect(await trustIdentity({ ...at(), fingerprint: 'hyobc-tq2me-7xk4a-lw3fd' }, ctx)).toEqual({ ok: false, error: 'That is not a SHA-256 fingerprint.' });
    expect(pins.fingerprints('127.0.0.1').size).toBe(0);
    expect(known.size).toBe(0);
  });
});
