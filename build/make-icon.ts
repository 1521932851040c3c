// Draws build/icon.png (1024×1024): a flame on a warm rounded square. Procedural so the
// icon needs no image tools to rebuild: `node build/make-icon.ts`.
import { writeFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';

const SIZE = 1024;
type RGBA = [number, number, number, number];

const mix = (a: number, b: number, t: number) => a + (b - a) * t;
const clamp = (x: number) => Math.max(0, Math.min(1, x));
const hex = (h: string): [number, number, number] => [0, 2, 4].map((i) => parseInt(h.slice(i + 1, i + 3), 16)) as [number, number, number];
const blend = (under: RGBA, color: [number, number, number], alpha: number): RGBA => [
  mix(under[0], color[0], alpha),
  mix(under[1], color[1], alpha),
  mix(under[2], color[2], alpha),
  Math.max(under[3], alpha * 255),
];
const lerpColor = (a: string, b: string, t: number): [number, number, number] => {
  const [x, y] = [hex(a), hex(b)];
  return [mix(x[0], y[0], t), mix(x[1], y[1], t), mix(x[2], y[2], t)];
};

/** Signed "inside-ness" of a flame in unit coordinates (y down); > 0 inside. */
function flame(x: number, y: number, tip: number, centerY: number, radius: number, lean: number): number {
  if (y < tip || y > centerY + radius) return -1;
  const sway = lean * Math.sin((y - tip) * 4) * (centerY - Math.min(y, centerY));
  const dx = Math.abs(x - sway);
  const width =
    y >= centerY
      ? radius * Math.sqrt(Math.max(0, 1 - ((y - centerY) / radius) ** 2))
      : radius * ((y - tip) / (centerY - tip)) ** 1.5;
  return width - dx;
}

function roundedSquare(x: number, y: number, half: number, r: number): number {
  const qx = Math.abs(x) - (half - r);
  const qy = Math.abs(y) - (half - r);
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
  return -outside;
}

const px = 2 / SIZE; // one pixel in unit coordinates, for anti-aliasing
const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE);
for (let j = 0; j < SIZE; j++) {
  raw[j * (SIZE * 4 + 1)] = 0; // filter: none
  for (let i = 0; i < SIZE; i++) {
    const x = (i + 0.5) / SIZE * 2 - 1;
    const y = (j + 0.5) / SIZE * 2 - 1;
    let c: RGBA = [0, 0, 0, 0];
    const bg = clamp(roundedSquare(x, y, 0.9, 0.2) / px + 0.5);
    c = blend(c, lerpColor('#4a2a3f', '#1d1520', clamp((y + 1) / 2)), bg);
    const glow = clamp(1 - Math.hypot(x, y - 0.35) / 0.75) ** 2 * 0.35 * bg;
    c = blend(c, hex('#ff8a3d'), glow);
    const outer = clamp(flame(x, y, -0.62, 0.22, 0.42, 0.06) / px + 0.5);
    c = blend(c, lerpColor('#ffc24a', '#ff5e1a', clamp((y + 0.62) / 1.2)), outer);
    const inner = clamp(flame(x, y, -0.2, 0.34, 0.24, -0.05) / px + 0.5);
    c = blend(c, lerpColor('#fff6c8', '#ffd36b', clamp((y + 0.2) / 0.8)), inner);
    const o = j * (SIZE * 4 + 1) + 1 + i * 4;
    raw[o] = Math.round(c[0]);
    raw[o + 1] = Math.round(c[1]);
    raw[o + 2] = Math.round(c[2]);
    raw[o + 3] = Math.round(c[3]);
  }
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('icon.png', import.meta.url), png);
console.log(`build/icon.png: ${SIZE}×${SIZE}, ${png.length} bytes`);
