import { describe, expect, it } from 'vitest';
import { parseAddress, type RoomAddress } from './address.ts';
import { probeRoom, type FetchLike } from './probe.ts';

const parsed = parseAddress('192.168.1.7:47800');
if (!parsed.ok) throw new Error('test address did not parse');
const address: RoomAddress = parsed.address;

/** A /health that answers `body`. */
const answering = (body: unknown): FetchLike => async () => ({ ok: true, json: async () => body });

describe('probeRoom and /health', () => {
  const older = { ok: true, app: 'hearth', id: 'kitchen0001', room: 'Kitchen', version: 1, members: 2, passwordRequired: false, uptime: 5 };

  it('reads an answer from before #16 as it always did: no tls field', async () => {
    expect(await probeRoom(address, answering(older))).toEqual({ ok: true, health: { id: 'kitchen0001', room: 'Kitchen', version: 1, members: 2, passwordRequired: false } });
  });

  it('keeps tls: true from a host whose port also answers TLS', async () => {
    const result = await probeRoom(address, answering({ ...older, tls: true }));
    expect(result.ok && result.health.tls).toBe(true);
  });

  it('ignores a tls field that is not true', async () => {
    const result = await probeRoom(address, answering({ ...older, tls: 'yes' }));
    expect(result.ok && 'tls' in result.health).toBe(false);
  });

  it('keeps encryptedOnly: true from a room that takes only TLS joins, and nothing else in its place', async () => {
    const strict = await probeRoom(address, answering({ ...older, tls: true, encryptedOnly: true }));
    expect(strict.ok && strict.health).toMatchObject({ tls: true, encryptedOnly: true });
    const odd = await probeRoom(address, answering({ ...older, tls: true, encryptedOnly: 1 }));
    expect(odd.ok && 'encryptedOnly' in odd.health).toBe(false);
  });
});
