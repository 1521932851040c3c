// A token bucket per connection: bursts are fine, a sustained flood is not.

export interface RateLimit {
  /** Frames a client may send at once. */
  burst: number;
  /** Frames per second it earns back. */
  perSecond: number;
}

export class TokenBucket {
  readonly #limit: RateLimit;
  readonly #now: () => number;
  #tokens: number;
  #updated: number;

  constructor(limit: RateLimit, now: () => number = () => performance.now()) {
    this.#limit = limit;
    this.#now = now;
    this.#tokens = limit.burst;
    this.#updated = now();
  }

  /** Take one token; false when the bucket is empty. */
  take(): boolean {
    const now = this.#now();
    const earned = ((now - this.#updated) / 1000) * this.#limit.perSecond;
    this.#tokens = Math.min(this.#limit.burst, this.#tokens + earned);
    this.#updated = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
