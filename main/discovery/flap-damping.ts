// Route-flap damping for room rows: a room that keeps leaving and coming back is shown a
// few times, then held back until it has been quiet for a while, so a flapping or hostile
// announcer cannot fill a list (or a `hearth rooms --watch`) with up/down lines.

export interface FlapDampingOptions {
  /** Leaves within a short time after which a room is held back. */
  threshold: number;
  /** The penalty of each leave halves over this time. */
  halfLifeMs: number;
  /** Rooms remembered; the longest-quiet are forgotten first. */
  maxTracked: number;
  now: () => number;
}

interface Penalty {
  value: number;
  at: number;
  suppressed: boolean;
}

export class FlapDamper {
  readonly #options: FlapDampingOptions;
  readonly #penalties = new Map<string, Penalty>();

  constructor(options: FlapDampingOptions) {
    this.#options = options;
  }

  /** A listed room left. */
  recordLeave(id: string): void {
    const penalty = this.#current(id) ?? { value: 0, at: this.#options.now(), suppressed: false };
    penalty.value += 1;
    // Half a leave of slack: `threshold` leaves a few seconds apart have decayed a little.
    if (penalty.value > this.#options.threshold - 0.5) penalty.suppressed = true;
    this.#penalties.delete(id); // re-inserted last: Map order is the forgetting order
    this.#penalties.set(id, penalty);
    if (this.#penalties.size > this.#options.maxTracked) this.#penalties.delete(this.#penalties.keys().next().value!);
  }

  /** Whether a room coming back should stay unlisted for now. */
  isHeldBack(id: string): boolean {
    const penalty = this.#current(id);
    if (!penalty) return false;
    // Released at half the threshold: one quiet half-life after the last flap.
    if (penalty.suppressed && penalty.value < this.#options.threshold / 2) penalty.suppressed = false;
    return penalty.suppressed;
  }

  #current(id: string): Penalty | undefined {
    const penalty = this.#penalties.get(id);
    if (!penalty) return undefined;
    const now = this.#options.now();
    penalty.value *= 0.5 ** ((now - penalty.at) / this.#options.halfLifeMs);
    penalty.at = now;
    if (penalty.value < 0.05 && !penalty.suppressed) {
      this.#penalties.delete(id);
      return undefined;
    }
    return penalty;
  }
}
