// What a client knows of the room between frames: who is here (and who it is), the room's
// name and topic, and where it is in the host's history (the last seq seen, in which
// history), which is what a resume asks from.
import type { Member, WelcomeFrame } from '../protocol.ts';
import type { RoomClientEvents } from './types.ts';

export class RoomState {
  me: Member | undefined;
  room = '';
  topic = '';
  #members = new Map<string, Member>();
  #lastSeq: number;
  #historyId: string | undefined;

  constructor(lastSeq: number, historyId: string | undefined) {
    this.#lastSeq = lastSeq;
    this.#historyId = historyId;
  }

  get members(): Member[] {
    return [...this.#members.values()];
  }
  /** Highest seq seen. */
  get lastSeq(): number {
    return this.#lastSeq;
  }
  get historyId(): string | undefined {
    return this.#historyId;
  }

  /**
   * A welcome: the room as it is now. A host whose history was lost and started again
   * counts seqs from 1 again: keeping our lastSeq would hide every new message as "already
   * seen", so we start over from 0 and say so (the returned reset).
   */
  welcome(frame: WelcomeFrame): RoomClientEvents['reset'] | undefined {
    const known = this.#historyId;
    this.#historyId = frame.historyId;
    this.me = frame.you;
    this.room = frame.room;
    this.topic = frame.topic;
    this.setMembers(frame.members);
    const reason = known !== undefined && known !== frame.historyId ? 'new_history' : frame.lastSeq < this.#lastSeq ? 'behind' : undefined;
    if (!reason) return undefined;
    const previousLastSeq = this.#lastSeq;
    this.#lastSeq = 0;
    return { reason, previousLastSeq, historyId: frame.historyId };
  }

  /** A stored message came by; false when it was already seen (a resume overlapping the live feed). */
  saw(seq: number): boolean {
    if (seq <= this.#lastSeq) return false;
    this.#lastSeq = seq;
    return true;
  }

  setMembers(members: Member[]): void {
    this.#members = new Map(members.map((m) => [m.id, m]));
  }

  joined(member: Member): void {
    this.#members.set(member.id, member);
  }

  left(member: Member): void {
    this.#members.delete(member.id);
  }

  renamed(id: string, to: string): void {
    const member = this.#members.get(id);
    if (member) member.name = to;
    if (this.me?.id === id) this.me = { ...this.me, name: to };
  }
}
