// Real PNG files for tests (the host recognises images by their bytes, never by a name or a
// type someone sent): a gradient of `width`×`height`, warm or cool so two differ at a glance.
import { crc32, deflateSync } from 'node:zlib';

const TINTS = {
  warm: (x: number, y: number) => [255 - Math.round(y * 120), 120 + Math.round(x * 100), 60],
  cool: (x: number, y: number) => [40 + Math.round(y * 150), 90, 200 - Math.round(x * 120)],
};

export function png(width: number, height: number, tint: keyof typeof TINTS = 'warm'): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) rows.set(TINTS[tint](x / width, y / height), row + 1 + x * 3);
  }
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}
