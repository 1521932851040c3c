// One client's WebSocket as the room sees it: a place to send frames that are already
// encoded and framed (main/host/frame.ts). They go straight to the socket: a broadcast
// writes the same Buffer to every client, with no per-client serialization or framing.
// Frames sent within one event-loop turn wait for the end of the turn and leave together:
// one write per client per turn, however many frames the turn produced.
import type { WebSocket } from 'ws';

export interface Peer {
  /** Remote IP address, for per-address limits and bans. */
  readonly address: string;
  readonly open: boolean;
  /** A complete WebSocket frame (encodeFrame). */
  send(frame: Buffer): void;
  close(code: number, reason: string): void;
}

interface RawSocket {
  cork(): void;
  uncork(): void;
  write(data: Buffer): boolean;
  readonly writableLength: number;
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

export class WsPeer implements Peer {
  readonly address: string;
  readonly #ws: WebSocket;
  readonly #maxBufferedBytes: number;
  readonly #onSlowConsumer: (peer: WsPeer) => void;
  readonly #traffic: { out: number };
  /** This turn's frames: the first on its own (the common case), any more in a list. */
  #first: Buffer | undefined;
  #more: Buffer[] | undefined;
  #overSince: number | undefined;

  constructor(ws: WebSocket, address: string, maxBufferedBytes: number, traffic: { out: number }, onSlowConsumer: (peer: WsPeer) => void) {
    this.#ws = ws;
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
    this.#traffic.out += frame.length;
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
    const socket = this.#socket();
    if (!socket || !this.open) return;
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
   */
  #checkBacklog(pending: number): void {
    if (pending <= this.#maxBufferedBytes) {
      this.#overSince = undefined;
      return;
    }
    const now = Date.now();
    this.#overSince ??= now;
    if (pending > this.#maxBufferedBytes * 8 || now - this.#overSince > 2000) {
      this.#onSlowConsumer(this);
      this.#ws.terminate();
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
    this.#ws.terminate();
  }

  #socket(): RawSocket | undefined {
    // ws keeps the net.Socket on a private field (ws itself corks it around each frame it
    // writes); main/host/frame.test.ts checks our frames against ws's own.
    return (this.#ws as unknown as { _socket?: RawSocket })._socket;
  }
}
