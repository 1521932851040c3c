// The room's history as a file: JSON for machines, Markdown for people. Public messages
// only: private messages belong to their two people, not to the host's archive. A shared
// file is listed (name, size, SHA-256), never included: the export stays a text file.
import { formatBytes } from '../../common/files.ts';
import type { ChatMessage, FileRef } from '../../common/protocol.ts';

export function historyAsJson(room: string, topic: string, messages: ChatMessage[], now = new Date()): string {
  return `${JSON.stringify(
    {
      room,
      topic,
      exportedAt: now.toISOString(),
      messages: messages.map((m) => ({ seq: m.seq, time: new Date(m.ts).toISOString(), from: m.from.name, kind: m.kind, text: m.text, ...(m.file && { file: m.file }) })),
    },
    null,
    2,
  )}\n`;
}

export function historyAsMarkdown(room: string, topic: string, messages: ChatMessage[], now = new Date()): string {
  const lines = [`# ${escape(room)}`, '', `Exported from Hearth on ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC.${topic ? ` Topic: ${escape(topic)}` : ''}`, ''];
  let day = '';
  for (const m of messages) {
    const date = new Date(m.ts);
    const thisDay = date.toISOString().slice(0, 10);
    if (thisDay !== day) {
      day = thisDay;
      lines.push(`## ${thisDay}`, '');
    }
    const time = date.toISOString().slice(11, 16);
    const text = [escape(m.text), ...(m.file ? [fileLine(m.file)] : [])].filter(Boolean).join('\n').replaceAll('\n', '  \n  ');
    lines.push(m.kind === 'action' ? `- ${time} *${escape(m.from.name)} ${text}*` : `- ${time} **${escape(m.from.name)}:** ${text}`);
  }
  if (messages.length === 0) lines.push('_No messages._');
  return `${lines.join('\n')}\n`;
}

/** "📎 beach.png (2.4 MB, sha256: 5f…)": the bytes are on the host, the hash says which they were. */
function fileLine(file: FileRef): string {
  const name = escape(file.name.replace(/\s+/g, ' '));
  return `📎 ${name} (${formatBytes(file.size)}, sha256: ${file.id}${file.deleted ? ', deleted from the host' : ''})`;
}

/** Markdown is markup: what people typed must stay text. */
function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, (c) => `\\${c}`);
}

export function exportFilename(room: string, format: 'json' | 'markdown', now = new Date()): string {
  const base = room.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 40) || 'room';
  return `${base}-${now.toISOString().slice(0, 10)}.${format === 'json' ? 'json' : 'md'}`;
}
