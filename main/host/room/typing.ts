// Typing indicators. Typing is a state, not an event: the member says it is typing (again
// and again, while it is) or that it stopped. The room hears each change at most once per
// intervalMs, and always the last one, so flipping true/false as fast as one can costs the
// room one frame a second; a steady "typing" is repeated every half timeout. An `active`
// nobody refreshes ends by itself.
import type { Members } from './members.ts';
import { author, type Session } from './session.ts';

export interface TypingOptions {
  members: Members;
  now: () => number;
  /** Typing switches itself off after this long without a refresh. */
  timeoutMs: number;
  /** Changes reach the room at most this often (the last one always does). */
  intervalMs: number;
}

export class Typing {
  readonly #options: TypingOptions;

  constructor(options: TypingOptions) {
    this.#options = options;
  }

  /** A `typing` frame from the member. */
  set(session: Session, active: boolean): void {
    if (!active) return this.stop(session, true);
    clearTimeout(session.typingTimer);
    session.typingTimer = setTimeout(() => this.stop(session, true), this.#options.timeoutMs);
    session.typingTimer.unref?.();
    this.#announce(session);
  }

  /** Stop typing (sending a message, going quiet, leaving); `announce` tells the room. */
  stop(session: Session, announce: boolean): void {
    clearTimeout(session.typingTimer);
    session.typingTimer = undefined;
    if (announce) this.#announce(session);
    else {
      clearTimeout(session.typingAnnounceTimer);
      session.typingAnnounceTimer = undefined;
    }
  }

  #announce(session: Session): void {
    const { now, timeoutMs, intervalMs } = this.#options;
    const typing = session.typingTimer !== undefined;
    // Still typing: said again every half timeout, so clients (whose indicators expire on
    // their own) and people who joined since keep seeing it.
    const refresh = typing && session.typingShown && now() - session.typingShownAt >= timeoutMs / 2;
    if ((typing === session.typingShown && !refresh) || session.typingAnnounceTimer !== undefined || !session.member) return;
    const wait = session.typingShownAt + intervalMs - now();
    if (wait > 0) {
      // Too soon after the last change: say the state as it will be then.
      session.typingAnnounceTimer = setTimeout(() => {
        session.typingAnnounceTimer = undefined;
        if (this.#options.members.isCurrent(session)) this.#announce(session);
      }, wait);
      session.typingAnnounceTimer.unref?.();
      return;
    }
    session.typingShown = typing;
    session.typingShownAt = now();
    this.#options.members.broadcast({ type: 'typing', user: author(session.member), active: typing }, session);
  }
}
