// One connection's history: the pages it gets on joining (the latest, or what it missed)
// and the older pages it asks for. History is the one thing a client can make the host
// produce in bulk, so it is produced only as fast as that client takes it:
// - a page is at most LIMITS.historyPageBytes of text (or its count, whichever is first);
// - the next page is built only once the socket has drained (nothing piles up in memory
//   for a reader that does not read);
// - pages spend the address's history budget (bytes a second), so four greedy
//   connections from one machine cost the room what one would.
// Each page is built on its own turn of the event loop, so everyone else's frames go
// between them.
import { LIMITS, type ChatMessage, type ErrorCode, type ServerFrame } from '../../common/protocol.ts';
import type { Peer } from './peer.ts';
import { encodeFrame } from './frame.ts';
import type { TokenBucket } from './rate-limit.ts';
import { messageBytes, toStoreError, type HistoryPage, type HistoryStore } from './store/index.ts';

/** Build the next page once at most this much is waiting in the socket. */
const LOW_WATER_BYTES = 64 * 1024;
/** Older pages a connection may have waiting; one more is refused, not queued. */
const MAX_WAITING_REQUESTS = 4;
/** Rows read per page at most (a page of short messages still stops at a sane count). */
const ROWS_PER_PAGE = LIMITS.historyChunk;
/** A read that fails for a passing reason (busy, i/o) is tried again this often, after 0.5, 1, 2 s. */
const CATCH_UP_RETRIES = 3;
const CATCH_UP_RETRY_MS = 500;
/** Rows read one at a time, per page, near rows that cannot be read. */
const CAREFUL_ROWS = 64;

export interface HistoryFeedOptions {
  peer: Peer;
  store: HistoryStore;
  /** The member reading: private messages of others are never in their pages. */
  viewer: string;
  /** Bytes of history this connection's address may be sent; undefined: no budget (tests). */
  budget: TokenBucket | undefined;
  /** Caught up: from now on the member gets messages live. */
  onCaughtUp: () => void;
  /**
   * The store failed; `ref` is what to name in the error the member gets, `message` what
   * to tell it when there is more to say than "cannot read".
   */
  onStoreError: (error: unknown, ref: { type: string }, message?: string) => void;
  /** Tell the member something went wrong with one of its requests. */
  sendError: (code: ErrorCode, message: string, ref: { type: string }) => void;
}

type Job =
  | {
      kind: 'catch_up';
      mode: 'latest' | 'resume';
      after: number;
      exhausted?: boolean;
      /** Passing failures in a row (retried after a wait). */
      failures: number;
      /** A page ran into rows that cannot be read: read one row at a time until past them. */
      careful: boolean;
    }
  | { kind: 'older'; before: number; limit: number };

