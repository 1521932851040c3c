// History in memory (tests, benchmarks, `hearth host --store memory`): the same contract as
// the SQLite store, and it never throws.
import type { ChatMessage } from '../../../common/protocol.ts';
import { deletedFile, filesOf, fillPage, newHistoryId, toChatMessage, visibleTo, type FileInHistory, type HistoryPage, type HistoryStore, type NewMessage } from './history.ts';

export class MemoryHistoryStore implements HistoryStore {
  #messages: ChatMessage[] = [];
  /** Who sent each message, index for index with #messages. */
  #senders: string[] = [];
  #lastSeq = 0;
  #clearedThrough = 0;
  readonly historyId = newHistoryId();

  get lastSeq(): number {
    return this.#lastSeq;
  }
  get clearedThrough(): number {
    return this.#clearedThrough;
  }

  append(batch: readonly NewMessage[]): ChatMessage[] {
    return batch.map((m) => {
      const message = toChatMessage(++this.#lastSeq, m);
      this.#messages.push(message);
      this.#senders.push(m.clientId);
      return message;
    });
  }
  sentAfter(clientId: string, seq: number): Map<string, number> {
    const sent = new Map<string, number>();
    for (let i = lowerBound(this.#messages, seq + 1); i < this.#messages.length; i++) {
      const m = this.#messages[i]!;
      if (this.#senders[i] === clientId) sent.set(m.id, m.seq);
    }
    return sent;
  }
  after(seq: number, limit: number, viewer: string): ChatMessage[] {
    const start = lowerBound(this.#messages, seq + 1);
    const out: ChatMessage[] = [];
    for (let i = start; i < this.#messages.length && out.length < limit; i++) {
      const m = this.#messages[i]!;
      if (visibleTo(m, viewer)) out.push(m);
    }
    return out;
  }
  pageAfter(seq: number, viewer: string, maxCount: number, maxBytes: number): HistoryPage {
    const messages = this.#messages;
    function* rows(): Generator<ChatMessage> {
      for (let i = lowerBound(messages, seq + 1); i < messages.length; i++) if (visibleTo(messages[i]!, viewer)) yield messages[i]!;
    }
    return fillPage(rows(), maxCount, maxBytes);
  }
  pageBefore(seq: number, viewer: string, maxCount: number, maxBytes: number): HistoryPage {
    const messages = this.#messages;
    function* rows(): Generator<ChatMessage> {
      for (let i = lowerBound(messages, seq) - 1; i >= 0; i--) if (visibleTo(messages[i]!, viewer)) yield messages[i]!;
    }
    const page = fillPage(rows(), maxCount, maxBytes);
    page.messages.reverse();
    return page;
  }
  latestStart(count: number, viewer: string): number {
    let start = this.#lastSeq + 1;
    let found = 0;
    for (let i = this.#messages.length - 1; i >= 0 && found < count; i--) {
      const m = this.#messages[i]!;
      if (visibleTo(m, viewer)) {
        start = m.seq;
        found++;
      }
    }
    return start;
  }
  count(): number {
    return this.#messages.length;
  }
  get(seq: number): ChatMessage | undefined {
    const message = this.#messages[lowerBound(this.#messages, seq)];
    return message?.seq === seq ? message : undefined;
  }
  markFileDeleted(fileId: string): ChatMessage[] {
    const changed: ChatMessage[] = [];
    for (let i = 0; i < this.#messages.length; i++) {
      const message = this.#messages[i]!;
      if (message.file?.id !== fileId || message.file.deleted) continue;
      // A new object: messages already handed out (to a feed, an export) stay as they were sent.
      const marked = { ...message, file: deletedFile(message.file) };
      this.#messages[i] = marked;
      changed.push(marked);
    }
    return changed;
  }
  files(): FileInHistory[] {
    const messages = this.#messages;
    function* newestFirst(): Generator<ChatMessage> {
      for (let i = messages.length - 1; i >= 0; i--) yield messages[i]!;
    }
    return filesOf(newestFirst());
  }
  clear(): void {
    this.#messages = [];
    this.#senders = [];
    this.#clearedThrough = this.#lastSeq;
  }
  close(): void {}
}

function lowerBound(messages: readonly ChatMessage[], seq: number): number {
  let lo = 0;
  let hi = messages.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (messages[mid]!.seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
