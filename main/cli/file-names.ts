// Where `/get` saves a file: a name of this machine's own making from the name someone else
// chose. The host already cleaned it for showing; here it becomes one plain file name that
// stays inside the folder asked for (no separators, no "..", no hidden dot-file, nothing a
// terminal or a shell would read as an instruction), and never replaces a file already there.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';

/** Most file systems count a name's length in bytes: 255. Room is left for " (99)" and ".part". */
const MAX_NAME_BYTES = 200;
/** Names Windows keeps for devices, whatever the extension (a file saved there as "nul.txt" is lost). */
const WINDOWS_DEVICES = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;
/** The suffix a download in progress carries until its hash is checked. */
export const PARTIAL_SUFFIX = '.part';

/** One safe file name from a name chosen elsewhere ("file" when nothing usable is left). */
export function safeLocalName(name: string): string {
  let safe = name
    .normalize('NFC')
    // Path separators and what Windows refuses in names become "_": never a path, always one name.
    .replace(/[/\\:*?"<>|]/g, '_')
    // Controls (NUL, escapes, newlines), bidi overrides and other invisible format characters go.
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .trim()
    // No hidden file and no "." or "..": leading dots go; Windows drops trailing dots and spaces.
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  if (WINDOWS_DEVICES.test(safe)) safe = `_${safe}`;
  safe = truncateKeepingExtension(safe, MAX_NAME_BYTES);
  return safe === '' ? 'file' : safe;
}

/** "report.pdf" → ["report", ".pdf"]; a name without a dot, or only a leading one, has no extension. */
export function splitExtension(name: string): [string, string] {
  const dot = name.lastIndexOf('.');
  // An "extension" longer than 16 characters is part of the name ("notes.from the meeting").
  if (dot <= 0 || name.length - dot > 16) return [name, ''];
  return [name.slice(0, dot), name.slice(dot)];
}

/**
 * The path a download of `name` goes to in `dir`: `name` itself, or "name (1).ext",
 * "name (2).ext"… when a finished file already has it. A partial download (`.part`) of the
 * chosen name does not count as taken: that is the one a new `/get` resumes.
 */
export async function freeTarget(dir: string, name: string, busy: ReadonlySet<string> = new Set(), maxTries = 1000): Promise<string> {
  const [stem, extension] = splitExtension(name);
  for (let n = 0; n < maxTries; n++) {
    const candidate = join(dir, n === 0 ? name : `${stem} (${n})${extension}`);
    if (!busy.has(candidate) && !(await exists(candidate))) return candidate;
  }
  throw new Error(`${maxTries} files named like "${name}" are already in ${dir}.`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

function truncateKeepingExtension(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name) <= maxBytes) return name;
  const [stem, extension] = splitExtension(name);
  const keep = maxBytes - Buffer.byteLength(extension);
  let cut = '';
  // By code point, so a character is never split in half.
  for (const char of stem) {
    if (Buffer.byteLength(cut + char) > keep) break;
    cut += char;
  }
  return `${cut.trimEnd()}${extension}`;
}
