// A Peer with no socket behind it: it keeps the frames the room sends, decoded, so a test
// can build a room, feed it frames and read what each connection was told.
import type { ServerFrame } from '../../common/protocol.ts';
import type { Peer } from '../../main/host/peer.ts';

export class FakePeer implements Peer {
  readonly address: string;
  open = true;
  readonly frames: ServerFrame[] = [];
  closedWith: number | undefined;

  constructor(address: string) {
    this.address = address;
  }

  send(frame: Buffer): void {
    const length = frame[1]! & 0x7f;
    const header = length < 126 ? 2 : length === 126 ? 4 : 10;
    this.frames.push(JSON.parse(frame.subarray(header).toString('utf8')) as ServerFrame);
  }

  close(code: number): void {
    this.open = false;
    this.closedWith = code;
  }

  whenDrained(_lowWater: number, ready: () => void): void {
    setImmediate(ready);
  }

  last<T extends ServerFrame['type']>(type: T): Extract<ServerFrame, { type: T }> | undefined {
    return this.frames.findLast((f): f is Extract<ServerFrame, { type: T }> => f.type === type);
  }

  all<T extends ServerFrame['type']>(type: T): Extract<ServerFrame, { type: T }>[] {
    return this.frames.filter((f): f is Extract<ServerFrame, { type: T }> => f.type === type);
  }
}
