// The outbox and its send window (docs/architecture.md "How a message travels"): messages go
// in the order they were typed, at most a window of them unacked at once, and each ack lets
// the next one go. Whatever the host says it cannot take now (rate_limited,
// store_unavailable) is "later": the same message goes again after a backoff, and nothing
// new goes meanwhile. Only a message the host refuses as such is "failed".
import type { ClientFrame } from '../protocol.ts';
import type { OutgoingMessage } from './types.ts';

const DEFAULT_WINDOW = { messages: 16, bytes: 128 * 1024 };

export interface OutboxOptions {
  window?: { messages: number; bytes: number } | undefined;
  retryDelayMs?: number | undefined;
  ackTimeoutMs?: number | undefined;
  random(): number;
  now(): number;
  /** Where messages go: undefined while they may not (not synced, or no open socket). */
  channel(): { send(data: string): void } | undefined;
  acked(id: string, seq: number): void;
  failed(id: string, reason: string): void;
  /** Everything sent was acked (or failed). */
  drained(): void;
}

/** A message sent on the current connection and not yet acked. */
interface InFlight {
  /** Frame bytes, counted against the window. */
  bytes: number;
  sentAt: number;
  /**
   * Send order on this connection of the earliest transmission still believed to have
   * reached the host, and of the latest: the host answers a connection's frames in order,
   * so an ack for a message means every message whose last transmission came before that
   * message's first one was answered too (an unanswered one was dropped unseen).
   */
  firstOrder: number | undefined;
  lastOrder: number;
  /** The host said "later" (or dropped it): it goes again when the hold ends. */
  later: boolean;
}

