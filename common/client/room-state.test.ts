import { describe, expect, it } from 'vitest';
import type { WelcomeFrame } from '../protocol.ts';
import { RoomState } from './room-state.ts';

const welcome = (over: Partial<WelcomeFrame> = {}): WelcomeFrame => ({
  type: 'welcome',
  you: { id: 'me', name: 'Ann', since: 1 },
  room: 'Kitchen',
  members: [{ id: 'me', name: 'Ann', since: 1 }],
  lastSeq: 10,
  historyId: 'h1',
  topic: 'Plans',
  ...over,
});

describe('what a client knows of the room', () => {
  it('takes who and where from the welcome', () => {
    const room = new RoomState(0, undefined);
    expect(room.welcome(welcome())).toBeUndefined();
    expect(room).toMatchObject({ me: { name: 'Ann' }, room: 'Kitchen', topic: 'Plans', historyId: 'h1' });
    expect(room.members.map((m) => m.name)).toEqual(['Ann']);
  });

  it('counts seqs once: an overlap between a resume and the live feed is seen as such', () => {
    const room = new RoomState(5, 'h1');
    expect(room.saw(6)).toBe(true);
    expect(room.saw(6)).toBe(false);
    expect(room.saw(3)).toBe(false);
    expect(room.lastSeq).toBe(6);
  });

  it('starts over from 0 when the host has another history, or is behind us', () => {
    const moved = new RoomState(50, 'h1');
    expect(moved.welcome(welcome({ historyId: 'h2', lastSeq: 60 }))).toEqual({ reason: 'new_history', previousLastSeq: 50, historyId: 'h2' });
    expect(moved.lastSeq).toBe(0);
    const behind = new RoomState(40, 'h1');
    expect(behind.welcome(welcome({ lastSeq: 12 }))).toEqual({ reason: 'behind', previousLastSeq: 40, historyId: 'h1' });
    // A first join knows no history yet: nothing to start over from.
    expect(new RoomState(0, undefined).welcome(welcome({ historyId: 'h9' }))).toBeUndefined();
  });

  it('follows joins, leaves and renames, its own included', () => {
    const room = new RoomState(0, undefined);
    room.welcome(welcome());
    const bob = { id: 'b', name: 'Bob', since: 2 };
    room.joined(bob);
    room.renamed('b', 'Rob');
    room.renamed('me', 'Sam');
    expect(room.members.map((m) => m.name)).toEqual(['Sam', 'Rob']);
    expect(room.me?.name).toBe('Sam');
    room.left(bob);
    expect(room.members.map((m) => m.id)).toEqual(['me']);
  });
});
