import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { tempDirsPerTest } from '../../test/support/host.ts';
import { HISTORY_FILE, HISTORY_MARKER, HistoryLostError, openHistory } from './history-file.ts';
import { SqliteHistoryStore, type NewMessage } from './store/index.ts';

const dir = tempDirsPerTest();

function msg(id: string): NewMessage {
  return { id, clientId: 'client-alice-0001', from: { id: 'alice', name: 'Alice' }, text: `text ${id}`, ts: 1_700_000_000_000, kind: 'text' };
}

function marker(path: string): { historyId: string; createdAt: string } {
  return JSON.parse(readFileSync(join(path, HISTORY_MARKER), 'utf8')) as { historyId: string; createdAt: string };
}

/** A folder whose history holds seqs 1–50, closed. */
function folderWithHistory(): { path: string; file: string; historyId: string } {
  const path = dir();
  const { store } = openHistory(path);
  for (let i = 0; i < 5; i++) store.append(Array.from({ length: 10 }, (_, j) => msg(`m${i * 10 + j}`)));
  const historyId = store.historyId;
  store.close();
  return { path, file: join(path, HISTORY_FILE), historyId };
}

function refusal(path: string): HistoryLostError {
  try {
    openHistory(path).store.close();
  } catch (error) {
    expect(error).toBeInstanceOf(HistoryLostError);
    return error as HistoryLostError;
  }
  throw new Error('the history opened');
}

const remedy = 'Restore the file from a backup, or start a new history on purpose with `hearth host --new-history`.';

