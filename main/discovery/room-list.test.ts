import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../common/protocol.ts';
import type { HealthAnswer } from './health-check.ts';
import type { RoomAnnouncement } from './room-records.ts';
import { BROWSE_LIMITS, RoomList, type BrowseLimits, type DiscoveredRoom } from './room-list.ts';

function announcement(id: string, source: string, extra: { room?: string; port?: number; users?: number } = {}): RoomAnnouncement {
  const room = extra.room ?? `Room ${id}`;
  return {
    instance: `${room.toLowerCase()} (${id.slice(0, 6)})._hearth._tcp.local`,
    source,
    port: extra.port ?? 47800,
    host: 'machine',
    addresses: [source],
    txt: [`v=${PROTOCOL_VERSION}`, `room=${room}`, `users=${extra.users ?? 0}`, 'lock=0', `id=${id}`].map((t) => Buffer.from(t)),
  };
}

/** A list with a clock the test moves and /health answers the test decides (address:port → answer). */
function makeList(limits: Partial<BrowseLimits> = {}) {
  let now = 1_000_000;
  const health = new Map<string, HealthAnswer>();
  const events: string[] = [];
  const list = new RoomList({
    limits: { ...BROWSE_LIMITS, updateIntervalMs: 0, ...limits },
    health: async (address, port) => health.get(`${address}:${port}`),
    now: () => now,
  });
  const show = (r: DiscoveredRoom) => `${r.id}@${r.address}`;
  list.on('up', (r) => events.push(`up ${show(r)}`));
  list.on('update', (r) => events.push(`update ${show(r)}`));
  list.on('down', (r, why) => events.push(`down ${show(r)} ${why}`));
  return { list, health, events, tick: (ms: number) => (now += ms) };
}

const settle = () => new Promise((r) => setTimeout(r, 10));

