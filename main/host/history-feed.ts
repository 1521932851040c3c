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
import { LIMITS, type ErrorCode, type ServerFrame } from '../../common/protocol.ts';
import type { Peer } from './connection.ts';
import { encodeFrame } from './frame.ts';
import type { TokenBucket } from './rate-limit.ts';
import type { HistoryStore } from './store.ts';

/** Build the next page once at most this much is waiting in the socket. */
const LOW_WATER_BYTES = 64 * 1024;
/** Older pages a connection may have waiting; one more is refused, not queued. */
const MAX_WAITING_REQUESTS = 4;
/** Rows read per page at most (a page of short messages still stops at a sane count). */
const ROWS_PER_PAGE = LIMITS.historyChunk;

export interface HistoryFeedOptions {
  peer: Peer;
  store: HistoryStore;
  /** The member reading: private messages of others are never in their pages. */
  viewer: string;
  /** Bytes of history this connection's address may be sent; undefined: no budget (tests). */
  budget: TokenBucket | undefined;
  /** Caught up: from now on the member gets messages live. */
  onCaughtUp: () => void;
  /** The store failed; `ref` is what to name in the error the member gets. */
  onStoreError: (error: unknown, ref: { type: string }) => void;
  /** Tell the member something went wrong with one of its requests. */
  sendError: (code: ErrorCode, message: string, ref: { type: string }) => void;
}

type Job =
  | { kind: 'catch_up'; mode: 'latest' | 'resume'; after: number; exhausted?: boolean }
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
    this.#jobs.push(exhausted === undefined ? { kind: 'catch_up', mode, after } : { kind: 'catch_up', mode, after, exhausted });
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
      this.#jobs.shift();
      this.#options.onStoreError(error, { type: job.kind === 'catch_up' ? 'join' : 'fetch_history' });
      // Without history the member still chats: live from here.
      if (job.kind === 'catch_up') this.#options.onCaughtUp();
      return this.#pump();
    }
    if (done) this.#jobs.shift();
    this.#pump();
  }

  #catchUpStep(job: Extract<Job, { kind: 'catch_up' }>): boolean {
    const { store, viewer } = this.#options;
    const page = store.pageAfter(job.after, viewer, ROWS_PER_PAGE, LIMITS.historyPageBytes);
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