describe('openHistory', () => {
  it('creates a history with a marker naming it, and opens the same one again', () => {
    const path = dir();
    const first = openHistory(path, { now: () => new Date('2025-03-04T05:06:07.890Z') });
    expect(first.movedAside).toEqual([]);
    const id = first.store.historyId;
    expect(marker(path)).toMatchObject({ historyId: id, createdAt: '2025-03-04T05:06:07.890Z' });
    first.store.append([msg('a'), msg('b')]);
    first.store.close();

    const again = openHistory(path).store;
    expect(again.historyId).toBe(id);
    expect(again.append([msg('c')])[0]!.seq).toBe(3);
    again.close();
    expect(marker(path).createdAt).toBe('2025-03-04T05:06:07.890Z'); // not rewritten
    expect(readdirSync(path).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('opens a folder from before markers as it is, and gives it a marker', () => {
    const path = dir();
    const old = SqliteHistoryStore.inDirectory(path);
    old.append([msg('a'), msg('b')]);
    const id = old.historyId;
    old.close();
    expect(existsSync(join(path, HISTORY_MARKER))).toBe(false);

    const store = openHistory(path).store;
    expect(store.historyId).toBe(id);
    expect(store.lastSeq).toBe(2);
    store.close();
    expect(marker(path).historyId).toBe(id);
  });

  it('opens a schema 2 history restored into a folder with a marker under a new id (clients start over)', () => {
    const { path, file, historyId } = folderWithHistory();
    rmSync(file);
    const v2 = new DatabaseSync(file);
    v2.exec(`
      CREATE TABLE messages (seq INTEGER PRIMARY KEY, client_id TEXT NOT NULL, msg_id TEXT NOT NULL, from_id TEXT NOT NULL,
        from_name TEXT NOT NULL, to_id TEXT, to_name TEXT, text TEXT NOT NULL, ts INTEGER NOT NULL, kind TEXT NOT NULL);
      CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
      INSERT INTO meta VALUES ('last_seq', 40);
      PRAGMA user_version = 2;
    `);
    v2.close();
    const store = openHistory(path).store;
    expect(store.historyId).not.toBe(historyId);
    expect(store.lastSeq).toBe(40);
    store.close();
    expect(marker(path).historyId).toBe(store.historyId);
  });

  describe('refuses a history that is gone, with a sentence naming the file', () => {
    it('when the file was deleted', () => {
      const { path, file, historyId } = folderWithHistory();
      rmSync(file);
      expect(refusal(path).message).toBe(
        `The history in ${file} is gone (the file is missing), but this folder had a room history (id ${historyId}). ${remedy}`,
      );
      expect(existsSync(file)).toBe(false); // nothing made in its place
    });

    it('when the file is empty', () => {
      const { path, file, historyId } = folderWithHistory();
      writeFileSync(file, '');
      const error = refusal(path);
      expect(error.file).toBe(file);
      expect(error.message).toBe(`The history in ${file} is gone (the file is empty), but this folder had a room history (id ${historyId}). ${remedy}`);
      expect(statSync(file).size).toBe(0);
    });

    it('when the file is empty in a folder from before markers', () => {
      const path = dir();
      writeFileSync(join(path, HISTORY_FILE), '');
      expect(refusal(path).message).toBe(`The history in ${join(path, HISTORY_FILE)} is gone (the file is empty), but this folder had a room history. ${remedy}`);
    });

    it('when only the write-ahead log is left, marker or not', () => {
      const { path, file, historyId } = folderWithHistory();
      rmSync(file);
      writeFileSync(`${file}-wal`, 'the last pages');
      expect(refusal(path).message).toBe(
        `The history in ${file} is gone (the file is missing, and only its write-ahead log history.sqlite-wal is left), but this folder had a room history (id ${historyId}). ${remedy}`,
      );
      rmSync(join(path, HISTORY_MARKER));
      expect(refusal(path).message).toMatch(/is gone \(the file is missing, and only its write-ahead log .*\), but this folder had a room history\. Restore/);
      expect(existsSync(file)).toBe(false);
      expect(readFileSync(`${file}-wal`, 'utf8')).toBe('the last pages');
    });

    it('when the file holds no history', () => {
      const { path, file, historyId } = folderWithHistory();
      rmSync(file);
      const other = new DatabaseSync(file);
      other.exec('CREATE TABLE notes (text TEXT)');
      other.close();
      expect(refusal(path).message).toBe(
        `The history in ${file} is gone (the file has no history in it), but this folder had a room history (id ${historyId}). ${remedy}`,
      );
    });

    it("when the file is another folder's history", () => {
      const { path, file, historyId } = folderWithHistory();
      const elsewhere = folderWithHistory();
      rmSync(file);
      writeFileSync(file, readFileSync(elsewhere.file));
      expect(refusal(path).message).toBe(
        `The history in ${file} is gone (the file there holds another history, id ${elsewhere.historyId}), but this folder had a room history (id ${historyId}). ${remedy}`,
      );
    });

    it('when the file is not a database any more', () => {
      const { path, file } = folderWithHistory();
      writeFileSync(file, 'scribbled over '.repeat(1000));
      expect(refusal(path).message).toBe(`The history in ${file} is damaged (file is not a database). ${remedy}`);
    });

    it('when the marker itself is unreadable and the file is gone', () => {
      const { path, file } = folderWithHistory();
      writeFileSync(join(path, HISTORY_MARKER), '{"historyId": ');
      rmSync(file);
      expect(refusal(path).message).toBe(`The history in ${file} is gone (the file is missing), but this folder had a room history. ${remedy}`);
    });
  });

  describe('starts over on purpose', () => {
    const when = new Date('2025-03-04T05:06:07.890Z');

    it('moves every old file aside, never deleting, and starts a new history from seq 1', () => {
      const { path, file, historyId } = folderWithHistory();
      writeFileSync(file, '');
      writeFileSync(`${file}-wal`, 'the last pages');
      const oldMarker = readFileSync(join(path, HISTORY_MARKER), 'utf8');

      const { store, movedAside } = openHistory(path, { newHistory: true, now: () => when });
      expect(movedAside).toEqual([
        `${file}.broken-20250304T050607Z`,
        `${file}-wal.broken-20250304T050607Z`,
        join(path, `${HISTORY_MARKER}.broken-20250304T050607Z`),
      ]);
      expect(readFileSync(`${file}-wal.broken-20250304T050607Z`, 'utf8')).toBe('the last pages');
      expect(readFileSync(join(path, `${HISTORY_MARKER}.broken-20250304T050607Z`), 'utf8')).toBe(oldMarker);
      expect(store.historyId).not.toBe(historyId);
      expect(store.lastSeq).toBe(0);
      expect(store.append([msg('fresh')])[0]!.seq).toBe(1);
      store.close();
      expect(marker(path).historyId).toBe(store.historyId);

      // The new history is this folder's history from now on.
      const again = openHistory(path).store;
      expect(again.historyId).toBe(store.historyId);
      expect(again.lastSeq).toBe(1);
      again.close();
    });

    it('moves a healthy history aside too, and never renames over an earlier start-over', () => {
      const { path, file } = folderWithHistory();
      const first = openHistory(path, { newHistory: true, now: () => when });
      expect(first.movedAside).toContain(`${file}.broken-20250304T050607Z`);
      first.store.close();
      const second = openHistory(path, { newHistory: true, now: () => when });
      expect(second.movedAside).toContain(`${file}.broken-20250304T050607Z-2`);
      second.store.close();

      // The first history, intact under its new name.
      const kept = new SqliteHistoryStore(`${file}.broken-20250304T050607Z`);
      expect(kept.lastSeq).toBe(50);
      kept.close();
    });

    it('starts a history in an empty folder without moving anything', () => {
      const path = dir();
      const { store, movedAside } = openHistory(path, { newHistory: true });
      expect(movedAside).toEqual([]);
      expect(marker(path).historyId).toBe(store.historyId);
      store.close();
    });
  });
});
