import { describe, expect, it } from 'vitest';
import { hostIdOf } from '../../../common/identity.ts';
import type { IdentityCheck, Result } from '../../../common/ipc.ts';
import { checkedSockets, reconnectVerdict, recheckRequest, type ReconnectVerdict } from './identity-guard.ts';
import { FakeSocket } from '../../../test/support/fake-socket.ts';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const ok = (value: IdentityCheck): Result<IdentityCheck> => ({ ok: true, value });

describe('whether a secure room may reconnect', () => {
  it('asks about the address, vouched for by the id of the certificate the room was joined with', () => {
    expect(recheckRequest('192.168.1.7', 47800, A)).toEqual({ host: '192.168.1.7', port: 47800, expectedId: hostIdOf(A), previous: A });
  });

  it('reconnects to the same certificate', () => {
    expect(reconnectVerdict(A, ok({ kind: 'trusted', fingerprint: A, via: 'id' }))).toEqual({ kind: 'connect' });
    expect(reconnectVerdict(A.toUpperCase(), ok({ kind: 'trusted', fingerprint: A, via: 'known' }))).toEqual({ kind: 'connect' });
  });

  it('stops for any other certificate, however the shell names it', () => {
    const stop = { kind: 'identity-changed', presented: B };
    expect(reconnectVerdict(A, ok({ kind: 'not-this-host', expectedId: hostIdOf(A), presented: B }))).toEqual(stop);
    expect(reconnectVerdict(A, ok({ kind: 'changed', remembered: A, presented: B }))).toEqual(stop);
    // Even one the shell would trust (another room's listing, first use): it is not the host joined.
    expect(reconnectVerdict(A, ok({ kind: 'trusted', fingerprint: B, via: 'id' }))).toEqual(stop);
    expect(reconnectVerdict(A, ok({ kind: 'first-use', fingerprint: B }))).toEqual(stop);
  });

  it('does not connect now when the check cannot tell (host down, no TLS), nor stop for good', () => {
    expect(reconnectVerdict(A, { ok: false, error: 'Cannot reach 192.168.1.7:47800 to check its identity.' })).toEqual({ kind: 'unchecked' });
    expect(reconnectVerdict(A, ok({ kind: 'no-tls' }))).toEqual({ kind: 'unchecked' });
  });
});

function setup(verdicts: ReconnectVerdict[]) {
  const opened: FakeSocket[] = [];
  const changed: string[] = [];
  let checks = 0;
  const factory = checkedSockets(
    () => {
      const socket = new FakeSocket();
      opened.push(socket);
      return socket;
    },
    async () => verdicts[checks++]!,
    (verdict) => changed.push(verdict.presented),
  );
  return { factory, opened, changed, checks: () => checks };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the sockets of a secure room', () => {
  it('opens the first socket at once (the lobby has just checked), and each later one only after the check', async () => {
    const { factory, opened, checks } = setup([{ kind: 'connect' }]);
    const first = factory('wss://h:1/');
    expect(first).toBe(opened[0]);
    expect(checks()).toBe(0);

    const second = factory('wss://h:1/');
    expect(second.readyState).toBe(0);
    expect(opened).toHaveLength(1);
    await settle();
    expect(checks()).toBe(1);
    expect(opened).toHaveLength(2);
    // The client's handlers, set on the stand-in, hear the real socket.
    const events: string[] = [];
    second.onopen = () => events.push('open');
    second.onmessage = (e) => events.push(`message ${String(e.data)}`);
    opened[1]!.open();
    opened[1]!.onmessage?.({ data: 'hi' });
    expect(second.readyState).toBe(1);
    second.send('frame');
    expect(opened[1]!.sent).toEqual(['frame']);
    expect(events).toEqual(['open', 'message hi']);
  });

  it('never opens a socket to another identity: it says so and closes as a connection that never came up', async () => {
    const { factory, opened, changed } = setup([{ kind: 'identity-changed', presented: B }]);
    factory('wss://h:1/');
    const second = factory('wss://h:1/');
    const closes: number[] = [];
    second.onclose = (e) => closes.push(e.code);
    await settle();
    expect(changed).toEqual([B]);
    expect(opened).toHaveLength(1);
    expect(second.readyState).toBe(3);
    expect(closes).toEqual([1006]);
  });

  it('opens nothing when the check could not tell: it closes as an unreachable host, and the client tries again', async () => {
    const { factory, opened, changed } = setup([{ kind: 'unchecked' }, { kind: 'connect' }]);
    factory('wss://h:1/');
    const second = factory('wss://h:1/');
    const closes: number[] = [];
    second.onclose = (e) => closes.push(e.code);
    await settle();
    expect(opened).toHaveLength(1);
    expect(changed).toEqual([]);
    expect(closes).toEqual([1006]);
    factory('wss://h:1/');
    await settle();
    expect(opened).toHaveLength(2);
  });

  it('opens nothing when the client gave the socket up while it was being checked', async () => {
    const { factory, opened, changed } = setup([{ kind: 'identity-changed', presented: B }]);
    factory('wss://h:1/');
    const second = factory('wss://h:1/');
    second.close(1000, 'connect timeout');
    await settle();
    expect(opened).toHaveLength(1);
    expect(changed).toEqual([]);
  });
});
