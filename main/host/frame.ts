// A server frame, serialized once and framed once: the JSON and the WebSocket header
// (RFC 6455 §5.2: FIN + text opcode, unmasked from server to client) in one Buffer, so a
// broadcast writes the very same bytes to every socket with no per-client work.
import type { ServerFrame } from '../../common/protocol.ts';

export function encodeFrame(frame: ServerFrame): Buffer {
  return textFrame(JSON.stringify(frame));
}

export function textFrame(text: string): Buffer {
  const length = Buffer.byteLength(text);
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const out = Buffer.allocUnsafe(header + length);
  out[0] = 0x81; // FIN, opcode 1 (text)
  if (header === 2) {
    out[1] = length;
  } else if (header === 4) {
    out[1] = 126;
    out.writeUInt16BE(length, 2);
  } else {
    out[1] = 127;
    out.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    out.writeUInt32BE(length >>> 0, 6);
  }
  out.write(text, header, 'utf8');
  return out;
}
