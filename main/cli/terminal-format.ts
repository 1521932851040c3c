// How the terminal client prints a conversation: one line per event, names colored by a
// stable hash, and nothing from the network reaching the terminal as a control sequence.
import { styleText } from 'node:util';
import { ESCAPE_SEQUENCE, UNSAFE_IN_TERMINAL } from '../../common/characters.ts';
import { formatBytes } from '../../common/files.ts';
import type { ChatMessage, FileRef } from '../../common/protocol.ts';

type Format = Parameters<typeof styleText>[0];
type Style = Extract<Format, string>;
const NAME_COLORS: Style[] = ['cyan', 'green', 'yellow', 'magenta', 'blue', 'red', 'cyanBright', 'greenBright', 'magentaBright', 'yellowBright'];

export interface Formatter {
  /** `fileNumber`: what `/get` calls the message's file (numbered in the order shown). */
  message(m: ChatMessage, myId: string | undefined, fileNumber?: number): string;
  system(text: string): string;
  error(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

/** Escape sequences, controls, bidi overrides and other invisible tricks become visible placeholders. */
export function sanitizeForTerminal(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '\uFFFD').replace(UNSAFE_IN_TERMINAL, '\uFFFD');
}

export function createFormatter(stream: NodeJS.WriteStream): Formatter {
  const style = (format: Format, text: string) => styleText(format, text, { stream });
  const name = (value: string, id: string) => style(['bold', colorFor(id)], sanitizeForTerminal(value));
  return {
    message(m, myId, fileNumber) {
      const time = style('dim', clock(m.ts));
      const text = sanitizeForTerminal(m.text).replaceAll('\n', '\n      ');
      const from = m.from.id === myId ? style('bold', 'you') : name(m.from.name, m.from.id);
      const to = m.to && (m.to.id === myId ? style('bold', 'you') : name(m.to.name, m.to.id));
      if (m.file) {
        // "12:04 Ada shared #3 report.pdf (2.4 MB)", the caption on the next line.
        const who = to ? `${from} → ${to} ${style('dim', '(private)')}` : from;
        const caption = text.trim() === '' ? '' : `\n      ${text}`;
        return `${time} ${who} shared ${fileLabel(m.file, fileNumber)}${caption}`;
      }
      if (to) return `${time} ${from} → ${to} ${style('dim', '(private)')}: ${text}`;
      if (m.kind === 'action') return `${time} ${style('italic', `* ${sanitizeForTerminal(m.from.name)} ${text}`)}`;
      return `${time} ${from}: ${text}`;
    },
    system: (text) => style('dim', `-- ${sanitizeForTerminal(text)}`),
    error: (text) => style('red', `!! ${text}`),
    dim: (text) => style('dim', text),
    bold: (text) => style('bold', text),
  };
}

/** "#3 report.pdf (2.4 MB)", or "#3 report.pdf (deleted by the host)": one line, whatever the name holds. */
export function fileLabel(file: FileRef, number: number | undefined): string {
  return `${number === undefined ? '' : `#${number} `}${fileName(file)} (${file.deleted ? 'deleted by the host' : formatBytes(file.size)})`;
}

/** A file's name as the terminal shows it: one line, nothing in it a control. */
export function fileName(file: Pick<FileRef, 'name'>): string {
  return sanitizeForTerminal(file.name).replace(/[\t\n]+/g, ' ');
}

function colorFor(id: string): Style {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) >>> 0;
  return NAME_COLORS[hash % NAME_COLORS.length]!;
}

function clock(ts: number): string {
  const d = new Date(ts);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
