// Who is here: members by user id and by name (lookalikes count as the same name), the
// welcome frame that lists them, and frames sent to all of them.
import { checkName, nameKey } from '../../../common/names.ts';
import type { ErrorCode, FilesOffer, Member, ServerFrame } from '../../../common/protocol.ts';
import { encodeFrame, textFrame } from '../frame.ts';
import { publicMember, type Session } from './session.ts';

export type RenameResult =
  | { ok: true; from: string }
  | { ok: false; code: Extract<ErrorCode, 'name_invalid' | 'name_taken'>; message: string }
  /** The same name again: nothing to tell anyone. */
  | undefined;

export class Members {
  readonly #byId = new Map<string, Session>();
  readonly #byName = new Map<string, Session>(); // by name key
  /** Each member's welcome JSON, by id (see welcomeFrame). */
  readonly #json = new Map<string, { name: string; since: number; json: string }>();

  get size(): number {
    return this.#byId.size;
  }

  values(): IterableIterator<Session> {
    return this.#byId.values();
  }

  get(userId: string): Session | undefined {
    return this.#byId.get(userId);
  }

  /** Whoever holds this name or one that looks the same. */
  holderOf(name: string): Session | undefined {
    return this.#byName.get(nameKey(name));
  }

  find(nameOrId: string): Session | undefined {
    return this.#byName.get(nameKey(nameOrId.trim())) ?? this.#byId.get(nameOrId);
  }

  nameKeys(): Set<string> {
    return new Set(this.#byName.keys());
  }

  /** The connection that speaks for its member right now (not one removed or replaced). */
  isCurrent(session: Session): boolean {
    return !session.retired && session.member !== undefined && this.#byId.get(session.member.id) === session;
  }

  /** A joined session takes its member's seat (replacing any earlier connection's). */
  seat(session: Session): void {
    const member = session.member!;
    this.#byId.set(member.id, session);
    this.#byName.set(nameKey(member.name), session);
  }

  unseat(member: Member): void {
    this.#byId.delete(member.id);
    this.#json.delete(member.id);
    this.#byName.delete(nameKey(member.name));
  }

  /** A connection being taken over gives its name back (its seat goes to the new one). */
  releaseName(name: string): void {
    this.#byName.delete(nameKey(name));
  }

  rename(session: Session, raw: string): RenameResult {
    const member = session.member!;
    const check = checkName(raw);
    if (!check.ok) return { ok: false, code: 'name_invalid', message: check.reason };
    const holder = this.holderOf(check.name);
    if (holder && holder !== session) return { ok: false, code: 'name_taken', message: takenBecause(check.name, holder.member!.name).slice(0, -1) };
    if (check.name === member.name) return undefined;
    const from = member.name;
    this.#byName.delete(nameKey(from));
    member.name = check.name;
    this.#byName.set(nameKey(check.name), session);
    return { ok: true, from };
  }

  /** Serialize once, send to every member (but `except`). */
  broadcast(frame: ServerFrame, except?: Session): void {
    const data = encodeFrame(frame);
    for (const s of this.#byId.values()) if (s !== except) s.peer.send(data);
  }

  /**
   * The welcome carries the whole member list, so a storm of N joins writes N²/2 members.
   * Each member's JSON is kept (by id and name) and the list spliced together, instead of
   * serializing every member again for every join. Same bytes as JSON.stringify(welcome).
   */
  welcomeFrame(
    you: Member,
    room: string,
    history: { lastSeq: number; historyId: string },
    topic: string,
    files?: FilesOffer,
  ): Buffer {
    const members: string[] = [];
    for (const s of this.#byId.values()) {
      const m = s.member!;
      let cached = this.#json.get(m.id);
      if (!cached || cached.name !== m.name || cached.since !== m.since) {
        cached = { name: m.name, since: m.since, json: JSON.stringify(publicMember(m)) };
        this.#json.set(m.id, cached);
      }
      members.push(cached.json);
    }
    const head = JSON.stringify({ type: 'welcome', you: publicMember(you), room });
    // Field by field: only what the protocol names goes out, whatever else the object holds.
    const { token, downloadToken, maxFileBytes, uploadsAtOnce } = files ?? {};
    const filesJson = files ? `,"files":${JSON.stringify({ token, downloadToken, maxFileBytes, uploadsAtOnce })}` : '';
    const tail = `,"members":[${members.join(',')}],"lastSeq":${history.lastSeq},"historyId":${JSON.stringify(history.historyId)},"topic":${JSON.stringify(topic)}${filesJson}}`;
    return textFrame(head.slice(0, -1) + tail);
  }
}

/** Why a name is taken: the same name, or one that looks the same (common/names.ts: nameKey). */
export function takenBecause(name: string, theirs: string): string {
  if (theirs.toLowerCase() === name.toLowerCase()) return `"${name}" is already taken here.`;
  return `"${name}" looks too much like "${theirs}", who is already here.`;
}
