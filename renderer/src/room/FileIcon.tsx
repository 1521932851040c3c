// A file's icon by kind: a page with a mark for what is in it. Decorative: the kind is in
// the words beside it.
import type { FileKind } from '../files/file-kinds.ts';

const MARKS: Record<FileKind, string> = {
  image: 'M8 17l2.5-3 2 2.2L15 13l2 4z M9.5 11.2a1.2 1.2 0 1 0 0-.1',
  pdf: 'M8 13h8 M8 16h8 M8 10h3',
  archive: 'M11 6v2 M13 8v2 M11 10v2 M13 12v2 M11 15h2v2h-2z',
  audio: 'M10 17.5a1.5 1.5 0 1 1 0-.1V10l5-1.5v7 M15 15.5a1.5 1.5 0 1 1 0-.1',
  video: 'M8 11h6v5H8z M14 12.5l3-1.5v5l-3-1.5',
  text: 'M8 10h8 M8 13h8 M8 16h5',
  document: 'M8 10h8 M8 13h8 M8 16h8',
  file: '',
};

export function FileIcon({ kind, size = 28 }: { kind: FileKind; size?: number }) {
  return (
    <svg className={`file-icon kind-${kind}`} width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round">
      <path d="M6 2.8h8l4.2 4.2v13.2a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V3.8a1 1 0 0 1 1-1z" />
      <path d="M14 2.8V7h4.2" />
      {MARKS[kind] && <path d={MARKS[kind]} />}
    </svg>
  );
}

export function PaperclipIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <path d="M20.5 11.5l-8.2 8.2a5 5 0 0 1-7.1-7.1l8.6-8.6a3.3 3.3 0 0 1 4.7 4.7l-8.6 8.6a1.7 1.7 0 0 1-2.4-2.4l7.9-7.9" />
    </svg>
  );
}
