// A joining member's way into the conversation: what it missed since `since` (a resume), or
// the latest page; then page by page as it reads (history-feed.ts), then live.
import { LIMITS } from '../../../common/protocol.ts';
import { HistoryFeed } from '../history-feed.ts';
import type { RoomParts } from './parts.ts';
import { sendError, type Session } from './session.ts';

/** How far back (in seqs) a resuming client's own messages are looked up as possible retries. */
const RETRY_LOOKBACK = 50_000;

export function startHistory(session: Session, clientId: string, since: number | undefined, { store, health, members }: RoomParts): void {
  const viewer = session.member!.id;
  const feed = new HistoryFeed({
    peer: session.peer,
    store,
    viewer,
    budget: session.historyBudget,
    onCaughtUp: () => {
      if (members.isCurrent(session)) session.live = true;
    },
    onStoreError: (error, ref, message = 'the host cannot read its history right now') => {
      sendError(session, 'store_unavailable', `${message} (${health.failed(error)})`, ref);
    },
    sendError: (code, message, ref) => sendError(session, code, message, ref),
  });
  session.feed = feed;
  // Where to start is worked out with the store's help; if it cannot help (a damaged
  // file), a sensible guess, and the feed says what it could not read.
  const ask = <T>(question: () => T, guess: T): T => {
    try {
      return question();
    } catch (error) {
      health.failed(error);
      return guess;
    }
  };
  if (since !== undefined && since <= store.lastSeq) {
    // Whatever the page it gets, a returning client resends what it never saw acked:
    // know those as stored. Its outbox cannot hold messages from before its latest
    // RETRY_LOOKBACK, so an old `since` never costs a long scan.
    const from = Math.max(since, store.lastSeq - RETRY_LOOKBACK);
    for (const [id, seq] of ask(() => store.sentAfter(clientId, from), new Map<string, number>())) session.sent.set(id, seq);
  }
  // Seqs count every message, private ones too, so this bounds what was missed from
  // above: one subtraction instead of counting rows.
  if (since !== undefined && since <= store.lastSeq && since >= store.clearedThrough && store.lastSeq - since <= LIMITS.maxResumeMessages) {
    return feed.catchUp('resume', since);
  }
  // First visit, too far behind, or a history the client never saw: the latest page.
  const start = ask(() => store.latestStart(LIMITS.historyOnJoin, viewer), Math.max(1, store.lastSeq - LIMITS.historyOnJoin + 1));
  const exhausted = ask(() => store.pageBefore(start, viewer, 1, 1).messages.length === 0, start <= 1);
  feed.catchUp('latest', start - 1, exhausted);
}
