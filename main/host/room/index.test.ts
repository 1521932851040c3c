// The room on its own: fake peers instead of sockets, a memory store, a clock the test
// sets. What each connection is told, and what the dashboard and the server's counters see.
import { describe, expect, it, vi } from 'vitest';
import { randomId } from '../../../common/ids.ts';
import { CloseCode, PROTOCOL_VERSION, type ChatMessage } from '../../../common/protocol.ts';
import { FakePeer } from '../../../test/support/fake-peer.ts';
import { MemoryHistoryStore } from '../store/index.ts';
import { Room, type Session } from './index.ts';

let clock = 5_000_000;

function newRoom(): { room: Room; store: MemoryHistoryStore } {
  const store = new MemoryHistoryStore();
  return { room: new Room({ name: 'Kitchen', store, now: () => clock, typingIntervalMs: 0 }), store };
}

function arrive(room: Room, name: string, address = '192.168.1.10', clientId = randomId(22)): { peer: FakePeer; session: Session; clientId: string } {
  const peer = new FakePeer(address);
  const session = room.open(peer);
  room.handle(session, { type: 'join', v: PROTOCOL_VERSION, name, clientId });
  return { peer, session, clientId };
}

/** Let the turn end (group commit, history pages): a few turns, no more. */
async function turns(count = 3): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('a room without sockets', () => {
  it('greets a connection, welcomes it on join and tells the others', async () => {
    const { room } = newRoom();
    const ada = arrive(room, 'Ada');
    expect(ada.peer.frames[0]).toMatchObject({ type: 'hello', v: PROTOCOL_VERSION, room: 'Kitchen', passwordRequired: false, nonce: ada.session.nonce, salt: room.salt });
    const joined: string[] = [];
    room.on('member_joined', (m) => joined.push(m.name));
    const bo = arrive(room, 'Bo');
    expect(bo.peer.last('welcome')).toMatchObject({ you: { name: 'Bo' }, members: [{ name: 'Ada' }, { name: 'Bo' }], lastSeq: 0, topic: '' });
    expect(ada.peer.last('member_joined')).toMatchObject({ member: { name: 'Bo' } });
    expect(bo.peer.last('member_joined')).toBeUndefined();
    expect(joined).toEqual(['Bo']);
    expect(room.memberCount).toBe(2);
    await turns();
    expect(bo.peer.last('history')).toBeDefined();
  });

  it('stores what arrives in one turn in one commit, then acks the sender and broadcasts', async () => {
    const { room, store } = newRoom();
    const ada = arrive(room, 'Ada');
    const bo = arrive(room, 'Bo');
    await turns();
    const append = vi.spyOn(store, 'append');
    const heard: ChatMessage[] = [];
    room.on('message', (m) => heard.push(m));
    room.handle(ada.session, { type: 'chat', id: 'm1', text: 'one' });
    room.handle(bo.session, { type: 'chat', id: 'm2', text: 'two' });
    expect(ada.peer.last('ack')).toBeUndefined(); // nothing is acked before it is stored
    await turns();
    expect(append).toHaveBeenCalledTimes(1);
    expect(append.mock.calls[0]![0].map((m) => m.text)).toEqual(['one', 'two']);
    expect(ada.peer.last('ack')).toEqual({ type: 'ack', id: 'm1', seq: 1 });
    expect(bo.peer.last('ack')).toEqual({ type: 'ack', id: 'm2', seq: 2 });
    for (const peer of [ada.peer, bo.peer]) expect(peer.all('message').map((f) => f.message.text)).toEqual(['one', 'two']);
    expect(heard.map((m) => m.seq)).toEqual([1, 2]);

    // A retry is acked with the seq it got, not stored again.
    room.handle(ada.session, { type: 'chat', id: 'm1', text: 'one' });
    await turns();
    expect(append).toHaveBeenCalledTimes(1);
    expect(ada.peer.all('ack').at(-1)).toEqual({ type: 'ack', id: 'm1', seq: 1 });
  });

  it('relays typing to the others, renames, and says who left', async () => {
    const { room } = newRoom();
    const ada = arrive(room, 'Ada');
    const bo = arrive(room, 'Bo');
    room.handle(ada.session, { type: 'typing', active: true });
    expect(bo.peer.last('typing')).toMatchObject({ user: { name: 'Ada' }, active: true });
    expect(ada.peer.last('typing')).toBeUndefined();
    expect(room.people().find((p) => p.name === 'Ada')?.typing).toBe(true);

    room.handle(ada.session, { type: 'rename', name: 'Bo' });
    expect(ada.peer.last('error')).toMatchObject({ code: 'name_taken', ref: { type: 'rename' } });
    room.handle(ada.session, { type: 'rename', name: 'Adele' });
    expect(bo.peer.last('renamed')).toMatchObject({ from: 'Ada', to: 'Adele' });

    const left: string[] = [];
    room.on('member_left', (m, why) => left.push(`${m.name}:${why}`));
    room.close(ada.session, 'timeout');
    expect(bo.peer.last('member_left')).toMatchObject({ member: { name: 'Adele' }, reason: 'timeout' });
    expect(left).toEqual(['Adele:timeout']);
    expect(room.stats.activity().at(-1)).toMatchObject({ kind: 'leave', text: 'Adele lost connection (no heartbeat)' });
    await turns();
  });

  it('lets the same client take over quietly from its older connection', () => {
    const { room } = newRoom();
    const ada = arrive(room, 'Ada');
    const bo = arrive(room, 'Bo');
    const again = arrive(room, 'Ada', '192.168.1.10', ada.clientId);
    expect(again.peer.last('welcome')).toMatchObject({ you: { name: 'Ada' } });
    expect(ada.peer.closedWith).toBe(CloseCode.replaced);
    expect(bo.peer.last('member_left')).toBeUndefined();
    expect(bo.peer.all('member_joined')).toHaveLength(0);
    // The old connection speaks for nobody now.
    room.handle(ada.session, { type: 'rename', name: 'Mallory' });
    expect(room.people().map((p) => p.name)).toEqual(['Ada', 'Bo']);
  });

  it('keeps whether each connection came encrypted, for the dashboard (unencrypted unless told)', () => {
    const { room } = newRoom();
    arrive(room, 'Ada');
    const peer = new FakePeer('192.168.1.11');
    const session = room.open(peer, undefined, { encrypted: true });
    room.handle(session, { type: 'join', v: PROTOCOL_VERSION, name: 'Bo', clientId: randomId(22) });
    expect(session.encrypted).toBe(true);
    expect(room.people()).toEqual([expect.objectContaining({ name: 'Ada', encrypted: false }), expect.objectContaining({ name: 'Bo', encrypted: true })]);
  });

  it('counts and logs for the server through its own methods', () => {
    const { room } = newRoom();
    const ada = arrive(room, 'Ada');
    room.countInbound(3000);
    room.noteSlowedDown();
    room.noteBadInput();
    room.noteBadInput();
    room.log('bad_frame', 'Bad frame from Ada (192.168.1.10): frame is not valid JSON');
    ada.session.recordRtt(42);
    clock += 1000;
    room.stats.tick();
    expect(room.stats.counters()).toMatchObject({ bytesInPerSecond: 3000, slowedDown: 1, rejectedBadInput: 2 });
    expect(room.stats.activity().at(-1)).toMatchObject({ kind: 'bad_frame', text: 'Bad frame from Ada (192.168.1.10): frame is not valid JSON' });
    expect(room.people()[0]).toMatchObject({ name: 'Ada', rttMs: 42 });
    room.outbound.out += 10;
    expect(room.stats.traffic.out).toBe(10);
  });

  it('stores what is pending when it shuts down, then says goodbye and listens to nobody', () => {
    const { room, store } = newRoom();
    const ada = arrive(room, 'Ada');
    room.handle(ada.session, { type: 'chat', id: 'last', text: 'bye' });
    room.shutdown();
    expect(store.lastSeq).toBe(1);
    expect(ada.peer.closedWith).toBe(CloseCode.goingAway);
    room.handle(ada.session, { type: 'chat', id: 'after', text: 'anyone?' });
    expect(store.lastSeq).toBe(1);
  });
});
