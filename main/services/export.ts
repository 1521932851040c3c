// The room's history as a file: JSON for machines, Markdown for people. Public messages
// only: private messages belong to their two people, not to the host's archive.
import type { ChatMessage } from '../../common/protocol.ts';

export function historyAsJson(room: string, topic: string, messages: ChatMessage[], now = new Date()): string {
  return `${JSON.stringify(
    {
      room,
      topic,
      exportedAt: now.toISOString(),
      messages: messages.map((m) => ({ seq: m.seq, time: new Date(m.ts).toISOString(), from: m.from.name, kind: m.kind, text: m.text })),
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
    const text = escape(m.text).replaceAll('\n', '  \n  ');
    lines.push(m.kind === 'action' ? `- ${time} *${escape(m.from.name)} ${text}*` : `- ${time} **${escape(m.from.name)}:** ${text}`);
  }
  if (messages.length === 0) lines.push('_No messages._');
  return `${lines.join('\n')}\n`;
}

/** Markdown is markup: what people typed must stay text. */
function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, (c) => `\\${c}`);
}

export function exportFilename(room: string, format: 'json' | 'markdown', now = new Date()): string {
  const base = room.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 40) || 'room';
  return `${base}-${now.toISOString().slice(0, 10)}.${format === 'json' ? 'json' : 'md'}`;
}
