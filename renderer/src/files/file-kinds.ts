// How a file looks in the conversation and the tray: what kind it is (for its icon and the
// word under its name), and how big an inline image is drawn.

export type FileKind = 'image' | 'pdf' | 'archive' | 'audio' | 'video' | 'text' | 'document' | 'file';

const BY_TYPE: Array<[RegExp, FileKind, string]> = [
  [/^image\//, 'image', 'image'],
  [/^application\/pdf$/, 'pdf', 'PDF'],
  [/^application\/(zip|x-7z-compressed|x-rar-compressed|vnd\.rar|gzip|x-gzip|x-tar|x-bzip2|x-xz|zstd)$/, 'archive', 'archive'],
  [/^audio\//, 'audio', 'audio'],
  [/^video\//, 'video', 'video'],
  [/^text\//, 'text', 'text'],
  [/^application\/(msword|vnd\.openxmlformats-officedocument\..+|vnd\.oasis\.opendocument\..+|rtf)$/, 'document', 'document'],
];

/** The kind and a short word for a media type: `application/pdf` → pdf, "PDF". */
export function fileKind(type: string): { kind: FileKind; label: string } {
  const lower = type.toLowerCase();
  for (const [pattern, kind, label] of BY_TYPE) if (pattern.test(lower)) return { kind, label };
  return { kind: 'file', label: 'file' };
}

/** "report.pdf" → "PDF"; no extension → undefined. For the card's second line beside the kind. */
export function extensionOf(name: string): string | undefined {
  const match = /\.([A-Za-z0-9]{1,8})$/.exec(name);
  return match ? match[1]!.toUpperCase() : undefined;
}

/** The card's second line: "1.2 MB · PDF", "18 KB · ZIP archive", "3 KB · file". */
export function cardDetail(size: string, name: string, type: string): string {
  const { kind, label } = fileKind(type);
  const extension = extensionOf(name);
  if (kind === 'pdf') return `${size} · PDF`;
  return `${size} · ${extension ? `${extension} ${label}` : label}`;
}

/** An image's drawn size: its own, scaled down (never up) to fit `max`, keeping its shape. */
export function fitImage(image: { width: number; height: number }, max: { width: number; height: number }): { width: number; height: number } {
  const scale = Math.min(1, max.width / Math.max(1, image.width), max.height / Math.max(1, image.height));
  return { width: Math.max(1, Math.round(image.width * scale)), height: Math.max(1, Math.round(image.height * scale)) };
}

/** Raster images the page may preview from the person's own disk (never SVG: it is a document). */
export function canPreview(type: string): boolean {
  return /^image\/(png|jpeg|gif|webp)$/i.test(type);
}
