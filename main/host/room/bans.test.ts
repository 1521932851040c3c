// Bans on a LAN: they hold on the member's address as well as on their user id (a new
// browser profile on the same machine is the same person), are listed, can be lifted by
// name, address or id, and never remove the host's own member. The room is fed fake peers
// with LAN addresses, which a test host on loopback cannot give.
import { describe, expect, it } from 'vitest';
import { randomId } from '../../../common/ids.ts';
import { PROTOCOL_VERSION } from '../../../common/protocol.ts';
import { FakePeer } from '../../../test/support/fake-peer.ts';
import { Room, userIdFor, type Session } from './index.ts';
import { MemoryHistoryStore } from '../store/index.ts';

let clock = 1_000_000;
function newRoom(ownerId?: string): Room {
  return new Room({ name: 'Kitchen', store: new MemoryHistoryStore(), now: () => clock, ...(ownerId && { ownerId }) });
}

function arrive(room: Room, name: string, address: string, clientId = randomId(22)): { peer: FakePeer; session: Session; clientId: string } {
  const peer = new FakePeer(address);
  const session = room.open(peer);
  room.handle(session, { type: 'join', v: PROTOCOL_VERSION, name, clientId });
  return { peer, session, clientId };
}

describe('bans', () => {
  it('hold on the address: the same machine with a new client id stays out', () => {
    const room = newRoom();
    const ben = arrive(room, 'Ben', '192.168.1.23');
    expect(ben.peer.last('welcome')).toBeDefined();
    expect(room.moderate({ action: 'ban', target: 'ben', reason: 'spam' })).toMatchObject({ ok: true });
    expect(ben.peer.last('kicked')).toEqual({ type: 'kicked', reason: 'spam', banned: true });

    // Another browser profile: another client id, the same address.
    const again = arrive(room, 'Benjamin', '192.168.1.23');
    expect(again.peer.last('join_error')).toMatchObject({ code: 'banned' });
    expect(again.peer.last('welcome')).toBeUndefined();
    // The same browser from elsewhere: the user id is banned too.
    const moved = arrive(room, 'Ben', '192.168.1.99', ben.clientId);
    expect(moved.peer.last('join_error')).toMatchObject({ code: 'banned' });
    // Someone else on the LAN is not affected.
    expect(arrive(room, 'Cleo', '192.168.1.40').peer.last('welcome')).toBeDefined();
  });

  it('are listed with name, address, reason, when and by whom', () => {
    const room = newRoom();
    const admin = arrive(room, 'Ada', '192.168.1.2');
    arrive(room, 'Ben', '192.168.1.23');
    clock = 2_000_000;
    room.handle(admin.session, { type: 'admin', token: room.adminToken, action: 'ban', target: 'Ben', reason: 'spam' });
    room.moderate({ action: 'ban', target: '10.0.0.7' });
    expect(room.bans()).toEqual([
      { name: 'Ben', userId: expect.any(String), address: '192.168.1.23', reason: 'spam', at: 2_000_000, by: 'Ada' },
      { name: '', userId: null, address: '10.0.0.7', reason: '', at: 2_000_000, by: 'the host' },
    ]);
  });

  it('are lifted by name (any case) or by address, and the person can come back', () => {
    const room = newRoom();
    arrive(room, 'Ben', '192.168.1.23');
    arrive(room, 'Dee', '192.168.1.30');
    room.moderate({ action: 'ban', target: 'Ben' });
    room.moderate({ action: 'ban', target: 'Dee' });

    expect(room.moderate({ action: 'unban', target: 'BEN' })).toEqual({ ok: true, detail: 'unbanned Ben (192.168.1.23)' });
    expect(arrive(room, 'Ben', '192.168.1.23').peer.last('welcome')).toBeDefined();

    expect(room.moderate({ action: 'unban', target: '192.168.1.30' })).toMatchObject({ ok: true });
    expect(arrive(room, 'Dee', '192.168.1.30').peer.last('welcome')).toBeDefined();
    expect(room.bans()).toEqual([]);

    // Nothing to lift: the answer says who is banned, so the host knows what to type.
    room.moderate({ action: 'ban', target: '10.0.0.7' });
    expect(room.moderate({ action: 'unban', target: 'Zed' })).toEqual({ ok: false, code: 'no_such_member', error: 'Zed is not banned (banned: 10.0.0.7)' });
  });

  it('are lifted by user id, as the dashboard does', () => {
    const room = newRoom();
    const ben = arrive(room, 'Ben', '192.168.1.23');
    room.moderate({ action: 'ban', target: 'Ben' });
    expect(room.moderate({ action: 'unban', target: userIdFor(ben.clientId) })).toMatchObject({ ok: true });
    expect(arrive(room, 'Ben', '192.168.1.23').peer.last('welcome')).toBeDefined();
  });

  it('never remove the host: the hosting app cannot kick or ban its own member', () => {
    const hostClient = randomId(22);
    const room = newRoom(userIdFor(hostClient));
    const me = arrive(room, 'Hilda', '127.0.0.1', hostClient);
    const refused = { ok: false, code: 'admin_refused', error: 'you cannot remove yourself' };
    expect(room.moderate({ action: 'kick', target: 'Hilda' })).toEqual(refused);
    expect(room.moderate({ action: 'ban', target: userIdFor(hostClient) })).toEqual(refused);
    expect(me.peer.last('kicked')).toBeUndefined();
    expect(room.memberCount).toBe(1);

    // A ban of the host's own address keeps others on it out, never the host.
    arrive(room, 'Guest', '127.0.0.1');
    expect(room.moderate({ action: 'ban', target: '127.0.0.1' })).toMatchObject({ ok: true, detail: 'banned address 127.0.0.1 (1 removed)' });
    expect(room.memberCount).toBe(1);
  });

  it('never remove the admin who asks: a terminal host cannot ban itself by name', () => {
    const room = newRoom();
    const admin = arrive(room, 'Ada', '192.168.1.2');
    room.handle(admin.session, { type: 'admin', token: room.adminToken, action: 'ban', target: 'ada' });
    expect(admin.peer.last('error')).toMatchObject({ code: 'admin_refused', message: 'you cannot remove yourself' });
    expect(admin.peer.last('kicked')).toBeUndefined();
  });
});
