// Files as the room sees them: a `share` turned into a message, who may fetch which file
// (FileAccess), deleting a file, clearing the history with its files. The files service is
// a small stand-in that keeps RoomFiles' promises (the real one, over HTTP, is tested in
// main/host/files/); the room, its store and its frames are real.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { randomId } from '../../../common/ids.ts';
import { PROTOCOL_VERSION, WelcomeFrame, type FileRef, type FilesOffer } from '../../../common/protocol.ts';
import { FakePeer } from '../../../test/support/fake-peer.ts';
import type { FilesUsage, RoomFiles, StoredFile } from '../files/contract.ts';
import { MemoryHistoryStore } from '../store/index.ts';
import { TOKEN_GRACE_MS } from './files.ts';
import { Room, type Session } from './index.ts';

let clock = 7_000_000;

/** Finished uploads by id, each with its owner; stored files by id. Keeps RoomFiles' promises, no bytes. */
class StandInFiles implements RoomFiles {
  readonly maxFileBytes = 2 ** 31;
  readonly uploads = new Map<string, { owner: string; file: FileRef }>();
  readonly stored = new Map<string, StoredFile>();
  claims = 0;

  finished(owner: string, uploadId: string, file: FileRef): void {
    this.uploads.set(uploadId, { owner, file });
    this.stored.set(file.id, { id: file.id, size: file.size, storedAt: clock });
  }
  offerFor(userId: string): FilesOffer {
    return { token: `${userId}.up`, downloadToken: `${userId}.down`, maxFileBytes: this.maxFileBytes, uploadsAtOnce: 3 };
  }
  claim(userId: string, uploadId: string): FileRef | undefined {
    this.claims++;
    const upload = this.uploads.get(uploadId);
    return upload?.owner === userId && this.stored.has(upload.file.id) ? upload.file : undefined;
  }
  usage(): FilesUsage {
    const usedBytes = [...this.stored.values()].reduce((sum, f) => sum + f.size, 0);
    return { usedBytes, reservedBytes: 0, quotaBytes: 10 * 2 ** 30, maxFileBytes: this.maxFileBytes, files: this.stored.size };
  }
  list(): StoredFile[] {
    return [...this.stored.values()];
  }
  delete(fileId: string): boolean {
    return this.stored.delete(fileId);
  }
  close(): void {}
}

const photo: FileRef = { id: '1'.repeat(64), name: 'beach.png', size: 120_000, type: 'image/png', image: { width: 640, height: 480 } };
const notes: FileRef = { id: '2'.repeat(64), name: 'notes.txt', size: 900, type: 'text/plain' };

function newRoom({ takesFiles = true } = {}) {
  const store = new MemoryHistoryStore();
  const files = new StandInFiles();
  return { room: new Room({ name: 'Kitchen', store, files: takesFiles ? files : undefined, now: () => clock }), store, files };
}

function arrive(room: Room, name: string, address = '192.168.1.10', clientId = randomId(22)): { peer: FakePeer; session: Session; id: string } {
  const peer = new FakePeer(address);
  const session = room.open(peer);
  room.handle(session, { type: 'join', v: PROTOCOL_VERSION, name, clientId });
  return { peer, session, id: session.member!.id };
}

