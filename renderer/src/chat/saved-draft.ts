// The composer's unsent text, kept per room (by its WebSocket URL) so a reload does not lose
// it. The renderer keeps it in sessionStorage, which belongs to one tab: a reload finds the
// draft again, a tab that takes the room over starts with its own, and a half-written
// private message does not stay on a shared machine once the tab is closed. Storage may
// refuse (private modes, quota): a draft that cannot be saved is simply not saved.
import { LIMITS } from '../../../common/protocol.ts';

/** A draft the host could accept is at most 4,000 code points: 8,000 UTF-16 units. */
export const MAX_DRAFT_UNITS = 2 * LIMITS.maxTextChars;

export type DraftStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const keyFor = (roomUrl: string) => `hearth:draft:${roomUrl}`;

export function loadDraft(storage: DraftStorage | undefined, roomUrl: string): string {
  try {
    return bounded(storage?.getItem(keyFor(roomUrl)) ?? '');
  } catch {
    return '';
  }
}

export function saveDraft(storage: DraftStorage | undefined, roomUrl: string, text: string): void {
  try {
    if (text === '') storage?.removeItem(keyFor(roomUrl));
    else storage?.setItem(keyFor(roomUrl), bounded(text));
  } catch {
    // Not saved: the draft is still in the composer.
  }
}

/** At most MAX_DRAFT_UNITS, never ending in half an emoji. */
function bounded(text: string): string {
  if (text.length <= MAX_DRAFT_UNITS) return text;
  const cut = text.slice(0, MAX_DRAFT_UNITS);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** The tab's sessionStorage, or undefined where reading it throws (storage blocked). */
export function sessionDraftStorage(): DraftStorage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}
