// Before opening a WebSocket, ask the address what it is: a person deserves "nothing is
// answering there" or "that is not a Hearth room" rather than a bare connection error.
import type { RoomAddress } from './address.ts';

export interface RoomHealth {
  /** The host's id, when it names one: the same id at another address is the same host. */
  id?: string;
  room: string;
  version: number;
  members: number;
  passwordRequired: boolean;
  /** The port also answers TLS (https, wss); absent from hosts before #16. */
  tls?: boolean;
  /** The room takes only encrypted (TLS) joins: a page on plain http cannot join it. */
  encryptedOnly?: boolean;
}

export type ProbeResult = { ok: true; health: RoomHealth } | { ok: false; reason: string; kind: 'unreachable' | 'not_hearth' };

export type FetchLike = (url: string, init: { signal: unknown; mode?: 'no-cors' }) => Promise<{ ok: boolean; json(): Promise<unknown> }>;
declare const AbortSignal: { timeout(ms: number): unknown };

/** Answers within timeoutMs, whatever happens (the no-cors retry shares the time). */
export async function probeRoom(address: RoomAddress, fetchImpl: FetchLike, timeoutMs = 4000): Promise<ProbeResult> {
  const deadline = Date.now() + timeoutMs;
  let body: unknown;
  try {
    const res = await fetchImpl(`${address.httpUrl}health`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return notHearth(address);
    body = await res.json();
  } catch (error) {
    const name = (error as { name?: string } | undefined)?.name;
    if (name === 'SyntaxError') return notHearth(address);
    // In a browser a server without CORS headers fails exactly like no server at all.
    // An opaque (no-cors) answer tells them apart: something is there, and it is not Hearth.
    if (name !== 'TimeoutError') {
      try {
        await fetchImpl(`${address.httpUrl}health`, { signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())), mode: 'no-cors' });
        return notHearth(address);
      } catch {
        // Nothing there either way.
      }
    }
    return {
      ok: false,
      kind: 'unreachable',
      reason:
        name === 'TimeoutError'
          ? `${address.display} did not answer. Check the address and that you are on the same network.`
          : `Nothing is answering at ${address.display}. Is the room still open?`,
    };
  }
  const health = body as Partial<RoomHealth> & { app?: unknown };
  if (health?.app !== 'hearth' || typeof health.room !== 'string' || typeof health.version !== 'number') {
    return notHearth(address);
  }
  return {
    ok: true,
    health: {
      ...(typeof health.id === 'string' && { id: health.id }),
      room: health.room,
      version: health.version,
      members: typeof health.members === 'number' ? health.members : 0,
      passwordRequired: health.passwordRequired === true,
      ...(health.tls === true && { tls: true }),
      ...(health.encryptedOnly === true && { encryptedOnly: true }),
    },
  };
}

function notHearth(address: RoomAddress): ProbeResult {
  return { ok: false, kind: 'not_hearth', reason: `${address.display} answers, but it is not a Hearth room.` };
}
