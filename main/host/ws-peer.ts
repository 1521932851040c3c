// A Peer over a WebSocket. Frames go straight to the socket: a broadcast writes the same
// Buffer to every client, with no per-client serialization or framing. Frames sent within
// one event-loop turn wait for the end of the turn and leave together: one write per
// client per turn, however many frames the turn produced.
// The socket is the one the HTTP upgrade handed to ws (WebSocketServer.handleUpgrade's
// `socket`, which ws documents as the connection it then reads and writes): ws's private
// `_socket` is never read.
import type { WebSocket } from 'ws';
import type { Peer } from './peer.ts';

/** The parts of the upgrade's net.Socket a peer writes through and watches. */
export interface RawSocket {
  cork(): void;
  uncork(): void;
  write(data: Buffer): boolean;
  readonly writableLength: number;
  readonly writableHighWaterMark: number;
  once(event: 'drain' | 'close', listener: () => void): void;
  off(event: 'drain' | 'close', listener: () => void): void;
}

// Peers with frames waiting for the end of this turn: a plain array reused turn after turn,
// counted by hand. A Set here (or an array emptied with `length = 0`) got fresh backing
// storage every turn, and with 1,000 peers that was most of the garbage the host promoted
// to its old generation, which is what its peak RSS followed (bench, broadcast scenario).
const waiting: (WsPeer | undefined)[] = [];
let waitingCount = 0;

function flushWaiting(): void {
  for (let i = 0; i < waitingCount; i++) {
    const peer = waiting[i]!;
    waiting[i] = undefined;
    peer.flush();
  }
  waitingCount = 0;
}

/** How long a backlog may stay over the bound before the reader is cut off. */
const SLOW_CONSUMER_GRACE_MS = 2000;

export class WsPeer implements Peer {
  readonly address: string;
  readonly #ws: WebSocket;
  readonly #socket: RawSocket;
  readonly #maxBufferedBytes: number;
  readonly #onSlowConsumer: (peer: WsPeer) => void;
  readonly #traffic: { out: number };
  /** This turn's frames: the first on its own (the common case), any more in a list. */
  #first: Buffer | undefined;
  #more: Buffer[] | undefined;
  /** Bytes in #first and #more. */
  #turnBytes = 0;
  #overSince: number | undefined;
  /** Re-checks a backlog that is over the bound even when nothing new is sent (a quiet room). */
  #backlogTimer: ReturnType<typeof setTimeout> | undefined;

  /** `socket` is the one the upgrade handed to ws.handleUpgrade for `ws`. */
  constructor(ws: WebSocket, socket: RawSocket, address: string, maxBufferedBytes: number, traffic: { out: number }, onSlowConsumer: (peer: WsPeer) => void) {
    this.#ws = ws;
    this.#socket = socket;
    this.address = address;
    this.#maxBufferedBytes = maxBufferedBytes;
    this.#traffic = traffic;
    this.#onSlowConsumer = onSlowConsumer;
  }

  get open(): boolean {
    return this.#ws.readyState === this.#ws.OPEN;
  }

  send(frame: Buffer): void {
    if (!this.open) return;
    if (this.#first === undefined) {
      this.#first = frame;
      if (waitingCount === 0) process.nextTick(flushWaiting);
      waiting[waitingCount++] = this;
    } else {
      (this.#more ??= []).push(frame);
    }
    this.#turnBytes += frame.length;
    this.#traffic.out += frame.length;
  }

  /** Bytes sent to this peer that it has not taken yet (queued for the turn or in the socket). */
  get #backlogBytes(): number {
    return this.#turnBytes + this.#socket.writableLength;
  }

  whenDrained(lowWater: number, ready: () => void): void {
    const socket = this.#socket;
    if (!this.open) return;
    // Node only emits 'drain' after a write found the buffer past its high-water mark: a
    // backlog below that mark drains without a word, so never wait for less than it.
    lowWater = Math.max(lowWater, socket.writableHighWaterMark);
    if (this.#backlogBytes <= lowWater) {
      // A later turn, not now: whoever waits produces the next page, and must not do it
      // inside the turn (or the loop) that produced the last one.
      setImmediate(() => {
        if (this.open) ready();
      });
      return;
    }
    // 'drain' fires when the socket's buffer has gone to the kernel, after a write that
    // filled it; if this turn's frames are still waiting, they are written first.
    const onDrain = () => {
      socket.off('close', onClose);
      this.whenDrained(lowWater, ready);
    };
    const onClose = () => socket.off('drain', onDrain);
    socket.once('drain', onDrain);
    socket.once('close', onClose);
    if (socket.writableLength === 0) {
      // Only this turn's frames are waiting: no drain will come from an empty buffer.
      socket.off('drain', onDrain);
      socket.off('close', onClose);
      process.nextTick(() => this.whenDrained(lowWater, ready));
    }
  }

  /**
   * Writes this turn's frames. A lone frame is written as it is, so the stream buffers
   * nothing; several are corked into one writev. ws has nothing queued of its own here
   * (no compression, no Blobs), so writing framed bytes to its socket keeps every frame in
   * order with ws's own (close, pong): close() flushes first.
   */
  flush(): void {
    const first = this.#first;
    if (first === undefined) return;
    const more = this.#more;
    this.#first = undefined;
    this.#more = undefined;
    this.#turnBytes = 0;
    const socket = this.#socket;
    if (!this.open) return;
    if (more === undefined) {
      socket.write(first);
    } else {
      socket.cork();
      socket.write(first);
      for (const frame of more) socket.write(frame);
      socket.uncork();
    }
    this.#checkBacklog(socket.writableLength);
  }

  /**
   * A client that stops reading must not make the host hold its backlog forever. Measured
   * after the turn's writes went to the kernel (before that, any burst looks like a
   * backlog): over the bound for two seconds, or far over it at once, and it is cut off.
   * While over, a timer looks again, so a reader that stalls in a quiet room (nothing new
   * sent, so no flush to notice) is cut off all the same.
   */
  #checkBacklog(pending: number): void {
    if (pending <= this.#maxBufferedBytes) {
      this.#overSince = undefined;
      clearTimeout(this.#backlogTimer);
      this.#backlogTimer = undefined;
      return;
    }
    const now = Date.now();
    this.#overSince ??= now;
    if (pending > this.#maxBufferedBytes * 8 || now - this.#overSince > SLOW_CONSUMER_GRACE_MS) {
      clearTimeout(this.#backlogTimer);
      this.#onSlowConsumer(this);
      this.#ws.terminate();
      return;
    }
    if (this.#backlogTimer === undefined) {
      this.#backlogTimer = setTimeout(() => {
        this.#backlogTimer = undefined;
        if (this.open) this.#checkBacklog(this.#socket.writableLength);
      }, SLOW_CONSUMER_GRACE_MS + 50 - (now - this.#overSince));
      this.#backlogTimer.unref();
    }
  }

  close(code: number, reason: string): void {
    if (this.#ws.readyState === this.#ws.CLOSED || this.#ws.readyState === this.#ws.CLOSING) return;
    this.flush();
    this.#ws.close(code, reason.slice(0, 120));
    // A peer that never answers the close handshake is cut off.
    setTimeout(() => this.#ws.terminate(), 2000).unref();
  }

  /** Cuts the connection at once; frames still waiting for this turn are dropped with it. */
  terminate(): void {
    this.#first = undefined;
    this.#more = undefined;
    this.#turnBytes = 0;
    clearTimeout(this.#backlogTimer);
    this.#ws.terminate();
  }
}
