// A SocketLike (common/client/types.ts) that records what is done to it and lets a test say
// when it opens: for the client's link and anything else that wraps a socket.
import type { SocketLike } from '../../common/client/types.ts';

export class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  closedWith: [number | undefined, string | undefined] | undefined;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  send(data: string) {
    this.sent.push(data);
  }
  close(code?: number, reason?: string) {
    this.closedWith = [code, reason];
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
}
