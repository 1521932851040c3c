// Files in `hearth join`: the numbers file messages are shown with (1, 2, 3 in the order they
// appear, so `/get 3` is what the person sees), `/send PATH [CAPTION]` and `/get N [DIR]`,
// and the transfers in progress, several at once while the prompt stays usable. What a
// transfer does on the wire is in file-transfer.ts and file-download.ts.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import type { Agent } from 'node:http';
import { homedir } from 'node:os';
import { basename, resolve } from 'node:path';
import type { RoomClient } from '../../common/client.ts';
import { downloadPath, formatBytes } from '../../common/files.ts';
import { textProblem, type ChatMessage, type FileRef, type FilesOffer } from '../../common/protocol.ts';
import { downloadFile } from './file-download.ts';
import { tooLargeWords } from './file-http.ts';
import { freeTarget, PARTIAL_SUFFIX, safeLocalName } from './file-names.ts';
import { hashFile, mediaTypeFor, NoTokenError, uploadFile } from './file-transfer.ts';
import { formatDuration, TransferProgress, type TransferPhase } from './progress-bar.ts';
import { fileLabel, fileName, sanitizeForTerminal, type Formatter } from './terminal-format.ts';

export const NO_FILES_WORDS = 'This room does not take files.';
/** A transfer waits this long for the room to come back before giving up on it. */
const ROOM_AWAY_MS = 60_000;
/** Leaving waits at most this long for unfinished uploads to be removed from the host. */
const STOP_WAIT_MS = 2000;
/** A terminal's progress line is redrawn at most this often. */
const REDRAW_MS = 200;

export interface FileSessionOptions {
  client: RoomClient;
  /** The room's http(s) base, like `https://192.168.1.7:47800/`. */
  base: string;
  agent: Agent;
  fmt: Formatter;
  /** A terminal: progress is one redrawn line; otherwise a logged line every 10 %. */
  interactive: boolean;
  print(line: string): void;
  /** On a terminal: what the prompt shows of the transfers in progress ('' when none). */
  showProgress(text: string): void;
  /** A share went into the outbox: counted and waited for like a message. */
  queued(id: string): void;
  /** A /send or /get ended; `ok` false when it failed (said above, in a sentence). */
  settled(ok: boolean): void;
}

interface Active {
  kind: 'upload' | 'download';
  number?: number;
  target?: string;
  progress: TransferProgress;
  stop(): Promise<void>;
}

interface Shown {
  seq: number;
  file: FileRef;
  /** The room's history started again since: this seq now names something else. */
  gone: boolean;
}

export class FileSession {
  #o: FileSessionOptions;
  #offer: FilesOffer | undefined;
  #welcomed = false;
  #waiting: Array<{ resolve(): void; reject(error: Error): void }> = [];
  #shown: Shown[] = [];
  #numberBySeq = new Map<number, number>();
  #active = new Set<Active>();
  /** /send and /get commands not finished: checking the path, hashing, moving bytes, placing the file. */
  #busy = 0;
  #uploading = 0;
  #uploadSlotFreed: Array<() => void> = [];
  #lastDraw = 0;

  constructor(options: FileSessionOptions) {
    this.#o = options;
    options.client.on('welcome', (w) => {
      this.#offer = w.files;
      this.#welcomed = true;
      for (const waiter of this.#waiting.splice(0)) waiter.resolve();
    });
    options.client.on('file_deleted', (id) => {
      this.#shown.forEach((s, i) => {
        if (s.file.id !== id || s.file.deleted) return;
        s.file = { ...s.file, deleted: true };
        options.print(options.fmt.system(`#${i + 1} ${fileName(s.file)} was deleted by the host.`));
      });
    });
    options.client.on('state', (state) => {
      if (state.status !== 'closed') return;
      for (const waiter of this.#waiting.splice(0)) waiter.reject(new NoTokenError('You left the room.'));
    });
  }

  /** /send and /get commands in progress (from the moment they are typed). */
  get active(): number {
    return this.#busy;
  }

