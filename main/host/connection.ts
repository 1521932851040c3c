// One client's WebSocket as the room sees it: a place to send frames that are already
// encoded and framed (main/host/frame.ts). They go straight to the socket: a broadcast
// writes the same Buffer to every client, with no per-client serialization or framing.
// Writes within one event-loop turn are corked together and leave in one syscall.
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
  readonly #traffic: { out: number };
  #corked = false;
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
    if (!this.#corked) {
      this.#corked = true;
      this.#socket()?.cork();
      corked.add(this);
      if (!uncorkScheduled) {
        uncorkScheduled = true;
        process.nextTick(uncorkAll);
      }
    }
    // ws has nothing queued of its own here (no compression, no Blobs), so writing the
    // framed bytes to its socket keeps every frame in order with ws's own (close, pong).
    const socket = this.#socket();
    if (!socket) return;
    socket.write(frame);
    this.#traffic.out += frame.length;
  }

  uncork(): void {
    if (!this.#corked) return;
    this.#corked = false;
    const socket = this.#socket();
    if (!socket) return;
    socket.uncork();
    this.#checkBacklog(socket.writableLength);
  }

  /**
   * A client that stops reading must not make the host hold its backlog forever. Measured
   * after the turn's writes went to the kernel (while corked, any burst looks like a
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
    this.uncork();
    this.#ws.close(code, reason.slice(0, 120));
    // A peer that never answers the close handshake is cut off.
    setTimeout(() => this.#ws.terminate(), 2000).unref();
  }

  terminate(): void {
    this.uncork();
    this.#ws.terminate();
  }

  #socket(): RawSocket | undefined {
    // ws keeps the net.Socket on a private field (ws itself corks it around each frame it
    // writes); main/host/frame.test.ts checks our frames against ws's own.
    return (this.#ws as unknown as { _socket?: RawSocket })._socket;
  }
}

