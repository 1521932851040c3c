// After a reconnect (a host restart, a network blip), everyone who was in the room comes
// back one by one and the host announces each as joined. People who never left are not
// news: remember who was here when the connection went (user ids are stable, a hash of
// the client id), and let each of them back in once without a "joined" line. Someone not
// on that list, or back long after the reconnect, is announced as usual.

/** How long after our reconnect the others still count as coming back with us. */
export const REJOIN_GRACE_MS = 60_000;

export interface RejoinMemory {
  /** Who was here when the connection went and has not come back yet. */
  readonly ids: ReadonlySet<string>;
  /** Until when they count as coming back; undefined while we are still away. */
  readonly until: number | undefined;
}

export const noRejoins: RejoinMemory = { ids: new Set(), until: undefined };

/** The connection just went, with these people in the list. */
export function connectionLost(memory: RejoinMemory, members: ReadonlyArray<{ id: string }>, now: number): RejoinMemory {
  // Those still expected from the last outage are still expected.
  const ids = new Set(stillExpected(memory, now) ? memory.ids : []);
  for (const m of members) ids.add(m.id);
  return { ids, until: undefined };
}

export function reconnected(memory: RejoinMemory, now: number, graceMs = REJOIN_GRACE_MS): RejoinMemory {
  return memory.ids.size === 0 ? noRejoins : { ids: memory.ids, until: now + graceMs };
}

/** Is this "joined" worth a line? Each remembered person is let through silently once. */
export function joinIsNews(memory: RejoinMemory, id: string, now: number): { news: boolean; memory: RejoinMemory } {
  if (!memory.ids.has(id) || !stillExpected(memory, now)) return { news: true, memory };
  return { news: false, memory: personLeft(memory, id) };
}

/** They left for real: a later join of theirs is news. */
export function personLeft(memory: RejoinMemory, id: string): RejoinMemory {
  if (!memory.ids.has(id)) return memory;
  const ids = new Set(memory.ids);
  ids.delete(id);
  return { ids, until: memory.until };
}

function stillExpected(memory: RejoinMemory, now: number): boolean {
  return memory.until === undefined || now <= memory.until;
}