  /** The number `/get` knows a message's file by (undefined for a message without one). */
  numberFor(m: ChatMessage): number | undefined {
    if (!m.file) return undefined;
    const known = this.#numberBySeq.get(m.seq);
    if (known !== undefined) {
      this.#shown[known - 1]!.file = m.file;
      return known;
    }
    this.#shown.push({ seq: m.seq, file: m.file, gone: false });
    this.#numberBySeq.set(m.seq, this.#shown.length);
    return this.#shown.length;
  }

  /** The room's history started again: the numbers shown so far name files it no longer has. */
  historyReset(): void {
    for (const s of this.#shown) s.gone = true;
    this.#numberBySeq.clear();
  }

  send(path: string, caption: string | undefined): void {
    this.#run(this.#send(path, caption), 'Not sent');
  }

  get(number: number, dir: string | undefined): void {
    this.#run(this.#get(number, dir), 'Not saved');
  }

  /** Counted from the moment it is typed, so input that ends meanwhile waits for it. */
  #run(command: Promise<boolean>, failed: string): void {
    this.#busy++;
    void command
      .catch((error: unknown) => {
        this.#o.print(this.#o.fmt.error(`${failed}: ${(error as Error).message}`));
        return false;
      })
      .then((ok) => {
        this.#busy--;
        this.#o.settled(ok);
      });
  }

  /** Leaving: stop every transfer, and say, one sentence each, what was not finished. */
  async stopAll(): Promise<string[]> {
    const words = [...this.#active].map((t) =>
      t.kind === 'upload' ? `The upload of ${t.progress.name} was not finished; it was not shared.` : `The download of #${t.number} ${t.progress.name} was not finished; /get ${t.number} again resumes it.`,
    );
    const stopping = [...this.#active].map((t) => t.stop());
    this.#active.clear();
    await Promise.race([Promise.all(stopping), new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref())]);
    return words;
  }

  async #send(rawPath: string, caption: string | undefined): Promise<boolean> {
    const { fmt, print } = this.#o;
    const refuse = (words: string) => (print(fmt.error(words)), false);
    const path = expandHome(rawPath);
    const shown = sanitizeForTerminal(rawPath);
    const problem = await unreadable(path, shown);
    if (problem !== undefined) return refuse(problem);
    const captionProblem = caption === undefined ? undefined : textProblem(caption);
    if (captionProblem) return refuse(`The caption: ${captionProblem}`);
    const offer = await this.#offerOnceJoined();
    if (!offer) return refuse(NO_FILES_WORDS);
    const name = basename(path);
    const { size } = await stat(path);
    if (size > offer.maxFileBytes) return refuse(tooLargeWords(sanitizeForTerminal(name), size, offer.maxFileBytes));

    let stopped = false;
    let holdsSlot = false;
    let stopUpload = () => Promise.resolve();
    const stop = () => {
      stopped = true;
      return stopUpload();
    };
    const transfer = this.#start({ kind: 'upload', progress: new TransferProgress(name, size, 'checking'), stop });
    try {
      const sha256 = await hashFile(path, (n) => this.#progress(transfer, n, 'checking'));
      if (stopped) return false;
      await this.#uploadSlot(transfer);
      holdsSlot = true;
      if (stopped) return false;
      this.#progress(transfer, 0, 'sending');
      const upload = uploadFile({
        path,
        size,
        name,
        type: mediaTypeFor(name),
        sha256,
        base: this.#o.base,
        agent: this.#o.agent,
        token: () => this.#token('upload'),
        onProgress: (sent) => this.#progress(transfer, sent, 'sending'),
      });
      stopUpload = upload.abort;
      const result = await upload.result;
      if (stopped) return false;
      if (!result.ok) return refuse(`${transfer.progress.name} was not sent: ${result.reason}`);
      const shared = this.#o.client.share(result.uploadId, caption === undefined ? {} : { caption });
      if (!shared.ok) return refuse(`${transfer.progress.name} was not shared: ${shared.error}`);
      this.#o.queued(shared.id);
      // The host counts a finished upload as open until its share is stored: the slot is
      // free only then, or a next upload could meet the host's limit (429) meanwhile.
      holdsSlot = false;
      void this.#settled(shared.id).then(() => this.#freeUploadSlot());
      print(fmt.system(`uploaded ${transfer.progress.name} (${formatBytes(size)} in ${formatDuration(transfer.progress.elapsedSeconds())})`));
      return true;
    } finally {
      if (holdsSlot) this.#freeUploadSlot();
      this.#end(transfer);
    }
  }