describe('the room list', () => {
  it('caps rows per source address and in total, and says so', () => {
    const { list, events } = makeList({ perSource: 2, total: 3 });
    for (let i = 0; i < 5; i++) list.announce(announcement(`aaaa000${i}`, '10.0.0.1'));
    list.announce(announcement('bbbb0001', '10.0.0.2'));
    list.announce(announcement('cccc0001', '10.0.0.3'));
    expect(events).toEqual(['up aaaa0000@10.0.0.1', 'up aaaa0001@10.0.0.1', 'up bbbb0001@10.0.0.2']);
    expect(list.counters.overLimit).toBe(4);
    expect(list.note()).toBe('Some rooms are not shown: at most 2 per address and 3 in all.');
  });

  it('holds back a room that keeps leaving and coming back, until it has been quiet', () => {
    const { list, events, tick } = makeList();
    const flapper = announcement('flap0001', '10.0.0.1');
    for (let i = 0; i < 8; i++) {
      list.announce(flapper);
      tick(300);
      list.goodbye(flapper.instance, '10.0.0.1');
      tick(300);
    }
    expect(events.filter((e) => e.startsWith('up'))).toHaveLength(3);
    expect(list.counters.heldBack).toBe(5);
    expect(list.note()).toMatch(/kept leaving and coming back/);
    tick(60_000);
    list.announce(flapper);
    expect(events.at(-1)).toBe('up flap0001@10.0.0.1');
  });

  it('refuses invalid announcements: port 0, bad TXT', () => {
    const { list, events } = makeList();
    list.announce(announcement('port0000', '10.0.0.1', { port: 0 }));
    list.announce({ ...announcement('badtxt00', '10.0.0.1'), txt: [Buffer.from('v=1')] });
    expect(events).toEqual([]);
    expect(list.counters.invalid).toBe(2);
  });

  it('ignores another address claiming a room id unless its /health names that id', async () => {
    const { list, health, events } = makeList();
    list.announce(announcement('real0001', '10.0.0.1', { users: 1 }));
    list.announce(announcement('real0001', '10.0.0.66', { users: 9, port: 47999 }));
    await settle();
    expect(events).toEqual(['up real0001@10.0.0.1']);
    expect(list.rooms()[0]).toMatchObject({ address: '10.0.0.1', users: 1, port: 47800 });
    expect(list.counters.forged).toBe(1);
    // Refuted for a while: no second /health, and no taking over once the real host leaves.
    list.goodbye(announcement('real0001', '10.0.0.1').instance, '10.0.0.66');
    expect(list.rooms()).toHaveLength(1);
    list.goodbye(announcement('real0001', '10.0.0.1').instance, '10.0.0.1');
    health.set('10.0.0.66:47999', { id: 'real0001' });
    list.announce(announcement('real0001', '10.0.0.66', { port: 47999 }));
    expect(events).toEqual(['up real0001@10.0.0.1', 'down real0001@10.0.0.1 goodbye']);
  });

  it('moves a row to a new address only when that address is the same host and the old one is gone', async () => {
    const { list, health, events } = makeList();
    health.set('10.0.0.1:47800', { id: 'move0001' });
    health.set('10.0.0.9:47800', { id: 'move0001' });
    list.announce(announcement('move0001', '10.0.0.1'));
    list.announce(announcement('move0001', '10.0.0.9'));
    await settle();
    // Both answer as the same host: a second address, the row stays where it was.
    expect(list.rooms()[0]).toMatchObject({ address: '10.0.0.1', addresses: ['10.0.0.1', '10.0.0.9'] });
    health.delete('10.0.0.1:47800');
    await list.check('move0001');
    expect(events).toEqual(['up move0001@10.0.0.1', 'update move0001@10.0.0.9']);
  });

  it('drops a room whose port another host answers on (a different id)', async () => {
    const { list, health, events } = makeList();
    list.announce(announcement('gone0001', '10.0.0.1', { room: 'Same' }));
    health.set('10.0.0.1:47800', { id: 'other0001', room: 'Same' });
    await list.check('gone0001');
    expect(events).toEqual(['up gone0001@10.0.0.1', 'down gone0001@10.0.0.1 replaced']);
  });

  it('keeps a live room, and follows its people count from /health', async () => {
    const { list, health, events } = makeList();
    list.announce(announcement('live0001', '10.0.0.1'));
    health.set('10.0.0.1:47800', { id: 'live0001', members: 4 });
    await list.check('live0001');
    expect(events).toEqual(['up live0001@10.0.0.1', 'update live0001@10.0.0.1']);
    expect(list.rooms()[0]!.users).toBe(4);
  });

  it('follows a renamed room, which still leaves at once on its goodbye', () => {
    const { list, events } = makeList();
    list.announce(announcement('name0001', '10.0.0.1', { room: 'Before' }));
    const renamed = announcement('name0001', '10.0.0.1', { room: 'After' });
    list.announce(renamed);
    list.goodbye(renamed.instance, '10.0.0.1');
    expect(events).toEqual(['up name0001@10.0.0.1', 'update name0001@10.0.0.1', 'down name0001@10.0.0.1 goodbye']);
  });

  it('lists a room found by scanning, keeps it by /health and leaves an announced row where it is', async () => {
    const { list, health, events } = makeList();
    const scanned = { id: 'scan0001', room: 'Attic', version: PROTOCOL_VERSION, members: 2, passwordRequired: true };
    list.found('10.0.0.5', 47800, scanned);
    expect(list.rooms()[0]).toMatchObject({ id: 'scan0001', room: 'Attic', host: '10.0.0.5', address: '10.0.0.5', users: 2, lock: true, compatible: true });
    // Nothing announces it, so /health keeps it listed, and its going removes it.
    health.set('10.0.0.5:47800', { id: 'scan0001', members: 2 });
    await list.check('scan0001');
    expect(list.rooms()).toHaveLength(1);
    health.delete('10.0.0.5:47800');
    await list.check('scan0001');
    expect(list.rooms()).toHaveLength(0);

    // An announced room found again by a scan at another of its addresses: it stays where it is.
    const announced = announcement('both0001', '10.0.0.1', { room: 'Kitchen' });
    list.announce(announced);
    health.set('10.0.0.1:47800', { id: 'both0001' });
    list.found('10.0.0.9', 47800, { id: 'both0001', room: 'Kitchen', version: PROTOCOL_VERSION });
    await settle();
    expect(list.rooms()[0]).toMatchObject({ address: '10.0.0.1', host: 'machine', addresses: ['10.0.0.1', '10.0.0.9'] });
    list.goodbye(announced.instance, '10.0.0.1');
    expect(events).toEqual(['up scan0001@10.0.0.5', 'down scan0001@10.0.0.5 unreachable', 'up both0001@10.0.0.1', 'down both0001@10.0.0.1 goodbye']);
  });

  it('refuses what a scan found that is no well-formed room', () => {
    const { list, events } = makeList();
    list.found('10.0.0.5', 47800, { room: 'No id', version: PROTOCOL_VERSION });
    list.found('10.0.0.6', 47800, { id: 'noversion1', room: 'Old' });
    list.found('10.0.0.7', 47800, { id: 'blank0001', room: '\u200b', version: PROTOCOL_VERSION });
    expect(events).toEqual([]);
    expect(list.counters.invalid).toBe(3);
  });

  it('reports a row at most once per update interval, with its latest state', async () => {
    const { list, events } = makeList({ updateIntervalMs: 30 });
    list.announce(announcement('busy0001', '10.0.0.1'));
    for (let users = 1; users <= 10; users++) list.announce(announcement('busy0001', '10.0.0.1', { users }));
    await new Promise((r) => setTimeout(r, 80));
    expect(events).toEqual(['up busy0001@10.0.0.1', 'update busy0001@10.0.0.1']);
    expect(list.rooms()[0]!.users).toBe(10);
  });
  describe('an id derived from a certificate (issue #16)', () => {
    const PINNED = 'hyobctq2me7xk4alw3fdmzxw6ytboiaa';

    it('another address is believed only when its certificate proved the id, not when /health names it', async () => {
      const { list, health, events } = makeList();
      list.announce(announcement(PINNED, '10.0.0.1'));
      health.set('10.0.0.66:47800', { id: PINNED });
      list.announce(announcement(PINNED, '10.0.0.66'));
      await settle();
      expect(list.rooms()[0]).toMatchObject({ address: '10.0.0.1', addresses: ['10.0.0.1'] });
      expect(list.counters.forged).toBe(1);
      // The real host at a new address proves it; the old address no longer does: the row moves.
      health.set('10.0.0.9:47800', { id: PINNED, provenId: PINNED });
      list.announce(announcement(PINNED, '10.0.0.9'));
      await settle();
      expect(events).toEqual([`up ${PINNED}@10.0.0.1`, `update ${PINNED}@10.0.0.9`]);
    });

    it('a row stays where its certificate proves it, and goes when its address only names the id', async () => {
      const { list, health, events } = makeList();
      list.announce(announcement(PINNED, '10.0.0.1'));
      health.set('10.0.0.1:47800', { id: PINNED, provenId: PINNED, members: 3 });
      await list.check(PINNED);
      expect(list.rooms()[0]!.users).toBe(3);
      health.set('10.0.0.1:47800', { id: PINNED, members: 3 });
      await list.check(PINNED);
      expect(events).toEqual([`up ${PINNED}@10.0.0.1`, `update ${PINNED}@10.0.0.1`, `down ${PINNED}@10.0.0.1 replaced`]);
    });

    it('a scan lists a fingerprint-shaped id only with its proof; a legacy id as before', () => {
      const { list, events } = makeList();
      list.found('10.0.0.5', 47800, { id: PINNED, room: 'Attic', version: PROTOCOL_VERSION });
      expect(list.counters.forged).toBe(1);
      list.found('10.0.0.5', 47800, { id: PINNED, room: 'Attic', version: PROTOCOL_VERSION, provenId: PINNED });
      list.found('10.0.0.6', 47800, { id: 'legacy000001', room: 'Den', version: PROTOCOL_VERSION });
      expect(events).toEqual([`up ${PINNED}@10.0.0.5`, 'up legacy000001@10.0.0.6']);
    });
  });
});
