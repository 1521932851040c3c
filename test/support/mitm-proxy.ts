// A man in the middle for tests: a TLS server on 127.0.0.1 with its own certificate that
// terminates each connection and relays it, decrypted and re-encrypted, to a real host.
// Whoever trusts the proxy's certificate talks to the real room through it, and the proxy
// reads everything: what a pinning client must refuse, and what a channel-bound password
// proof must defeat (the real host refuses a proof bound to the proxy's certificate).
import { X509Certificate } from 'node:crypto';
import { createServer, type Server, type TLSSocket, connect as tlsConnect } from 'node:tls';
import type { AddressInfo, Socket } from 'node:net';
import { fingerprintOf } from '../../common/identity.ts';

export interface MitmProxy {
  /** Where victims connect (127.0.0.1). */
  readonly port: number;
  /** The fingerprint of the certificate the proxy presents (lowercase hex). */
  readonly fingerprint: string;
  /** Whether `text` (UTF-8) was read by the proxy, either way. */
  saw(text: string): boolean;
  /** Connections that reached the TLS stage (the handshake completed with the proxy). */
  readonly handshakes: number;
  close(): Promise<void>;
}

const MAX_RECORDED = 16 * 1024 * 1024;

export async function startMitmProxy(identity: { key: string; cert: string }, target: { host: string; port: number }): Promise<MitmProxy> {
  const seen: Buffer[] = [];
  let recorded = 0;
  let handshakes = 0;
  const sockets = new Set<Socket>();
  const record = (chunk: Buffer) => {
    if (recorded + chunk.length > MAX_RECORDED) return;
    recorded += chunk.length;
    seen.push(Buffer.from(chunk));
  };
  const server: Server = createServer({ key: identity.key, cert: identity.cert }, (victim: TLSSocket) => {
    handshakes++;
    const upstream = tlsConnect({ host: target.host, port: target.port, rejectUnauthorized: false, servername: '' });
    for (const s of [victim, upstream]) {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
      s.on('error', () => {
        victim.destroy();
        upstream.destroy();
      });
    }
    victim.on('data', (chunk: Buffer) => {
      record(chunk);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      record(chunk);
      victim.write(chunk);
    });
    victim.on('end', () => upstream.end());
    upstream.on('end', () => victim.end());
  });
  server.on('tlsClientError', () => undefined); // a victim that refused our certificate: expected
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    fingerprint: fingerprintOf(new X509Certificate(identity.cert).raw),
    saw: (text) => Buffer.concat(seen).includes(Buffer.from(text, 'utf8')),
    get handshakes() {
      return handshakes;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
