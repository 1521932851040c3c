// GET /health of a room as the browser needs it: which host answers there (its id), how
// many people it has, and whether that id is *proven* (issue #16). Anything else (nothing
// listening, not Hearth, a slow answer) is "no Hearth here".
//
// A host since #16 serves TLS on its room port with its own certificate, and its id is
// derived from that certificate (common/identity.ts). /health is asked in plain http, and
// an answer naming such an id is asked again over https: the certificate is not verified
// (it is self-signed; nothing vouches for it), it is *read*, and when its id is the one
// /health names the answer carries `provenId`. Only the holder of that key can present
// that certificate, so a liar on the LAN can claim an id but never prove it. The first
// version asked https first: every address that is not a room, and every older host, then
// cost a failed handshake and a second request, and a loaded scan missed its 600 ms.
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { FINGERPRINT_ID, fingerprintOf, hostIdOf } from '../../common/identity.ts';

export interface HealthAnswer {
  /** The host id (the TXT id); absent from hosts older than issue #14. */
  id?: string;
  room?: string;
  members?: number;
  /** The protocol version and the lock: what a room found by scanning is listed with. */
  version?: number;
  passwordRequired?: boolean;
  /** `id`, when the certificate the host presented is the one that id is derived from. */
  provenId?: string;
}

export type HealthCheck = (address: string, port: number) => Promise<HealthAnswer | undefined>;

/** A Hearth /health answer is ~150 bytes; whatever sends more is not one (and must not fill memory). */
export const MAX_HEALTH_BYTES = 4096;

export function healthCheck(timeoutMs: number): HealthCheck {
  return (address, port) => fetchHealth(address, port, AbortSignal.timeout(timeoutMs));
}

/**
 * /health at address:port: plain http first, as every Hearth host answers it, so an address
 * that is not a room, or a host from before #16, costs one request as it always did. An
 * answer that names an id derived from a certificate (FINGERPRINT_ID) is then asked again
 * over https, and carries `provenId` when the certificate presented is the one that id comes
 * from. A plain try that fails for another reason than an unreachable address (a server
 * that speaks only TLS resets it) is tried over https. Both share `signal`, so the whole
 * costs at most what it allows; an address that refuses or never answers is asked once.
 */
export async function fetchHealth(address: string, port: number, signal: AbortSignal): Promise<HealthAnswer | undefined> {
  const plain = await getHealth(address, port, signal, false);
  if (signal.aborted) return plain === 'failed' ? undefined : plain;
  if (plain === 'failed') {
    const secure = await getHealth(address, port, signal, true);
    return secure === 'failed' ? undefined : secure;
  }
  if (!plain?.id || !FINGERPRINT_ID.test(plain.id)) return plain;
  const secure = await getHealth(address, port, signal, true);
  return secure !== 'failed' && secure?.provenId === plain.id ? { ...plain, provenId: plain.id } : plain;
}

/**
 * Whether this answer may stand for the id it names as a source of its own: an id derived
 * from a certificate only with that certificate's proof; an older (random) id as it is.
 */
export function answersForItsId(answer: HealthAnswer & { id: string }): boolean {
  return !FINGERPRINT_ID.test(answer.id) || answer.provenId === answer.id;
}

/** What a /health body says, if it is Hearth's; undefined for anything else (not JSON, another app). */
export function readHealth(text: string | undefined): HealthAnswer | undefined {
  let body: { app?: unknown; id?: unknown; room?: unknown; members?: unknown; version?: unknown; passwordRequired?: unknown } | null;
  try {
    body = JSON.parse(text ?? 'null') as typeof body;
  } catch {
    return undefined;
  }
  if (body?.app !== 'hearth') return undefined;
  return {
    ...(typeof body.id === 'string' && { id: body.id }),
    ...(typeof body.room === 'string' && { room: body.room }),
    ...(typeof body.members === 'number' && Number.isInteger(body.members) && body.members >= 0 && { members: body.members }),
    ...(typeof body.version === 'number' && Number.isInteger(body.version) && { version: body.version }),
    ...(typeof body.passwordRequired === 'boolean' && { passwordRequired: body.passwordRequired }),
  };
}

/** Errors that mean "nobody is there" (or we gave up): asking again in plain http would only wait again. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ETIMEDOUT', 'ABORT_ERR', 'EADDRNOTAVAIL']);

/**
 * One GET /health without keep-alive (no socket outlives the answer), reading at most 4 KiB.
 * Over TLS the peer certificate is read in the response callback: by the response's end
 * `res.socket` is already gone. 'failed' when the try failed for another reason than an
 * unreachable address (a reset: TLS spoken to a plain server, or plain to a TLS-only one).
 */
function getHealth(address: string, port: number, signal: AbortSignal, secure: boolean): Promise<HealthAnswer | undefined | 'failed'> {
  return new Promise((resolve) => {
    // Callers may write an IPv6 address as in a URL ([fd00::2]); a request wants it bare.
    const host = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
    const options: RequestOptions = { host, port, path: '/health', agent: false, signal, headers: { connection: 'close', accept: 'application/json' } };
    const onResponse = (res: IncomingMessage) => {
      if (res.statusCode !== 200) {
        res.destroy();
        return resolve(undefined);
      }
      const provable = secure ? certificateId(res.socket as TLSSocket) : undefined;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size > MAX_HEALTH_BYTES) {
          res.destroy();
          resolve(undefined);
        } else chunks.push(chunk);
      });
      res.on('end', () => {
        const answer = readHealth(Buffer.concat(chunks).toString('utf8'));
        resolve(answer && provable !== undefined && answer.id === provable ? { ...answer, provenId: provable } : answer);
      });
      res.on('error', () => resolve(undefined));
      res.on('close', () => resolve(undefined));
    };
    const req = secure
      ? // Self-signed by design: read, not verified. No SNI: the address is an IP literal.
        httpsRequest({ ...options, rejectUnauthorized: false, servername: '' }, onResponse)
      : httpRequest(options, onResponse);
    req.on('error', (error: NodeJS.ErrnoException) => {
      const unreachable = signal.aborted || (error.code !== undefined && UNREACHABLE.has(error.code));
      resolve(unreachable ? undefined : 'failed');
    });
    req.end();
  });
}

/** The host id the certificate on this socket stands for, if it presented one. */
function certificateId(socket: TLSSocket | null): string | undefined {
  const raw = socket?.getPeerX509Certificate?.()?.raw;
  return raw ? hostIdOf(fingerprintOf(raw)) : undefined;
}
