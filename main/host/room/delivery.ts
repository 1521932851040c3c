// Messages: group commit. Everything that arrives in one event-loop turn is stored in one
// transaction, then acknowledged and broadcast. Nothing is acked before it is on disk.
import type { Author, ChatMessage, FileRef } from '../../../common/protocol.ts';
import { encodeFrame } from '../frame.ts';
import type { NewMessage } from '../store/index.ts';
import type { RoomParts } from './parts.ts';
import { author, send, sendError, type Session } from './session.ts';

interface PendingMessage {
  message: NewMessage;
  /** The sender's user id: the ack goes to whichever connection it has when the batch commits. */
  senderId: string;
}

export interface DeliveryContext extends RoomParts {
  /** A message was accepted: its sender is no longer typing. */
  sent(session: Session): void;
  stored(message: ChatMessage): void;
}

export class Delivery {
  readonly #context: DeliveryContext;
  #pending: PendingMessage[] = [];
  #pendingIds = new Map<string, PendingMessage>();
  #flushScheduled = false;

  constructor(context: DeliveryContext) {
    this.#context = context;
  }

  /**
   * A message id this member sent before (RoomClient retries after a resume): acked again if
   * stored, or left to the original's ack if it waits for the commit. True when it was one.
   */
  acknowledgeRetry(session: Session, id: string): boolean {
    const stored = session.sent.get(id);
    if (stored !== undefined) {
      send(session, { type: 'ack', id, seq: stored });
      return true;
    }
    return this.#pendingIds.has(`${session.member!.clientId}\n${id}`);
  }

  submit(session: Session, id: string, text: string, kind: 'text' | 'action', to: Author | undefined, file?: FileRef): void {
    if (this.acknowledgeRetry(session, id)) return;
    const member = session.member!;
    const retryKey = `${member.clientId}\n${id}`;
    const message: PendingMessage['message'] = { id, clientId: member.clientId, from: author(member), to, text, ts: this.#context.now(), kind };
    if (file) message.file = file;
    const pending: PendingMessage = { senderId: member.id, message };
    this.#pending.push(pending);
    this.#pendingIds.set(retryKey, pending);
    this.#context.sent(session);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Commit what is pending, then ack and broadcast it. */
  flush(): void {
    this.#flushScheduled = false;
    const batch = this.#pending;
    if (batch.length === 0) return;
    this.#pending = [];
    this.#pendingIds = new Map();
    const { store, members, stats, health } = this.#context;
    let stored: ChatMessage[];
    try {
      stored = store.append(batch.map((p) => p.message));
    } catch (error) {
      const reason = health.failed(error);
      for (const p of batch) {
        const sender = members.get(p.senderId);
        if (sender) {
          sendError(sender, 'store_unavailable', `not sent: the host cannot save messages (${reason})`, {
            type: p.message.file ? 'share' : p.message.to ? 'private' : 'chat',
            id: p.message.id,
          });
        }
      }
      return;
    }
    health.works();
    stats.messagesTotal += stored.length;
    for (let i = 0; i < stored.length; i++) {
      const message = stored[i]!;
      const sender = members.get(batch[i]!.senderId);
      if (sender) {
        sender.messagesSent++;
        sender.rememberSent(message.id, message.seq);
      }
      const frame = encodeFrame({ type: 'message', message });
      if (sender) sender.peer.send(encodeFrame({ type: 'ack', id: message.id, seq: message.seq }));
      // Members still catching up get it from their feed, in order, after what they missed.
      if (message.to) {
        if (sender?.live) sender.peer.send(frame);
        const recipient = members.get(message.to.id);
        if (recipient?.live) recipient.peer.send(frame);
      } else {
        for (const s of members.values()) if (s.live) s.peer.send(frame);
      }
      this.#context.stored(message);
    }
  }
}