export class Outbox {
  #options: OutboxOptions;
  /** Everything not yet acked, in the order it was typed. */
  #messages = new Map<string, OutgoingMessage>();
  /** The part of the outbox sent on this connection and not acked: the window. */
  #inFlight = new Map<string, InFlight>();
  #inFlightBytes = 0;
  #sendOrder = 0;
  /** Set while the host has asked us to wait: nothing is sent until it fires. */
  #holdTimer: ReturnType<typeof setTimeout> | undefined;
  /** "Later" answers since the last ack: the backoff doubles with each. */
  #laterStreak = 0;
  #ackTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: OutboxOptions) {
    this.#options = options;
  }

  /** Messages not yet acknowledged by the host, in the order they were typed. */
  get pending(): OutgoingMessage[] {
    return [...this.#messages.values()];
  }
  /** How many of them are on the wire right now (never more than the window). */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  has(id: string): boolean {
    return this.#messages.has(id);
  }

  add(message: OutgoingMessage): void {
    this.#messages.set(message.id, message);
    this.pump();
  }

  /** The host stored it (an ack, or our own message seen in history or live). */
  acked(id: string, seq: number): void {
    if (!this.#messages.delete(id)) return; // a second ack for a retry, or not ours
    const flight = this.#inFlight.get(id);
    if (flight) {
      this.#inFlight.delete(id);
      this.#inFlightBytes -= flight.bytes;
      this.#laterStreak = 0;
      if (flight.firstOrder !== undefined) this.#findDropped(flight.firstOrder);
    }
    this.#options.acked(id, seq);
    if (this.#messages.size === 0) this.#options.drained();
    this.pump();
  }

  /**
   * The host could not take it now: the same message (or, when it does not say which,
   * everything on the wire) goes again after a backoff, and nothing new goes meanwhile.
   */
  later(id: string | undefined, factor: number): void {
    const flights = id !== undefined ? [this.#inFlight.get(id)] : [...this.#inFlight.values()];
    for (const flight of flights) {
      if (!flight) continue;
      flight.later = true;
      flight.firstOrder = undefined; // that transmission was not taken
    }
    this.#hold(factor);
  }

  /** The host will never take it: dropped, not retried. */
  refused(id: string, reason: string): void {
    if (!this.#messages.delete(id)) return;
    const flight = this.#inFlight.get(id);
    if (flight) {
      this.#inFlight.delete(id);
      this.#inFlightBytes -= flight.bytes;
    }
    this.#options.failed(id, reason);
    if (this.#messages.size === 0) this.#options.drained();
    this.pump();
  }

  /** A new connection starts with nothing on the wire: the outbox goes again once synced. */
  forgetInFlight(): void {
    this.#inFlight.clear();
    this.#inFlightBytes = 0;
    clearTimeout(this.#holdTimer);
    this.#holdTimer = undefined;
    clearTimeout(this.#ackTimer);
    this.#ackTimer = undefined;
  }

  /** Send from the start of the outbox whatever is not on the wire, as far as the window allows. */
  pump(): void {
    if (this.#holdTimer !== undefined || !this.#options.channel()) return;
    const window = this.#options.window ?? DEFAULT_WINDOW;
    for (const message of this.#messages.values()) {
      if (this.#inFlight.size >= window.messages) return;
      if (this.#inFlight.has(message.id)) continue;
      const data = encodeMessage(message);
      const bytes = utf8Length(data);
      // One message always fits, however long: the window bounds, it never blocks.
      if (this.#inFlight.size > 0 && this.#inFlightBytes + bytes > window.bytes) return;
      const flight: InFlight = { bytes, sentAt: 0, firstOrder: undefined, lastOrder: 0, later: false };
      this.#inFlight.set(message.id, flight);
      this.#inFlightBytes += bytes;
      this.#transmit(message, flight, data);
    }
  }

  /**
   * Messages sent before one the host has just answered, and not answered themselves: an
   * older host dropped them over its rate budget without a word (it explains once a second).
   * They go again after the backoff, like any other "later".
   */
  #findDropped(answeredFrom: number): void {
    let dropped = false;
    for (const flight of this.#inFlight.values()) {
      if (flight.later || flight.lastOrder >= answeredFrom) continue;
      flight.later = true;
      flight.firstOrder = undefined;
      dropped = true;
    }
    if (dropped) this.#hold(1);
  }

  /** Send nothing for a while (the backoff), then resend what was put off, in order. */
  #hold(factor: number): void {
    if (this.#holdTimer !== undefined) return;
    const base = (this.#options.retryDelayMs ?? 1000) * factor * 2 ** Math.min(this.#laterStreak, 3);
    this.#laterStreak++;
    // A little jitter, upwards only: an older host explains at most once a second.
    const delay = Math.round(base * (1 + this.#options.random() / 4));
    this.#holdTimer = setTimeout(() => {
      this.#holdTimer = undefined;
      this.#resendLater();
      this.pump();
    }, delay);
  }

  #resendLater(): void {
    for (const message of this.#messages.values()) {
      const flight = this.#inFlight.get(message.id);
      if (flight?.later) this.#transmit(message, flight);
    }
  }

  #transmit(message: OutgoingMessage, flight: InFlight, data = encodeMessage(message)): void {
    const channel = this.#options.channel();
    if (!channel) return;
    flight.lastOrder = ++this.#sendOrder;
    flight.firstOrder ??= flight.lastOrder;
    flight.sentAt = this.#options.now();
    flight.later = false;
    channel.send(data);
    if (this.#ackTimer === undefined) this.#armAckTimer(flight.sentAt);
  }

  /** The safety net: resend what has waited longer than ackTimeoutMs on a live connection. */
  #armAckTimer(oldestSentAt: number): void {
    const timeout = this.#options.ackTimeoutMs ?? 15_000;
    this.#ackTimer = setTimeout(
      () => {
        this.#ackTimer = undefined;
        const now = this.#options.now();
        // While the host has asked us to wait, the wait comes first; look again after it.
        const held = this.#holdTimer !== undefined;
        let oldest: number | undefined;
        for (const message of this.#messages.values()) {
          const flight = this.#inFlight.get(message.id);
          if (!flight || flight.later) continue;
          if (!held && now - flight.sentAt >= timeout) this.#transmit(message, flight);
          oldest = Math.min(oldest ?? flight.sentAt, flight.sentAt);
        }
        if (oldest !== undefined) this.#armAckTimer(held ? now : oldest);
      },
      Math.max(0, oldestSentAt + timeout - this.#options.now()),
    );
  }
}

function encodeMessage(message: OutgoingMessage): string {
  if (message.upload !== undefined) {
    const share: ClientFrame = { type: 'share', id: message.id, upload: message.upload };
    if (message.text !== '') share.text = message.text;
    if (message.to !== undefined) share.to = message.to;
    return JSON.stringify(share);
  }
  if (message.to !== undefined) return JSON.stringify({ type: 'private', id: message.id, to: message.to, text: message.text } satisfies ClientFrame);
  const frame: ClientFrame = { type: 'chat', id: message.id, text: message.text };
  if (message.kind === 'action') frame.action = true;
  return JSON.stringify(frame);
}

/** Bytes of `text` in UTF-8 (common/ runs where TextEncoder may not be typed). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit < 0xdc00 && i + 1 < text.length) {
      bytes += 4; // a surrogate pair: one code point of four bytes
      i++;
    } else bytes += 3;
  }
  return bytes;
}
