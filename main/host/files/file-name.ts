// The name a shared file is shown under. It comes from the sender's machine and is only ever
// text: the host stores the bytes by their SHA-256 (storage.ts), so "../../x" may be shown as
// "../../x" but never opens a path. What is removed is what would make the name lie about
// itself or break the line it sits on: controls (NUL included), line breaks, and the bidi
// controls that would show "exe.txt" for "txt.exe".
import { CONTROL_OR_BIDI, LINE_BREAKS_AND_TABS } from '../../../common/characters.ts';

/** Characters (code points) a shown name keeps, like most file systems' limit. */
export const MAX_FILE_NAME_CHARS = 255;
/** Kept at the end of a shortened name, so "….pdf" still says what it is. */
const MAX_KEPT_EXTENSION_CHARS = 16;
const CONTROL_OR_BIDI_ALL = new RegExp(CONTROL_OR_BIDI.source, 'g');

export function displayFileName(raw: string): string {
  const cleaned = raw.normalize('NFC').replace(LINE_BREAKS_AND_TABS, ' ').replace(CONTROL_OR_BIDI_ALL, '').trim();
  const chars = Array.from(cleaned);
  if (chars.length === 0) return 'file';
  if (chars.length <= MAX_FILE_NAME_CHARS) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const extension = dot > 0 ? Array.from(cleaned.slice(dot)) : [];
  const kept = extension.length > 1 && extension.length <= MAX_KEPT_EXTENSION_CHARS ? extension : [];
  return [...chars.slice(0, MAX_FILE_NAME_CHARS - 1 - kept.length), '…', ...kept].join('');
}