  async #uploadSlot(transfer: Active): Promise<void> {
    // As many as the host lets a member have open (welcome.files); more wait here.
    while (this.#uploading >= (this.#offer?.uploadsAtOnce ?? 1)) {
      this.#progress(transfer, 0, 'waiting');
      await new Promise<void>((resolve) => this.#uploadSlotFreed.push(resolve));
    }
    this.#uploading++;
  }

  /** Resolves once the message `id` is acked or refused, the room is left, or after a minute at most. */
  #settled(id: string): Promise<void> {
    const { client } = this.#o;
    return new Promise<void>((resolve) => {
      const stops: Array<() => void> = [];
      const done = () => {
        clearTimeout(timer);
        for (const stop of stops) stop();
        resolve();
      };
      const timer = setTimeout(done, 60_000);
      timer.unref();
      stops.push(
        client.on('ack', (answer) => answer.id === id && done()),
        client.on('failed', (answer) => answer.id === id && done()),
        client.on('state', (state) => state.status === 'closed' && done()),
      );
    });
  }

  #freeUploadSlot(): void {
    this.#uploading--;
    this.#uploadSlotFreed.shift()?.();
  }

  async #get(number: number, rawDir: string | undefined): Promise<boolean> {
    const { fmt, print } = this.#o;
    const refuse = (words: string) => (print(fmt.error(words)), false);
    const entry = this.#shown[number - 1];
    if (!entry) return refuse(`There is no file #${number} here; the number is the one shown before a file's name.`);
    const label = fileLabel(entry.file, number);
    if (entry.gone) return refuse(`${label} was in the room's earlier history, which the host no longer has.`);
    if (entry.file.deleted) return refuse(`#${number} ${fileName(entry.file)} was deleted by the host; there is nothing to save.`);
    if ([...this.#active].some((t) => t.number === number)) return refuse(`#${number} is already downloading.`);
    const dir = resolve(expandHome(rawDir ?? '.'));
    const problem = await unwritableFolder(dir, sanitizeForTerminal(rawDir ?? dir));
    if (problem !== undefined) return refuse(problem);
    const busy = new Set([...this.#active].flatMap((t) => (t.target === undefined ? [] : [t.target])));
    const target = await freeTarget(dir, safeLocalName(entry.file.name), busy);

    let stopDownload = () => Promise.resolve();
    const transfer = this.#start({ kind: 'download', number, target, progress: new TransferProgress(entry.file.name, entry.file.size, 'receiving'), stop: () => stopDownload() });
    try {
      const download = downloadFile({
        url: async () => new URL(downloadPath(entry.seq, await this.#token('download')), this.#o.base),
        agent: this.#o.agent,
        target,
        file: entry.file,
        onProgress: (done, phase) => this.#progress(transfer, done, phase),
      });
      stopDownload = download.abort;
      const result = await download.result;
      if (!this.#active.has(transfer)) return false; // stopped by leaving: said there
      if (result.ok) {
        const resumed = result.resumedFrom > 0 ? `, resumed at ${formatBytes(result.resumedFrom)}` : '';
        print(fmt.system(`saved #${number} as ${result.path} (${formatBytes(entry.file.size)}${resumed})`));
        return true;
      }
      const again = (await hasPart(target)) ? ` Type /get ${number}${rawDir === undefined ? '' : ` ${rawDir}`} again to resume.` : '';
      return refuse(`#${number} ${transfer.progress.name} was not saved: ${result.reason}${again}`);
    } finally {
      this.#end(transfer);
    }
  }

  /** The room's files offer, once a welcome has said (waits for the first one). */
  async #offerOnceJoined(): Promise<FilesOffer | undefined> {
    if (!this.#welcomed) await this.#nextWelcome();
    return this.#offer;
  }

  /** The connection's upload or download token now; while the room is away, the one its next welcome brings. */
  async #token(purpose: 'upload' | 'download'): Promise<string> {
    const status = this.#o.client.state.status;
    const of = (offer: FilesOffer) => (purpose === 'upload' ? offer.token : offer.downloadToken);
    // Left the room: the token still serves a little while (removing an unfinished upload).
    if (status === 'closed' && this.#offer) return of(this.#offer);
    if (status !== 'connected' || !this.#offer) await this.#nextWelcome();
    if (!this.#offer) throw new NoTokenError(NO_FILES_WORDS);
    return of(this.#offer);
  }

  #nextWelcome(): Promise<void> {
    if (this.#o.client.state.status === 'closed') return Promise.reject(new NoTokenError('You left the room.'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new NoTokenError(`The room has been away for ${ROOM_AWAY_MS / 1000} s.`)), ROOM_AWAY_MS);
      this.#waiting.push({
        resolve: () => (clearTimeout(timer), resolve()),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
    });
  }

  #start(transfer: Active): Active {
    this.#active.add(transfer);
    this.#progress(transfer, 0, transfer.progress.phase);
    return transfer;
  }

  #progress(transfer: Active, done: number, phase: TransferPhase): void {
    const logDue = transfer.progress.update(done, phase);
    if (!this.#o.interactive) {
      if (logDue) this.#o.print(this.#o.fmt.system(transfer.progress.line()));
      return;
    }
    const now = Date.now();
    if (now - this.#lastDraw < REDRAW_MS && !logDue) return;
    this.#lastDraw = now;
    this.#draw();
  }

  #end(transfer: Active): void {
    if (!this.#active.delete(transfer)) return;
    if (this.#o.interactive) this.#draw();
  }

  #draw(): void {
    const active = [...this.#active];
    this.#o.showProgress(active.length === 1 ? active[0]!.progress.line() : active.map((t) => t.progress.short()).join(' · '));
  }
}

/** `~` and `~/…` are the home folder, as a shell would read them. */
export function expandHome(path: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return resolve(homedir(), path.slice(2));
  return resolve(path);
}

/** Why `path` cannot be sent, in a sentence; undefined when it is a file this process can read. */
async function unreadable(path: string, shown: string): Promise<string | undefined> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    return fsWords(error, shown, `There is no file at ${shown}.`);
  }
  if (info.isDirectory()) return `${shown} is a folder; /send takes one file (zip a folder first).`;
  if (!info.isFile()) return `${shown} is not a regular file.`;
  try {
    await access(path, constants.R_OK);
  } catch (error) {
    return fsWords(error, shown, `There is no file at ${shown}.`);
  }
  return undefined;
}

/** Why nothing can be saved in `dir`, in a sentence; undefined when it is a folder this process can write in. */
async function unwritableFolder(dir: string, shown: string): Promise<string | undefined> {
  let info;
  try {
    info = await stat(dir);
  } catch (error) {
    return fsWords(error, shown, `There is no folder ${shown}.`);
  }
  if (!info.isDirectory()) return `${shown} is not a folder.`;
  try {
    await access(dir, constants.W_OK);
  } catch {
    return `Cannot save in ${shown} (permission denied).`;
  }
  return undefined;
}

function fsWords(error: unknown, shown: string, missing: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return missing;
  if (code === 'EACCES' || code === 'EPERM') return `${shown} cannot be read (permission denied).`;
  return `${shown} cannot be read (${code ?? (error as Error).message}).`;
}

async function hasPart(target: string): Promise<boolean> {
  try {
    return (await stat(`${target}${PARTIAL_SUFFIX}`)).size > 0;
  } catch {
    return false;
  }
}
