// /health as discovery asks it (issue #16): https first, the certificate read and turned into
// the host id it proves; plain http for hosts from before #16. Real servers on 127.0.0.1:0.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FINGERPRINT_ID } from '../../common/identity.ts';
import { loadOrCreateIdentity, type HostIdentity } from '../host/identity.ts';
import { startTestHost, tempDir } from '../../test/support/host.ts';
import { answersForItsId, fetchHealth, healthCheck } from './health-check.ts';

const dirs = [tempDir('hearth-health-a-'), tempDir('hearth-health-b-')];
let identity: HostIdentity;
let other: HostIdentity;
beforeAll(async () => {
  identity = await loadOrCreateIdentity(dirs[0]!.path);
  other = await loadOrCreateIdentity(dirs[1]!.path);
});
afterAll(() => dirs.forEach((d) => d.remove()));

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function serve(server: HttpServer | HttpsServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

const hearthBody = (id: string) => JSON.stringify({ ok: true, app: 'hearth', id, room: 'Kitchen', version: 1, members: 1, passwordRequired: false });

describe('health check', () => {
  it('a host serving its own certificate proves its id', async () => {
    expect(identity.hostId).toMatch(FINGERPRINT_ID);
    const host = await startTestHost({ tls: { key: identity.key, cert: identity.cert }, hostId: identity.hostId });
    cleanups.push(() => host.dispose());
    const answer = await healthCheck(2000)('127.0.0.1', host.port);
    expect(answer).toMatchObject({ id: identity.hostId, provenId: identity.hostId });
  });

  it('a plain-only server (a host from before #16) is answered in plain http, proving nothing', async () => {
    const port = await serve(createHttpServer((_req, res) => res.end(hearthBody(identity.hostId))));
    const answer = await healthCheck(2000)('127.0.0.1', port);
    expect(answer).toMatchObject({ id: identity.hostId, room: 'Kitchen' });
    expect(answer?.provenId).toBeUndefined();
  });

  it('a TLS server with another certificate claiming the id is refuted', async () => {
    const port = await serve(createHttpsServer({ key: other.key, cert: other.cert }, (_req, res) => res.end(hearthBody(identity.hostId))));
    const answer = await healthCheck(2000)('127.0.0.1', port);
    expect(answer).toMatchObject({ id: identity.hostId });
    expect(answer?.provenId).toBeUndefined();
  });

  it('nothing listening, or not Hearth: no answer, and within the budget', async () => {
    const closed = await serve(createHttpServer());
    await cleanups.pop()!();
    expect(await healthCheck(2000)('127.0.0.1', closed)).toBeUndefined();
    const notHearth = await serve(createHttpsServer({ key: other.key, cert: other.cert }, (_req, res) => res.end('{"app":"else"}')));
    expect(await healthCheck(2000)('127.0.0.1', notHearth)).toBeUndefined();
    // A server that accepts and never answers: the TLS try and the plain one share one budget.
    const silent = await serve(createHttpServer(() => {}));
    const started = performance.now();
    expect(await fetchHealth('127.0.0.1', silent, AbortSignal.timeout(300))).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('a fingerprint-shaped id stands as a source only with its proof; an older id as it is', () => {
    const id = 'hyobctq2me7xk4alw3fdmzxw6ytboiaa';
    expect(answersForItsId({ id })).toBe(false);
    expect(answersForItsId({ id, provenId: id })).toBe(true);
    expect(answersForItsId({ id: 'legacy000001' })).toBe(true);
  });
});
