// What a file is, from its first bytes rather than its name or what the sender said. Only a
// PNG, JPEG, GIF or WebP that image-size can measure becomes an image (shown inline, at its
// size); anything else is a download, served with a type from a short list of passive ones
// or as application/octet-stream. SVG, HTML, XML and scripts are never among them: a type
// a browser would run is a type nobody gets from this host.
import { imageSize } from 'image-size';

/** Enough of a file to measure any of the four images (a JPEG's size may follow 64 KB of EXIF). */
export const RECOGNISE_BYTES = 256 * 1024;

const IMAGE_TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp' };

/** Declared types kept as they are: documents, archives, audio and video a browser only plays or saves. */
const PASSIVE_TYPES = new Set([
  'text/plain',
  'text/csv',
  'text/markdown',
  'application/pdf',
  'application/zip',
  'application/gzip',
  'application/x-tar',
  'application/x-7z-compressed',
  'application/json',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/msword',
  'application/vnd.ms-excel',
]);
const PASSIVE_MEDIA = /^(audio|video)\/[a-z0-9][a-z0-9.+-]{0,60}$/;

export const UNKNOWN_TYPE = 'application/octet-stream';

export interface Recognised {
  type: string;
  image?: { width: number; height: number };
}

export function recognise(head: Uint8Array, declaredType: string): Recognised {
  const image = measureImage(head);
  if (image) return image;
  const declared = declaredType.trim().toLowerCase().split(';')[0]!.trim();
  return { type: PASSIVE_TYPES.has(declared) || PASSIVE_MEDIA.test(declared) ? declared : UNKNOWN_TYPE };
}

function measureImage(head: Uint8Array): Recognised | undefined {
  try {
    // A copy with a buffer of its own: image-size reads through the underlying ArrayBuffer and
    // past the view's end (a 6-byte "GIF89a" from Node's shared pool measured as 29742×18456).
    const size = imageSize(new Uint8Array(head));
    const type = size.type && IMAGE_TYPES[size.type];
    if (!type || !(size.width > 0) || !(size.height > 0)) return undefined;
    // EXIF orientations 5–8 turn the picture a quarter: it is shown as tall as it is wide.
    const turned = size.orientation !== undefined && size.orientation >= 5;
    return { type, image: turned ? { width: size.height, height: size.width } : { width: size.width, height: size.height } };
  } catch {
    return undefined; // not an image image-size knows, or cut short
  }
}

/** What a download may be served as: a recognised image type or a passive one; anything else becomes octet-stream. */
export function servableType(type: string): string {
  return Object.values(IMAGE_TYPES).includes(type) || PASSIVE_TYPES.has(type) || PASSIVE_MEDIA.test(type) ? type : UNKNOWN_TYPE;
}

/** The types a page may show inline (with `inline=1`, for a file recognised as an image). */
export function isInlineImageType(type: string): boolean {
  return Object.values(IMAGE_TYPES).includes(type);
}
