// The test man in the middle works: a client that trusts its certificate reaches the real
// host through it, and the proxy reads what the host says; pinned to the real host, a client is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { pinnedTlsConnect } from '../../main/discovery/identity-probe.ts';
import { loadOrCreateIdentity, type LoadedIdentity } from '../../main/host/identity.ts';
import { startTestHost, tempDir } from './host.ts';
import { startMitmProxy, type MitmProxy } from './mitm-proxy.ts';

const dir = tempDir('hearth-mitm-');
let real: LoadedIdentity;
let host: Awaited<ReturnType<typeof startTestHost>>;
let proxy: MitmProxy;

beforeAll(async () => {
  real = await loadOrCreateIdentity(`${dir.path}/real`);
  const impostor = await loadOrCreateIdentity(`${dir.path}/impostor`);
  host = await startTestHost({ tls: { key: real.key, cert: real.cert } });
  proxy = await startMitmProxy(impostor, { host: '127.0.0.1', port: host.port });
});
afterAll(async () => {
  await proxy.close();
  await host.dispose();
  dir.remove();
});

function hello(pin: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`wss://127.0.0.1:${proxy.port}/ws`, { createConnection: pinnedTlsConnect(pin) as never });
    ws.once('message', (data: Buffer) => {
      ws.close();
      resolve(data.toString());
    });
    ws.once('error', reject);
  });
}

describe('startMitmProxy', () => {
  it('relays to the real host for whoever trusts its certificate, and reads everything', async () => {
    const answer = await hello(proxy.fingerprint);
    expect(JSON.parse(answer)).toMatchObject({ type: 'hello', room: 'Test room' });
    expect(proxy.saw('Test room')).toBe(true); // the host's frames are not masked: the proxy reads them as they are
  });

  it('is refused by a client pinned to the real host', async () => {
    await expect(hello(real.fingerprint)).rejects.toThrow(/pinned/);
  });
});
