// What a room's history is, whatever keeps it: the HistoryStore interface, and the page
// and message helpers both stores share.
import { randomId } from '../../../common/ids.ts';
import type { Author, ChatMessage, FileRef } from '../../../common/protocol.ts';

/** A message on its way into the store; the store assigns `seq`. */
export interface NewMessage {
  id: string;
  /** The sender's private client id: (clientId, id) makes a retry safe. */
  clientId: string;
  from: Author;
  to?: Author | undefined;
  text: string;
  ts: number;
  kind: 'text' | 'action';
  /** A shared file; `text` is then its caption. */
  file?: FileRef | undefined;
}

/** A file as the history knows it: from the newest message that carries it. */
export interface FileInHistory {
  /** The FileRef of that message (its name is the newest one the file was shared under). */
  file: FileRef;
  seq: number;
  from: Author;
  ts: number;
  /** How many messages carry it. */
  messages: number;
}

/**
 * A room's history. Any method may throw StoreError (the SQLite store, when its disk is
 * full, read-only or damaged); the in-memory store never throws.
 */
export interface HistoryStore {
  /**
   * Which history this is: random, made when the history is created, kept across clear()
   * (seqs go on). A client that sees another id knows its seqs mean nothing here.
   */
  readonly historyId: string;
  /** Highest seq ever assigned (survives clear: seqs are never reused). */
  readonly lastSeq: number;
  /** Seq below which history was cleared; a resume from before it must start over. */
  readonly clearedThrough: number;
  /** Store a batch atomically (one transaction) and return it with seqs assigned. */
  append(batch: readonly NewMessage[]): ChatMessage[];
  /**
   * The messages one client sent after `seq`: message id → seq. A client that resumes from
   * `seq` may retry any of them (it never saw their ack); the room acks those again instead
   * of storing them twice.
   */
  sentAfter(clientId: string, seq: number): Map<string, number>;
  /** Messages after `seq` that `viewer` may see, oldest first, at most `limit`. */
  after(seq: number, limit: number, viewer: string): ChatMessage[];
  /**
   * A page of what `viewer` may see after `seq`, oldest first: at most `maxCount`
   * messages, and no more once their size passes `maxBytes` (a page holds at least one).
   * Reads only as far as the page goes, however long the history.
   */
  pageAfter(seq: number, viewer: string, maxCount: number, maxBytes: number): HistoryPage;
  /** The same, going back from before `seq` (the newest ones first read), returned oldest first. */
  pageBefore(seq: number, viewer: string, maxCount: number, maxBytes: number): HistoryPage;
  /** The seq the newest `count` messages `viewer` may see start at; lastSeq + 1 when there are none. */
  latestStart(count: number, viewer: string): number;
  /** How many messages are stored. */
  count(): number;
  /** The message `seq`, whoever may see it; undefined if there is none (never stored, or cleared). */
  get(seq: number): ChatMessage | undefined;
  /**
   * Every message carrying this file now says it was deleted (`file.deleted`); they stay.
   * Returns the messages changed, as they now are (none: no message carries it, or all
   * were marked already).
   */
  markFileDeleted(fileId: string): ChatMessage[];
  /** Every file messages carry (deleted ones too), by file id, newest message first. */
  files(): FileInHistory[];
  clear(): void;
  close(): void;
}

/** A page of history; `more` says whether anything lies beyond it in the direction read. */
export interface HistoryPage {
  messages: ChatMessage[];
  more: boolean;
}

/**
 * What a message weighs in a page: its text in UTF-8 and room for the rest of its JSON.
 * The text is what varies (one to 16,000 bytes); the rest is under 200, but for a file's
 * FileRef, counted as its JSON (its name is the long part).
 */
export function messageBytes(message: ChatMessage): number {
  return Buffer.byteLength(message.text) + 200 + (message.file ? Buffer.byteLength(JSON.stringify(message.file)) : 0);
}

/**
 * Fill a page from `rows` (in reading order) until `maxCount` or `maxBytes`. The row after
 * a full page is only looked at, to say whether there is more: if it cannot be read (a
 * damaged file), there is more all the same, and the page is still good.
 */
export function fillPage(rows: Iterable<ChatMessage>, maxCount: number, maxBytes: number): HistoryPage {
  const messages: ChatMessage[] = [];
  let bytes = 0;
  try {
    for (const message of rows) {
      const size = messageBytes(message);
      if (messages.length >= maxCount || (messages.length > 0 && bytes + size > maxBytes)) return { messages, more: true };
      messages.push(message);
      bytes += size;
    }
  } catch (error) {
    if (messages.length >= maxCount) return { messages, more: true };
    throw error;
  }
  return { messages, more: false };
}

/** A private message is visible to its two people only. */
export function visibleTo(message: ChatMessage, viewer: string): boolean {
  return message.to === undefined || message.to.id === viewer || message.from.id === viewer;
}

export function toChatMessage(seq: number, m: NewMessage): ChatMessage {
  const message: ChatMessage = { seq, id: m.id, from: m.from, text: m.text, ts: m.ts, kind: m.kind };
  if (m.to) message.to = m.to;
  if (m.file) message.file = m.file;
  return message;
}

/** The same file, marked deleted (the message that carried it stays). */
export function deletedFile(file: FileRef): FileRef {
  return { ...file, deleted: true };
}

/** Files in the history from messages read newest first: the first message seen names each file. */
export function filesOf(newestFirst: Iterable<ChatMessage>): FileInHistory[] {
  const byId = new Map<string, FileInHistory>();
  for (const message of newestFirst) {
    if (!message.file) continue;
    const known = byId.get(message.file.id);
    if (known) known.messages++;
    else byId.set(message.file.id, { file: message.file, seq: message.seq, from: message.from, ts: message.ts, messages: 1 });
  }
  return [...byId.values()];
}

/** What a history id looks like (base64url, as newHistoryId makes them). */
export const HISTORY_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** 22 characters of base64url: [A-Za-z0-9_-] only. */
export function newHistoryId(): string {
  return randomId(22);
}

