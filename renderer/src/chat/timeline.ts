// The conversation as the UI shows it: messages by seq, your own messages that are still
// on their way (pending → sent), and system lines (joins, leaves, renames, errors).
// A pure reducer, so the merge rules (history pages, resume, retries) are unit-tested.
import { LIMITS, type ChatMessage, type HistoryFrame } from '../../../common/protocol.ts';

/** How a system line looks: `connection` marks where the connection went and came back. */
export type SystemTone = 'info' | 'join' | 'leave' | 'error' | 'connection';

/** Someone came or went in the ordinary way: such lines fold into one when several come in a row. */
export interface PresenceChange {
  name: string;
  change: 'joined' | 'left' | 'lost connection';
}

export type SystemItem = { key: string; kind: 'system'; text: string; ts: number; tone: SystemTone; presence?: PresenceChange | undefined };

export type TimelineItem =
  | { key: string; kind: 'message'; message: ChatMessage }
  | { key: string; kind: 'pending'; id: string; text: string; action: boolean; to?: string | undefined; ts: number; failed?: string | undefined }
  | SystemItem;

export interface Timeline {
  items: TimelineItem[];
  /** Seqs present, so a resume overlapping the live feed never doubles a message. */
  seqs: Set<number>;
  /** No older history left on the host. */
  exhausted: boolean;
  loadingOlder: boolean;
  /** Inside a multi-chunk `latest` answer: later chunks append instead of replacing. */
  latestStarted: boolean;
}

export type TimelineAction =
  | { type: 'history'; frame: HistoryFrame }
  | { type: 'message'; message: ChatMessage }
  | { type: 'pending'; id: string; text: string; action: boolean; to?: string | undefined; ts: number }
  | { type: 'failed'; id: string; reason: string }
  | { type: 'system'; text: string; ts: number; tone?: SystemTone; presence?: PresenceChange }
  | { type: 'loading_older' }
  | { type: 'older_failed' }
  /** The host's history started again: its seqs are new messages, whatever numbers they carry. */
  | { type: 'reset' }
  | { type: 'clear' }
  /** The host deleted a file: the messages that carry it keep a "deleted" card. */
  | { type: 'file_deleted'; file: string };

export const emptyTimeline = (): Timeline => ({ items: [], seqs: new Set(), exhausted: false, loadingOlder: false, latestStarted: false });

let systemCounter = 0;

export function timelineReducer(state: Timeline, action: TimelineAction): Timeline {
  switch (action.type) {
    case 'history': {
      const { frame } = action;
      const fresh = frame.messages.filter((m) => !state.seqs.has(m.seq));
      const items = fresh.map(messageItem);
      if (frame.mode === 'older') {
        const seqs = new Set(state.seqs);
        for (const m of fresh) seqs.add(m.seq);
        return { ...state, items: [...items, ...state.items], seqs, exhausted: frame.exhausted === true || fresh.length === 0, loadingOlder: false };
      }
      if (frame.mode === 'latest' && !state.latestStarted) {
        // The newest page replaces what was shown (first join, or a resume that was too
        // old); pending messages of ours stay, they are resent and will arrive.
        const pending = state.items.filter((i) => i.kind === 'pending');
        return {
          ...state,
          // All of the page, not only seqs never seen: after the host's history started
          // again, its seqs are new messages whatever numbers they carry.
          items: [...frame.messages.map(messageItem), ...pending],
          seqs: new Set(frame.messages.map((m) => m.seq)),
          // Older hosts did not say; then a short page means there is nothing before it.
          exhausted: frame.exhausted ?? frame.messages.length < LIMITS.historyOnJoin,
          latestStarted: !frame.complete,
        };
      }
      // A resume (or a further chunk of a long answer): append what was missed, in order.
      let next = state;
      for (const message of fresh) next = timelineReducer(next, { type: 'message', message });
      return frame.complete ? { ...next, latestStarted: false } : next;
    }
    case 'message': {
      const { message } = action;
      if (state.seqs.has(message.seq)) return state;
      const seqs = new Set(state.seqs);
      seqs.add(message.seq);
      const pendingIndex = state.items.findIndex((i) => i.kind === 'pending' && i.id === message.id);
      const items = [...state.items];
      if (pendingIndex >= 0) items.splice(pendingIndex, 1);
      items.splice(insertionPoint(items, message.seq), 0, messageItem(message));
      return { ...state, items, seqs };
    }
    case 'pending':
      return {
        ...state,
        items: [...state.items, { key: `p:${action.id}`, kind: 'pending', id: action.id, text: action.text, action: action.action, to: action.to, ts: action.ts }],
      };
    case 'failed':
      return {
        ...state,
        items: state.items.map((i) => (i.kind === 'pending' && i.id === action.id ? { ...i, failed: action.reason } : i)),
      };
    case 'system':
      return {
        ...state,
        items: [...state.items, { key: `s:${++systemCounter}`, kind: 'system', text: action.text, ts: action.ts, tone: action.tone ?? 'info', presence: action.presence }],
      };
    case 'loading_older':
      return { ...state, loadingOlder: true };
    case 'older_failed':
      return { ...state, loadingOlder: false };
    case 'reset':
      // What we typed and have not seen stored stays; it is resent and will arrive.
      return { ...emptyTimeline(), items: state.items.filter((i) => i.kind === 'pending') };
    case 'clear':
      return { ...emptyTimeline(), seqs: state.seqs, exhausted: true };
    case 'file_deleted': {
      if (!state.items.some((i) => i.kind === 'message' && i.message.file?.id === action.file)) return state;
      const items = state.items.map((i): TimelineItem =>
        i.kind === 'message' && i.message.file?.id === action.file ? { ...i, message: { ...i.message, file: { ...i.message.file, deleted: true as const } } } : i,
      );
      return { ...state, items };
    }
  }
}

/**
 * Where a message goes so that messages stay in seq order: at the end, unless messages with
 * higher seqs are already shown (a page landing after live messages), then just before the
 * first of them. System lines and pending messages between them are stepped over, not
 * stopped at: a missed message never lands after a "Reconnected." that followed later ones,
 * and lines after the last message (where the connection went) stay before what follows.
 */
function insertionPoint(items: TimelineItem[], seq: number): number {
  let at = items.length;
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i]!;
    if (item.kind !== 'message') continue;
    if (item.message.seq < seq) break;
    at = i;
  }
  return at;
}

function messageItem(message: ChatMessage): TimelineItem {
  return { key: `m:${message.seq}`, kind: 'message', message };
}

export function oldestSeq(timeline: Timeline): number | undefined {
  for (const item of timeline.items) if (item.kind === 'message') return item.message.seq;
  return undefined;
}
