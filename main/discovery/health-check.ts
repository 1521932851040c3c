// GET /health of a room as the browser needs it: which host answers there (its id), how
// many people it has. Anything else (nothing listening, not Hearth, a slow answer) is
// "no Hearth here".

export interface HealthAnswer {
  /** The host id (the TXT id); absent from hosts older than issue #14. */
  id?: string;
  room?: string;
  members?: number;
  /** The protocol version and the lock: what a room found by scanning is listed with. */
  version?: number;
  passwordRequired?: boolean;
}

export type HealthCheck = (address: string, port: number) => Promise<HealthAnswer | undefined>;

/** A Hearth /health answer is ~150 bytes; whatever sends more is not one (and must not fill memory). */
export const MAX_HEALTH_BYTES = 4096;

export function healthCheck(timeoutMs: number): HealthCheck {
  return async (address, port) => {
    try {
      const res = await fetch(`http://${address}:${port}/health`, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
      if (!res.ok) return undefined;
      return readHealth(await readAtMost(res, MAX_HEALTH_BYTES));
    } catch {
      return undefined;
    }
  };
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

async function readAtMost(res: Response, limit: number): Promise<string | undefined> {
  const reader = res.body?.getReader();
  if (!reader) return undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks).toString('utf8');
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
}
