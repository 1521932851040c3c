// Whether history works: a store failure is said once per outage (dashboard, host log and
// the `store_problem` event), with the reason in words, and so is the recovery.
import type { RoomStats } from '../stats.ts';
import { describeStoreError, toStoreError } from '../store/index.ts';

export class StoreHealth {
  /** Why history is failing right now, once said; undefined while it works. */
  #problem: string | undefined;
  readonly #stats: RoomStats;
  readonly #changed: (reason: string) => void;

  /** `changed` hears the reason when history fails, '' when it works again. */
  constructor(stats: RoomStats, changed: (reason: string) => void) {
    this.#stats = stats;
    this.#changed = changed;
  }

  /** A store call failed: the reason in words, said once per outage. */
  failed(error: unknown): string {
    const reason = describeStoreError(toStoreError(error).kind);
    if (this.#problem !== reason) {
      this.#problem = reason;
      this.#stats.log('store', `History unavailable: ${reason}. The room stays open; messages that cannot be saved are not acknowledged.`);
      this.#changed(reason);
    }
    return reason;
  }

  works(): void {
    if (this.#problem === undefined) return;
    this.#problem = undefined;
    this.#stats.log('store', 'History works again.');
    this.#changed('');
  }
}