export class HistoryFeed {
  readonly #options: HistoryFeedOptions;
  readonly #jobs: Job[] = [];
  #waiting = false;
  #closed = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: HistoryFeedOptions) {
    this.#options = options;
  }

  /**
   * Send everything after `after`, then go live. `latest` replaces what the client shows
   * (a first visit, or a resume that cannot be served); `exhausted` says nothing older exists.
   */
  catchUp(mode: 'latest' | 'resume', after: number, exhausted?: boolean): void {
    const job: Job = { kind: 'catch_up', mode, after, failures: 0, careful: false };
    if (exhausted !== undefined) job.exhausted = exhausted;
    this.#jobs.push(job);
    this.#pump();
  }

  /** An older page (fetch_history): answered in turn, after what was asked before. */
  older(before: number, limit: number): void {
    const waiting = this.#jobs.filter((j) => j.kind === 'older').length;
    if (waiting >= MAX_WAITING_REQUESTS) {
      this.#options.sendError('rate_limited', `at most ${MAX_WAITING_REQUESTS} history requests may wait; ask again when one is answered`, { type: 'fetch_history' });
      return;
    }
    this.#jobs.push({ kind: 'older', before, limit });
    this.#pump();
  }

  /** The connection is gone or replaced: build nothing more. */
  close(): void {
    this.#closed = true;
    this.#jobs.length = 0;
    clearTimeout(this.#timer);
  }

  #pump(): void {
    if (this.#waiting || this.#closed || this.#jobs.length === 0) return;
    this.#waiting = true;
    this.#options.peer.whenDrained(LOW_WATER_BYTES, () => {
      const wait = this.#options.budget?.waitFor(LIMITS.historyPageBytes) ?? 0;
      if (wait === 0) return this.#step();
      this.#timer = setTimeout(() => this.#step(), wait);
    });
  }

  #step(): void {
    this.#waiting = false;
    this.#timer = undefined;
    const job = this.#jobs[0];
    if (this.#closed || !job || !this.#options.peer.open) return;
    let done: boolean;
    try {
      done = job.kind === 'catch_up' ? this.#catchUpStep(job) : this.#olderStep(job);
    } catch (error) {
      if (job.kind === 'older') {
        this.#jobs.shift();
        this.#options.onStoreError(error, { type: 'fetch_history' });
      } else {
        this.#catchUpFailed(job, error);
      }
      return this.#pump();
    }
    if (done) this.#jobs.shift();
    this.#pump();
  }

  /**
   * A page of the join's history could not be read. Going live here would leave a silent
   * gap (the client's last seq would jump past it, and no resume would ever fill it). A
   * passing failure is tried again; rows that cannot be read at all (a damaged file) are
   * stepped over, the member is told which, and the catch-up goes on after them.
   */
  #catchUpFailed(job: Extract<Job, { kind: 'catch_up' }>, error: unknown): void {
    if (toStoreError(error).kind !== 'corrupt' && job.failures < CATCH_UP_RETRIES) {
      this.#waiting = true;
      this.#timer = setTimeout(() => {
        this.#waiting = false;
        this.#pump();
      }, CATCH_UP_RETRY_MS * 2 ** job.failures++);
      return;
    }
    job.failures = 0;
    if (!job.careful) {
      // Somewhere in that page: go on a row at a time, so every row that reads is sent.
      job.careful = true;
      return;
    }
    // The very next row cannot be read: step over what cannot.
    const from = job.after;
    job.after = this.#firstReadableAfter(from);
    const missing = job.after > from + 1 ? `messages ${from + 1}–${job.after}` : `message ${job.after}`;
    this.#options.onStoreError(error, { type: 'join' }, `part of the history cannot be read, you will not see ${missing}`);
  }

  /**
   * The smallest seq after which reading works again, past `after` (where it fails):
   * steps that double until a read works, then halving back to the first that does. About
   * 2·log₂(gap) reads; the store's lastSeq when nothing further can be read.
   */
  #firstReadableAfter(after: number): number {
    const { store, viewer } = this.#options;
    const readable = (seq: number): boolean => {
      try {
        store.pageAfter(seq, viewer, 1, 1);
        return true;
      } catch {
        return false;
      }
    };
    const end = store.lastSeq;
    let bad = after;
    let good: number | undefined;
    for (let step = 1; bad + step < end; step *= 2) {
      if (readable(bad + step)) {
        good = bad + step;
        break;
      }
      bad += step;
    }
    if (good === undefined) return end;
    while (good - bad > 1) {
      const mid = Math.floor((bad + good) / 2);
      if (readable(mid)) good = mid;
      else bad = mid;
    }
    return good;
  }

  #catchUpStep(job: Extract<Job, { kind: 'catch_up' }>): boolean {
    const { store, viewer } = this.#options;
    const page = job.careful ? this.#carefulPage(job) : store.pageAfter(job.after, viewer, ROWS_PER_PAGE, LIMITS.historyPageBytes);
    const frame: ServerFrame = { type: 'history', messages: page.messages, mode: job.mode, complete: !page.more };
    if (job.exhausted !== undefined) frame.exhausted = job.exhausted;
    this.#send(frame);
    const last = page.messages.at(-1);
    if (last) job.after = last.seq;
    // Caught up in this very turn: nothing can be stored between this page and going live
    // (commits happen on their own turn), so no message falls between the two.
    if (!page.more) this.#options.onCaughtUp();
    return !page.more;
  }

  /**
   * Rows one at a time, up to a page: those that read are sent, and the first that does not
   * ends the page (or, if it is the very first, fails the step so it is stepped over).
   */
  #carefulPage(job: Extract<Job, { kind: 'catch_up' }>): HistoryPage {
    const { store, viewer } = this.#options;
    const messages: ChatMessage[] = [];
    let after = job.after;
    let bytes = 0;
    while (messages.length < CAREFUL_ROWS && bytes < LIMITS.historyPageBytes) {
      let row: HistoryPage;
      try {
        row = store.pageAfter(after, viewer, 1, Number.MAX_SAFE_INTEGER);
      } catch (error) {
        if (messages.length === 0) throw error;
        return { messages, more: true };
      }
      const message = row.messages[0];
      if (!message) return { messages, more: false };
      messages.push(message);
      bytes += messageBytes(message);
      after = message.seq;
      if (!row.more) return { messages, more: false };
    }
    // A whole page read row by row: past the damage, back to whole pages.
    job.careful = false;
    return { messages, more: true };
  }

  #olderStep(job: Extract<Job, { kind: 'older' }>): boolean {
    const { store, viewer } = this.#options;
    const page = store.pageBefore(job.before, viewer, job.limit, LIMITS.historyPageBytes);
    this.#send({ type: 'history', messages: page.messages, mode: 'older', complete: true, exhausted: !page.more });
    return true;
  }

  #send(frame: ServerFrame): void {
    const data = encodeFrame(frame);
    this.#options.peer.send(data);
    this.#options.budget?.spend(data.length);
  }
}
