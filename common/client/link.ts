// One socket's life: opened in time or given up, parsed frames in, a heartbeat out. A
// browser cannot see WebSocket pings, so the client asks (`ping`) and presumes the host gone
// after 2.5 intervals of silence: a dead Wi-Fi link can leave a socket "open" for minutes.
// Reconnecting is the RoomClient's job: a Link only says how it ended.
import { CloseCode, parseServerFrame, type ClientFrame, type ServerFrame } from '../protocol.ts';
import type { SocketLike } from './types.ts';

export interface LinkOptions {
  connectTimeoutMs: number;
  heartbeatMs: number;
  now(): number;
}

export interface LinkEvents {
  frame(frame: ServerFrame): void;
  /** The socket closed on its own; `opened` says whether it ever opened. */
  closed(code: number, opened: boolean): void;
  /** The link gave the socket up: it did not open in time, or the host fell silent. */
  gaveUp(cause: 'unreachable' | 'no_answer'): void;
}

export class Link {
  #socket: SocketLike;
  #options: LinkOptions;
  #events: LinkEvents;
  #opened = false;
  #dropped = false;
  #lastHeard = 0;
  #pingId = 0;
  #connectTimer: ReturnType<typeof setTimeout>;
  #heartbeatTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(socket: SocketLike, options: LinkOptions, events: LinkEvents) {
    this.#socket = socket;
    this.#options = options;
    this.#events = events;
    this.#connectTimer = setTimeout(() => {
      if (this.#opened || this.#dropped) return;
      this.drop('connect timeout');
      events.gaveUp('unreachable');
    }, options.connectTimeoutMs);
    socket.onopen = () => {
      this.#opened = true;
      clearTimeout(this.#connectTimer);
      this.#lastHeard = options.now();
      this.#startHeartbeat();
    };
    socket.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      this.#lastHeard = options.now();
      const frame = parseServerFrame(event.data);
      if ('error' in frame) return; // A newer host may say things we do not know; ignore them.
      events.frame(frame);
    };
    socket.onerror = () => {
      // Always followed by onclose, which has the code.
    };
    socket.onclose = (event) => {
      clearTimeout(this.#connectTimer);
      if (this.#dropped) return;
      this.#dropped = true;
      this.#stopHeartbeat();
      events.closed(event.code, this.#opened);
    };
  }

  get isOpen(): boolean {
    return !this.#dropped && this.#socket.readyState === 1;
  }

  sendFrame(frame: ClientFrame): void {
    this.send(JSON.stringify(frame));
  }

  /** Dropped unless the socket is open: what is lost here, the client's retries cover. */
  send(data: string): void {
    if (this.isOpen) this.#socket.send(data);
  }

  /** Close without waiting for the socket to say goodbye: no event follows. */
  drop(reason: string): void {
    clearTimeout(this.#connectTimer);
    this.#stopHeartbeat();
    if (this.#dropped) return;
    this.#dropped = true;
    detach(this.#socket);
    try {
      this.#socket.close(CloseCode.normal, reason);
    } catch {
      // Closing a socket that never opened throws in some implementations; nothing to do.
    }
  }

  /** Close and let the close event follow (the host hears why, the client hears the code). */
  close(code: number, reason: string): void {
    this.#socket.close(code, reason);
  }

  #startHeartbeat(): void {
    const interval = this.#options.heartbeatMs;
    const tick = () => {
      if (this.#options.now() - this.#lastHeard > interval * 2.5) {
        // Silence: the host or the network is gone even if the socket has not noticed.
        this.drop('heartbeat timeout');
        return this.#events.gaveUp('no_answer');
      }
      this.sendFrame({ type: 'ping', id: ++this.#pingId });
      this.#heartbeatTimer = setTimeout(tick, interval);
    };
    this.#heartbeatTimer = setTimeout(tick, interval);
  }

  #stopHeartbeat(): void {
    clearTimeout(this.#heartbeatTimer);
    this.#heartbeatTimer = undefined;
  }
}

function detach(socket: SocketLike): void {
  socket.onopen = null;
  socket.onmessage = null;
  socket.onclose = null;
  // Not null: Node's ws reports closing a still-connecting socket as an 'error' event, and
  // an error event nobody listens to would take the whole process down.
  socket.onerror = () => {};
}