async function turns(count = 3): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('files in the room', () => {
  it('tells each member, in a valid welcome, their upload and download tokens and the host’s limits', () => {
    const { room } = newRoom();
    const ada = arrive(room, 'Ada');
    const welcome = ada.peer.last('welcome');
    expect(welcome?.files).toEqual({ token: `${ada.id}.up`, downloadToken: `${ada.id}.down`, maxFileBytes: 2 ** 31, uploadsAtOnce: 3 });
    expect(v.safeParse(WelcomeFrame, welcome).success).toBe(true);

    const plain = newRoom({ takesFiles: false });
    const bo = arrive(plain.room, 'Bo');
    expect(bo.peer.last('welcome')).not.toHaveProperty('files');
    expect(v.safeParse(WelcomeFrame, bo.peer.last('welcome')).success).toBe(true);
  });

  it('turns a finished upload into a message with its caption, acks it once and shows it to everyone', async () => {
    const { room, store, files } = newRoom();
    const ada = arrive(room, 'Ada');
    const bo = arrive(room, 'Bo');
    await turns();
    files.finished(ada.id, 'up-1', photo);
    room.handle(ada.session, { type: 'share', id: 'share-1', upload: 'up-1', text: 'the beach' });
    await turns();
    expect(ada.peer.last('ack')).toEqual({ type: 'ack', id: 'share-1', seq: 1 });
    for (const peer of [ada.peer, bo.peer]) expect(peer.last('message')?.message).toMatchObject({ seq: 1, text: 'the beach', file: photo, from: { name: 'Ada' } });
    room.handle(ada.session, { type: 'share', id: 'share-2', upload: 'up-1' });
    await turns();
    expect(store.get(2)).toMatchObject({ text: '', file: photo });

    // A retry (the same id, after a reconnect) is acked with its seq, not stored or claimed again.
    const claims = files.claims;
    room.handle(ada.session, { type: 'share', id: 'share-1', upload: 'up-1', text: 'the beach' });
    await turns();
    expect(ada.peer.all('ack').at(-1)).toEqual({ type: 'ack', id: 'share-1', seq: 1 });
    expect(store.lastSeq).toBe(2);
    expect(files.claims).toBe(claims);
  });

  it('refuses a share it cannot make, in a sentence: someone else’s upload, an unknown one, a room without files, before joining', async () => {
    const { room, files } = newRoom();
    const ada = arrive(room, 'Ada');
    const bo = arrive(room, 'Bo');
    files.finished(ada.id, 'ada-upload', photo);
    room.handle(bo.session, { type: 'share', id: 'steal', upload: 'ada-upload' });
    expect(bo.peer.last('error')).toEqual({
      type: 'error', code: 'no_such_upload', message: 'That upload is not finished, not yours, or expired. Send the file again.', ref: { type: 'share', id: 'steal' },
    });
    room.handle(ada.session, { type: 'share', id: 'nothing', upload: 'never-made' });
    expect(ada.peer.last('error')).toMatchObject({ code: 'no_such_upload', ref: { id: 'nothing' } });
    room.handle(ada.session, { type: 'share', id: 'to-nobody', upload: 'ada-upload', to: 'Zed' });
    expect(ada.peer.last('error')).toMatchObject({ code: 'no_such_member', message: 'nobody called "Zed" is here' });
    await turns();
    expect(room.history.lastSeq).toBe(0);

    const plain = newRoom({ takesFiles: false });
    const cy = arrive(plain.room, 'Cy');
    plain.room.handle(cy.session, { type: 'share', id: 's', upload: 'u' });
    expect(cy.peer.last('error')).toMatchObject({ code: 'no_such_upload', message: 'This room does not take files.' });

    const visitor = new FakePeer('192.168.1.99');
    room.handle(room.open(visitor), { type: 'share', id: 's', upload: 'ada-upload' });
    expect(visitor.last('error')).toMatchObject({ code: 'not_joined' });
  });

  it('keeps a file sent privately to its two people: only they get the message, and only they may fetch the file', async () => {
    const { room, files } = newRoom();
    const ada = arrive(room, 'Ada');
    const bo = arrive(room, 'Bo');
    const cy = arrive(room, 'Cy');
    await turns();
    files.finished(ada.id, 'up-private', notes);
    room.handle(ada.session, { type: 'share', id: 'p1', upload: 'up-private', to: 'bo' });
    files.finished(ada.id, 'up-public', photo);
    room.handle(ada.session, { type: 'share', id: 'p2', upload: 'up-public' });
    await turns();
    expect(bo.peer.last('message')?.message).toMatchObject({ seq: 2 });
    expect(bo.peer.all('message').map((f) => f.message.file?.name)).toEqual(['notes.txt', 'beach.png']);
    expect(cy.peer.all('message').map((f) => f.message.file?.name)).toEqual(['beach.png']);
    expect(room.fileIn(1, ada.id)).toEqual(notes);
    expect(room.fileIn(1, bo.id)).toEqual(notes);
    expect(room.fileIn(1, cy.id)).toBeUndefined();
    expect(room.fileIn(2, cy.id)).toEqual(photo);
    expect(room.fileIn(3, ada.id)).toBeUndefined(); // no such message
    room.handle(ada.session, { type: 'chat', id: 'c', text: 'plain words' });
    await turns();
    expect(room.fileIn(3, ada.id)).toBeUndefined(); // a message without a file
  });

  it('keeps a token good while its member is here or just left on their own, and ends it at a kick or a ban', () => {
    const { room } = newRoom();
    const ada = arrive(room, 'Ada', '192.168.1.10');
    const bo = arrive(room, 'Bo', '192.168.1.11');
    const cy = arrive(room, 'Cy', '192.168.1.12');
    const di = arrive(room, 'Di', '192.168.1.13');
    expect(room.tokenHolderPresent(ada.id)).toBe(true);
    expect(room.tokenHolderPresent('nobody-here')).toBe(false);

    room.close(ada.session, 'left');
    room.close(di.session, 'timeout');
    clock += TOKEN_GRACE_MS - 1000;
    expect(room.tokenHolderPresent(ada.id)).toBe(true); // a reconnect keeps its download links
    expect(room.tokenHolderPresent(di.id)).toBe(true);
    clock += 1000;
    expect(room.tokenHolderPresent(ada.id)).toBe(false);

    expect(room.moderate({ action: 'kick', target: 'Bo' }).ok).toBe(true);
    expect(room.moderate({ action: 'ban', target: 'Cy' }).ok).toBe(true);
    expect(room.tokenHolderPresent(bo.id)).toBe(false);
    expect(room.tokenHolderPresent(cy.id)).toBe(false);

    // Left on their own, then their address banned: the token ends too.
    const ed = arrive(room, 'Ed', '192.168.1.14');
    room.close(ed.session, 'left');
    expect(room.tokenHolderPresent(ed.id)).toBe(true);
    room.moderate({ action: 'ban', target: '192.168.1.14' });
    expect(room.tokenHolderPresent(ed.id)).toBe(false);
  });

  it('deletes a file: gone from the host, its messages say so, everyone is told and the log says who', async () => {
    const { room, files, store } = newRoom();
    const ada = arrive(room, 'Ada');
    const bo = arrive(room, 'Bo');
    await turns();
    files.finished(ada.id, 'up', photo);
    room.handle(ada.session, { type: 'share', id: 's1', upload: 'up', text: 'look' });
    room.handle(ada.session, { type: 'share', id: 's2', upload: 'up' });
    // Deleting before the group commit: the messages waiting for it are marked all the same.
    expect(room.deleteFile(photo.id)).toEqual({ ok: true, detail: 'deleted the file "beach.png" (2 messages keep a note)' });
    expect(files.stored.has(photo.id)).toBe(false);
    for (const peer of [ada.peer, bo.peer]) expect(peer.last('file_deleted')).toEqual({ type: 'file_deleted', file: photo.id });
    expect(store.get(1)).toMatchObject({ text: 'look', file: { ...photo, deleted: true } });
    expect(room.fileIn(1, bo.id)).toBeUndefined();
    expect(room.stats.activity().at(-1)).toMatchObject({ kind: 'file', text: 'Deleted the file "beach.png" (2 messages keep a note)' });
    expect(room.deleteFile('9'.repeat(64))).toEqual({ ok: false, error: 'That file is not on this host.' });
  });

  it('tells only its two people when a privately sent file is deleted', async () => {
    const { room, files } = newRoom();
    const ada = arrive(room, 'Ada');
    const bo = arrive(room, 'Bo');
    const cy = arrive(room, 'Cy');
    await turns();
    files.finished(ada.id, 'up', notes);
    room.handle(ada.session, { type: 'share', id: 's', upload: 'up', to: 'Bo' });
    await turns();
    expect(room.deleteFile(notes.id).ok).toBe(true);
    expect(ada.peer.last('file_deleted')).toBeDefined();
    expect(bo.peer.last('file_deleted')).toBeDefined();
    expect(cy.peer.last('file_deleted')).toBeUndefined();
  });

  it('clears the history with its files when asked, and keeps them otherwise', async () => {
    const { room, files } = newRoom();
    const ada = arrive(room, 'Ada');
    await turns();
    files.finished(ada.id, 'u1', photo);
    files.finished(ada.id, 'u2', notes);
    room.handle(ada.session, { type: 'share', id: 's1', upload: 'u1' });
    expect(room.moderate({ action: 'clear_history' })).toEqual({ ok: true, detail: 'history cleared' });
    expect(files.stored.size).toBe(2);

    room.handle(ada.session, { type: 'share', id: 's2', upload: 'u2' });
    await turns();
    expect(room.moderate({ action: 'clear_history', deleteFiles: true })).toEqual({ ok: true, detail: 'history cleared, and 1 file deleted' });
    // The photo's messages went with the first clear: it stays, listed, for the host to delete by hand.
    expect([...files.stored.keys()]).toEqual([photo.id]);
    expect(ada.peer.last('cleared')).toBeDefined();
    expect(room.stats.activity().at(-1)).toMatchObject({ kind: 'clear', text: 'History cleared, and 1 file deleted' });
  });

  it('acks a retried private share that was stored, even after its recipient left', async () => {
    const { room, files } = newRoom();
    const ada = arrive(room, 'Ada');
    const bo = arrive(room, 'Bo');
    await turns();
    files.finished(ada.id, 'up', notes);
    room.handle(ada.session, { type: 'share', id: 'p1', upload: 'up', to: 'Bo' });
    await turns();
    const first = ada.peer.last('ack');
    expect(first).toEqual({ type: 'ack', id: 'p1', seq: 1 });
    room.close(bo.session, 'left');
    // The ack was lost with Ada's connection: her retry gets it again, not "nobody called Bo".
    room.handle(ada.session, { type: 'share', id: 'p1', upload: 'up', to: 'Bo' });
    await turns();
    expect(ada.peer.all('ack')).toEqual([first, first]);
    expect(ada.peer.last('error')).toBeUndefined();
  });

  it('still clears, and still marks the messages, when the disk will not let a file go', async () => {
    const { room, files, store } = newRoom();
    const ada = arrive(room, 'Ada');
    await turns();
    files.finished(ada.id, 'u1', photo);
    room.handle(ada.session, { type: 'share', id: 's1', upload: 'u1' });
    await turns();
    files.delete = () => {
      throw new Error('EIO: i/o error, unlink');
    };
    const deleted = room.deleteFile(photo.id);
    expect(deleted).toMatchObject({ ok: false, error: expect.stringContaining('its bytes could not be removed: EIO') });
    expect(store.get(1)?.file?.deleted).toBe(true);
    expect(ada.peer.last('file_deleted')).toEqual({ type: 'file_deleted', file: photo.id });

    files.finished(ada.id, 'u2', notes);
    room.handle(ada.session, { type: 'share', id: 's2', upload: 'u2' });
    await turns();
    expect(room.moderate({ action: 'clear_history', deleteFiles: true })).toEqual({
      ok: true,
      detail: "history cleared, and 0 files deleted (2 could not be deleted: see the dashboard's files)",
    });
    expect(store.count()).toBe(0);
  });
});
