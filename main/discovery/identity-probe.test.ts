// The certificate check the pinning clients use, against a real host on 127.0.0.1 that
// speaks TLS and plain on one port, and against a plain-only server (a host from before).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadOrCreateIdentity, type LoadedIdentity } from '../host/identity.ts';
import { startTestHost, tempDir } from '../../test/support/host.ts';
import { PinMismatchError, pinnedTlsConnect, presentedFingerprint } from './identity-probe.ts';

const dir = tempDir('hearth-probe-');
let identity: LoadedIdentity;
let other: LoadedIdentity;
let host: Awaited<ReturnType<typeof startTestHost>>;
let plain: Server;

beforeAll(async () => {
  identity = await loadOrCreateIdentity(`${dir.path}/a`);
  other = await loadOrCreateIdentity(`${dir.path}/b`);
  host = await startTestHost({ tls: { key: identity.key, cert: identity.cert } });
  plain = createServer((_req, res) => res.end('old host'));
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await host.dispose();
  await new Promise((resolve) => plain.close(resolve));
  dir.remove();
});

describe('presentedFingerprint', () => {
  it('reads the fingerprint of the certificate a host presents', async () => {
    expect(await presentedFingerprint('127.0.0.1', host.port)).toEqual({ ok: true, fingerprint: identity.fingerprint });
  });

  it('says a host that speaks no TLS is one, and a closed port is unreachable', async () => {
    expect(await presentedFingerprint('127.0.0.1', (plain.address() as AddressInfo).port)).toEqual({ ok: false, reason: 'no-tls' });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await presentedFingerprint('127.0.0.1', port)).toEqual({ ok: false, reason: 'unreachable' });
  });
});

describe('pinnedTlsConnect', () => {
  function open(pin: string, onMismatch?: (presented: string) => void): Promise<{ opened: boolean; error?: Error }> {
    return new Promise((resolve) => {
      const ws = new WebSocket(`wss://127.0.0.1:${host.port}/ws`, { createConnection: pinnedTlsConnect(pin, onMismatch) as never });
      ws.once('open', () => {
        ws.close();
        resolve({ opened: true });
      });
      ws.once('error', (error) => resolve({ opened: false, error }));
    });
  }

  it('opens a wss connection to the pinned certificate', async () => {
    expect(await open(identity.fingerprint.toUpperCase())).toEqual({ opened: true });
  });

  it('refuses another certificate at the handshake and says which one it was', async () => {
    const heard: string[] = [];
    const result = await open(other.fingerprint, (presented) => heard.push(presented));
    expect(result.opened).toBe(false);
    expect(result.error).toBeInstanceOf(PinMismatchError);
    expect(heard).toEqual([identity.fingerprint]);
  });
});
