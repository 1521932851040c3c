// One client's WebSocket as the room sees it: a place to send pre-encoded frames.
// Sends within one event-loop turn are corked together and flushed with one write, so a
// broadcast of many messages costs one syscall per client, not one per message.
import type { WebSocket } from 'ws';

export interface Peer {
  /** Remote IP address, for per-address limits and bans. */
  readonly address: string;
  readonly open: boolean;
  send(frame: Buffer): void;
  close(code: number, reason: string): void;
}

const corked = new Set<WsPeer>();
let uncorkScheduled = false;

function uncorkAll(): void {
  uncorkScheduled = false;
  for (const peer of corked) peer.uncork();
  corked.clear();
}

export class WsPeer implements Peer {
  readonly address: string;
  readonly #ws: WebSocket;
  readonly #maxBufferedBytes: number;
  readonly #onSlowConsumer: (peer: WsPeer) => void;
  #corked = false;

  constructor(ws: WebSocket, address: string, maxBufferedBytes: number, onSlowConsumer: (peer: WsPeer) => void) {
    this.#ws = ws;
    this.address = address;
    this.#maxBufferedBytes = maxBufferedBytes;
    this.#onSlowConsumer = onSlowConsumer;
  }

  get open(): boolean {
    return this.#ws.readyState === this.#ws.OPEN;
  }

  get bufferedAmount(): number {
    return this.#ws.bufferedAmount;
  }

  send(frame: Buffer): void {
    if (!this.open) return;
    if (!this.#corked) {
      this.#corked = true;
      this.#socket()?.cork();
      corked.add(this);
      if (!uncorkScheduled) {
        uncorkScheduled = true;
        process.nextTick(uncorkAll);
      }
    }
    this.#ws.send(frame, { binary: false });
    // A client that stops reading must not make the host hold its backlog forever.
    if (this.#ws.bufferedAmount > this.#maxBufferedBytes) {
      this.#onSlowConsumer(this);
      this.#ws.terminate();
    }
  }

  uncork(): void {
    if (!this.#corked) return;
    this.#corked = false;
    this.#socket()?.uncork();
  }

  close(code: number, reason: string): void {
    if (this.#ws.readyState === this.#ws.CLOSED || this.#ws.readyState === this.#ws.CLOSING) return;
    this.uncork();
    this.#ws.close(code, reason.slice(0, 120));
    // A peer that never answers the close handshake is cut off.
    setTimeout(() => this.#ws.terminate(), 2000).unref();
  }

  terminate(): void {
    this.uncork();
    this.#ws.terminate();
  }

  #socket(): { cork(): void; uncork(): void } | undefined {
    // ws keeps the net.Socket on a private field; corking it is the documented Node way
    // to batch writes, and ws itself corks around each frame it writes.
    return (this.#ws as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
  }
}

