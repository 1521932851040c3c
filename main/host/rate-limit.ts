// Budgets per connection, as token buckets: bursts are fine, a sustained flood is not.
// Nothing over budget is dropped: the host stops reading that connection until the budget
// has grown back (TCP pushes back on the sender), so a greedy peer gets slower, never
// louder, and a frame it sent is "later", never "lost".

export interface RateLimit {
  /** What a client may spend at once (frames, or bytes). */
  burst: number;
  /** What it earns back per second. */
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

  #refill(): void {
    const now = this.#now();
    const earned = ((now - this.#updated) / 1000) * this.#limit.perSecond;
    this.#tokens = Math.min(this.#limit.burst, this.#tokens + earned);
    this.#updated = now;
  }

  /**
   * Spend `cost` whether or not it is there (the work is done already), and say how many
   * milliseconds until the bucket is out of debt: 0 when it never went into debt.
   */
  spend(cost: number): number {
    this.#refill();
    this.#tokens -= cost;
    return this.#tokens >= 0 ? 0 : Math.ceil((-this.#tokens / this.#limit.perSecond) * 1000);
  }

  /** Refilled to the brim: forgetting this bucket now would give away nothing. */
  get full(): boolean {
    this.#refill();
    return this.#tokens >= this.#limit.burst;
  }

  /** Milliseconds until `cost` can be spent without debt (0: now). */
  waitFor(cost: number): number {
    this.#refill();
    const short = Math.min(cost, this.#limit.burst) - this.#tokens;
    return short <= 0 ? 0 : Math.ceil((short / this.#limit.perSecond) * 1000);
  }
}
