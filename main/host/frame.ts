// A server frame, serialized once and framed once: the JSON and the WebSocket header
// (RFC 6455 §5.2: FIN + text opcode, unmasked from server to client) in one Buffer, so a
// broadcast writes the very same bytes to every socket with no per-client work.
// The header is ws's own (Sender.frame); only where it goes is ours: the text is written
// once, after room for the longest header, and the header is copied in just before it, so
// the frame is one Buffer without copying the text a second time.
import * as ws from 'ws';
import type { ServerFrame } from '../../common/protocol.ts';

interface FrameOptions {
  fin: boolean;
  opcode: number;
  mask: boolean;
  rsv1: boolean;
  readOnly: boolean;
}

/** ws exports its Sender (lib/sender.js), which @types/ws does not declare. */
const { Sender } = ws as unknown as { Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] } };

const TEXT: FrameOptions = { fin: true, opcode: 1, mask: false, rsv1: false, readOnly: false };
/** 2 bytes, + 8 for a 64-bit length; unmasked frames carry no masking key. */
const MAX_HEADER = 10;

export function encodeFrame(frame: ServerFrame): Buffer {
  return textFrame(JSON.stringify(frame));
}

export function textFrame(text: string): Buffer {
  const out = Buffer.allocUnsafe(MAX_HEADER + Buffer.byteLength(text));
  out.write(text, MAX_HEADER, 'utf8');
  // Unmasked, ws returns [header, payload] and leaves the payload as it is.
  const header = Sender.frame(out.subarray(MAX_HEADER), TEXT)[0]!;
  const start = MAX_HEADER - header.length;
  header.copy(out, start);
  return out.subarray(start);
}
