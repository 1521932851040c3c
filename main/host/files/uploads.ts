// Uploads over tus 1.0.0 (@tus/server + HashingFileStore) at /files/uploads: who may create
// one (the limits: upload-budget.ts), and what happens when the last byte lands. Each upload's owner
// (the member's user id) is stamped into its tus metadata, so the rules survive a restart.
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { ERRORS, Metadata, Server, type Upload } from '@tus/server';
import { TOKEN_HEADER, UPLOAD_METADATA, UPLOAD_PATH, formatBytes } from '../../../common/files.ts';
import type { FileRef } from '../../../common/protocol.ts';
import { peerAddress } from '../peer.ts';
import type { FileAccess } from './contract.ts';
import { fileSize, readHead, readJson, removeQuietly } from './disk.ts';
import { displayFileName } from './file-name.ts';
import type { FinishedUploads } from './finished.ts';
import { HashingFileStore } from './hashing-store.ts';
import { RECOGNISE_BYTES, recognise } from './recognise.ts';
import { DISK_FULL, HASH_MISMATCH, isDiskFull, Refusal, sendRefusal } from './refusal.ts';
import type { BlobStorage } from './storage.ts';
import type { FileTokens } from './tokens.ts';
import { UploadBudget, type OpenUpload, type UploadLimits } from './upload-budget.ts';

export { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from './upload-budget.ts';

/** Upload-Metadata, base64 and all: a name, a type and a hash fit easily. */
const MAX_METADATA_BYTES = 4096;
const UPLOAD_ID = /^[0-9a-f]{32}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const OWNER_KEY = 'owner';

export interface UploadsOptions {
  /** `<files>/uploads`: tus's data and records. */
  dir: string;
  storage: BlobStorage;
  finished: FinishedUploads;
  tokens: FileTokens;
  access: FileAccess;
  allowsCrossOrigin: (origin: string) => boolean;
  corsFor: (origin: string | undefined) => Record<string, string>;
  limits: UploadLimits;
  log: (line: string) => void;
}

export class Uploads {
  readonly #options: UploadsOptions;
  /** Every upload tus holds (unfinished, or finished and not yet shared), by id. */
  readonly #open = new Map<string, OpenUpload>();
  readonly #budget: UploadBudget;
  /** Uploads whose last byte landed and whose check is running: their first finish is the only one. */
  readonly #finishing = new Set<string>();
  readonly #store: HashingFileStore;
  readonly #server: Server;
  /** Uploads found complete at start whose check had not run yet (the host stopped first). */
  readonly recovered: Promise<void>;

  constructor(options: UploadsOptions) {
    this.#options = options;
    this.#budget = new UploadBudget(options.limits, options.storage.maxFileBytes, this.#open);
    this.#store = new HashingFileStore({ directory: options.dir, onRemoved: (id) => this.#forget(id) });
    this.#server = new Server({
      path: UPLOAD_PATH,
      datastore: this.#store,
      // "/files/uploads/<id>": right whichever name or address (and http or https) the client used.
      relativeLocation: true,
      allowedOrigins: options.allowsCrossOrigin,
      allowedHeaders: [TOKEN_HEADER],
      exposedHeaders: ['Retry-After'],
      namingFunction: () => randomBytes(16).toString('hex'),
      // The id the gate checked (handle): the path's last segment, never anything in a query.
      getFileIdFromRequest: (req) => uploadIdIn(new URL(req.url).pathname),
      onIncomingRequest: (req) => Promise.resolve(bodyWithoutCopies(req)),
      onUploadCreate: (req, upload) => Promise.resolve(this.#admit(req, upload)),
      onUploadFinish: async (_req, upload) => {
        await this.#finish(upload.id, upload.size ?? 0, upload.metadata ?? {});
        return {};
      },
      onResponseError: (_req, error) => this.#explain(error),
    });
    this.recovered = this.#recover();
  }

  /** Answer a request under /files/uploads (`path` without the query). */
  handle(req: IncomingMessage, res: ServerResponse, path: string): void {
    const cors = this.#options.corsFor(req.headers.origin);
    try {
      if (req.method === 'OPTIONS') return this.#pass(req, res);
      const id = path === UPLOAD_PATH ? undefined : path.slice(UPLOAD_PATH.length + 1);
      if (req.method === 'POST' && id !== undefined) throw new Refusal(404, `New uploads are made at ${UPLOAD_PATH}.`);
      if (req.method !== 'POST' && !['HEAD', 'PATCH', 'DELETE'].includes(req.method ?? '')) throw new Refusal(405, 'Uploads take POST, HEAD, PATCH and DELETE (the tus protocol).', { allow: 'POST, HEAD, PATCH, DELETE, OPTIONS' });
      if (id !== undefined && !UPLOAD_ID.test(id)) throw new Refusal(404, 'There is no such upload.');
      const userId = this.#options.tokens.userIdOf(header(req, TOKEN_HEADER), 'upload');
      if (userId === undefined || !this.#options.access.tokenHolderPresent(userId)) {
        throw new Refusal(401, `Uploads need the token the room gave you (${TOKEN_HEADER}), and it is missing or no longer good: join the room again.`);
      }
      if (id === undefined) checkCreation(req);
      else {
        const upload = this.#open.get(id);
        if (!upload) throw new Refusal(404, 'There is no such upload: it was shared, expired, or never made.');
        if (upload.owner !== userId) throw new Refusal(403, 'This upload is not yours.');
        if (req.method === 'PATCH') {
          if (this.#finishing.has(id) || this.#options.finished.get(id)) throw new Refusal(409, 'This upload is complete already: share it, or make a new one.');
          return this.#write(req, res, upload);
        }
      }
      this.#pass(req, res);
    } catch (error) {
      sendRefusal(res, error instanceof Refusal ? error : new Refusal(500, 'Something went wrong on the host with this upload.'), cors);
    }
  }

  /** The finished, verified upload as the FileRef its message carries (RoomFiles.claim). */
  claim(userId: string, uploadId: string): FileRef | undefined {
    const record = this.#options.finished.get(uploadId);
    if (!record || record.owner !== userId) return undefined;
    // Never throws: a disk that refuses a write here must not take the room down with it.
    try {
      if (!record.claimed) {
        this.#options.storage.adopt(uploadId, this.#store.dataPath(uploadId), record.file.id);
        this.#open.delete(uploadId);
        this.#store.forget(uploadId);
        removeQuietly(join(this.#options.dir, `${uploadId}.json`));
        // Kept in memory even if the disk refuses the record: a retried share gets the same answer.
        if (!this.#options.finished.markClaimed(uploadId)) this.#options.log(`files: could not record that upload ${uploadId} was shared`);
      }
    } catch (error) {
      this.#options.log(`files: could not keep upload ${uploadId}: ${(error as Error).message}`);
    }
    return this.#options.storage.pathOf(record.file.id) ? record.file : undefined;
  }

  /** Remove what outlived its time: unfinished uploads, finished ones nobody shared, old claim records. */
  async sweep(now = Date.now()): Promise<void> {
    const { finished, limits } = this.#options;
    const stale: string[] = [];
    for (const [id, upload] of this.#open) {
      if (finished.get(id) || this.#finishing.has(id) || upload.writing > 0) continue;
      if (now - upload.createdAt > limits.unfinishedMs || now - upload.activeAt > limits.idleMs) stale.push(id);
    }
    for (const record of finished.all()) {
      if (now - record.finishedAt <= limits.unsharedMs) continue;
      if (record.claimed) finished.remove(record.uploadId);
      else stale.push(record.uploadId);
    }
    for (const id of stale) await this.#store.remove(id).catch(() => this.#forget(id));
    this.#budget.tidy();
  }

  /** A PATCH: the upload is busy (never idle) until its answer is sent. */
  #write(req: IncomingMessage, res: ServerResponse, upload: OpenUpload): void {
    this.#busyUntilAnswered(upload, res);
    this.#pass(req, res);
  }

  #busyUntilAnswered(upload: OpenUpload, res: ServerResponse): void {
    upload.writing++;
    upload.activeAt = Date.now();
    res.once('close', () => {
      upload.writing--;
      upload.activeAt = Date.now();
    });
  }

  #pass(req: IncomingMessage, res: ServerResponse): void {
    this.#server.handle(req, res).catch(() => res.destroy());
  }

  /** onUploadCreate: the limits, the quota, the metadata; then the owner is stamped in. */
  #admit(req: Request, upload: Upload): { metadata: Record<string, string | null> } {
    const { storage, tokens } = this.#options;
    const owner = tokens.userIdOf(req.headers.get(TOKEN_HEADER) ?? undefined, 'upload');
    if (owner === undefined) throw new Refusal(401, 'Uploads need the token the room gave you.');
    const size = upload.size;
    if (size === undefined) throw new Refusal(400, "Say the file's size (Upload-Length): this host takes no uploads of unknown length.");
    if (size > storage.maxFileBytes) throw new Refusal(413, `This file is ${formatBytes(size)}; this room takes files up to ${formatBytes(storage.maxFileBytes)}.`);
    const metadata = upload.metadata ?? {};
    if (!SHA256.test(metadata[UPLOAD_METADATA.sha256] ?? '')) {
      throw new Refusal(400, "The upload must say the file's SHA-256 (Upload-Metadata sha256: 64 lowercase hex digits).");
    }
    const node = nodeOf(req);
    const address = peerAddress(node?.req?.socket.remoteAddress);
    const refusal = this.#budget.refusalFor(owner, address, size);
    if (refusal) {
      // tus writes the status and body; the header reaches the client only on the response itself.
      for (const [name, value] of Object.entries(refusal.headers)) node?.res?.setHeader(name, value);
      throw refusal;
    }
    const over = storage.overQuotaBy(size);
    if (over > 0) {
      const { usedBytes, reservedBytes, quotaBytes } = storage.usage();
      throw new Refusal(507, `The room's file space is full (${formatBytes(usedBytes + reservedBytes)} of ${formatBytes(quotaBytes)} used); this file needs ${formatBytes(over)} more.`);
    }
    const now = Date.now();
    const open: OpenUpload = { owner, address, size, createdAt: now, activeAt: now, writing: 0 };
    // Creation with data: its body is a write like a PATCH's, busy until answered.
    if (node?.res && req.headers.get('content-type') === 'application/offset+octet-stream') this.#busyUntilAnswered(open, node.res);
    this.#open.set(upload.id, open);
    storage.reserve(upload.id, size);
    return { metadata: { ...metadata, [OWNER_KEY]: owner } };
  }

  /** The last byte landed: check the hash, recognise the type, keep it for its owner's `share`. */
  async #finish(uploadId: string, size: number, metadata: Record<string, string | null>): Promise<void> {
    if (this.#finishing.has(uploadId) || this.#options.finished.get(uploadId)) return;
    this.#finishing.add(uploadId);
    try {
      await this.#check(uploadId, size, metadata);
    } finally {
      this.#finishing.delete(uploadId);
    }
  }

  async #check(uploadId: string, size: number, metadata: Record<string, string | null>): Promise<void> {
    const sha256 = await this.#store.digest(uploadId, size);
    if (sha256 !== metadata[UPLOAD_METADATA.sha256]) {
      await this.#store.remove(uploadId);
      throw new Refusal(460, HASH_MISMATCH);
    }
    const kind = recognise(await readHead(this.#store.dataPath(uploadId), RECOGNISE_BYTES), metadata[UPLOAD_METADATA.type] ?? '');
    const file: FileRef = { id: sha256, name: displayFileName(metadata[UPLOAD_METADATA.name] ?? ''), size, type: kind.type, ...(kind.image && { image: kind.image }) };
    try {
      this.#options.finished.add({ uploadId, owner: metadata[OWNER_KEY] ?? '', file, finishedAt: Date.now(), claimed: false });
    } catch (error) {
      // Not recorded is not kept: the sender is told, and nothing waits for a share that cannot come.
      await this.#store.remove(uploadId).catch(() => {});
      throw isDiskFull(error) ? new Refusal(507, DISK_FULL) : error;
    }
  }

  /** Gone from tus (cancelled, refused, expired, removed after a disk error): its place and space too. */
  #forget(uploadId: string): void {
    this.#open.delete(uploadId);
    this.#options.storage.release(uploadId);
    if (!this.#options.finished.get(uploadId)?.claimed) this.#options.finished.remove(uploadId);
  }

  /** tus's own refusals, in sentences. */
  #explain(error: Error | { status_code: number; body: string }): { status_code: number; body: string } | undefined {
    if (error instanceof Refusal) return undefined;
    const status = 'status_code' in error ? error.status_code : 500;
    const body = 'body' in error ? error.body : '';
    if (status === 413) return { status_code: 413, body: "More bytes came than the upload's length; nothing past it was kept.\n" };
    if (body === ERRORS.INVALID_OFFSET.body) return { status_code: 409, body: 'That part does not follow what the host has: ask where the upload stands (HEAD) and go on from there.\n' };
    if (status === 404 || status === 410) return { status_code: status, body: 'There is no such upload: it was shared, expired, or never made.\n' };
    if (status >= 500) {
      this.#options.log(`files: upload failed: ${error instanceof Error ? error.message : body.trim()}`);
      return { status_code: status, body: 'Something went wrong on the host with this upload.\n' };
    }
    return undefined;
  }

  /**
   * What tus left on disk: every upload back in the registry with its space reserved; a
   * shared one's leftovers removed; one whose last byte landed before its check ran, checked now.
   */
  async #recover(): Promise<void> {
    const { dir, finished, storage } = this.#options;
    const unchecked: Array<() => Promise<void>> = [];
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      // a new folder: FileStore makes it
    }
    for (const name of names) {
      const id = name.slice(0, -'.json'.length);
      if (!name.endsWith('.json') || !UPLOAD_ID.test(id)) continue;
      const record = readJson(join(dir, name)) as { size?: unknown; metadata?: Record<string, string | null>; creation_date?: string } | undefined;
      const owner = record?.metadata?.[OWNER_KEY];
      if (finished.get(id)?.claimed || typeof record?.size !== 'number' || !owner) {
        removeQuietly(join(dir, name));
        removeQuietly(join(dir, id));
        continue;
      }
      const size = record.size;
      const now = Date.now();
      this.#open.set(id, { owner, address: undefined, size, createdAt: Date.parse(record.creation_date ?? '') || now, activeAt: now, writing: 0 });
      storage.reserve(id, size);
      if (!finished.get(id) && fileSize(join(dir, id)) === size) unchecked.push(() => this.#finish(id, size, record.metadata ?? {}));
    }
    for (const record of finished.all()) if (!record.claimed && !this.#open.has(record.uploadId)) finished.remove(record.uploadId);
    for (const check of unchecked) await check().catch((error: unknown) => this.#options.log(`files: an upload finished before the host stopped was refused: ${(error as Error).message}`));
  }
}

/**
 * srvx gives @tus/server the request body through Readable.toWeb, which copies every chunk
 * (to detach Buffers from Node's pool; a socket's chunks are not pooled): a gigabyte
 * copied, and as much garbage, for nothing. The same body as a web stream over the
 * request's own chunks, pulled one at a time (backpressure intact), before tus reads it.
 */
function bodyWithoutCopies(req: Request): void {
  const node = (req as { runtime?: { node?: { req?: IncomingMessage } } }).runtime?.node?.req;
  if (node === undefined || (req.method !== 'PATCH' && req.method !== 'POST')) return;
  Object.defineProperty(req, 'body', { value: ReadableStream.from(node), configurable: true });
}

/** The checks on a new upload's headers that need no room state. */
function checkCreation(req: IncomingMessage): void {
  const metadata = header(req, 'upload-metadata') ?? '';
  if (Buffer.byteLength(metadata) > MAX_METADATA_BYTES) throw new Refusal(400, `The upload's metadata is too long (at most ${MAX_METADATA_BYTES} bytes).`);
  try {
    Metadata.parse(metadata);
  } catch {
    throw new Refusal(400, "The upload's metadata is not valid (tus Upload-Metadata: keys with base64 values, separated by commas).");
  }
  if (header(req, 'upload-concat') !== undefined) throw new Refusal(400, 'This host takes each file as one upload (no tus concatenation).');
  if (!/^\d{1,16}$/.test(header(req, 'upload-length') ?? '')) throw new Refusal(400, "Say the file's size (Upload-Length): this host takes no uploads of unknown length.");
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** The Node request and response under srvx's web Request. */
function nodeOf(req: Request): { req?: IncomingMessage; res?: ServerResponse } | undefined {
  return (req as { runtime?: { node?: { req?: IncomingMessage; res?: ServerResponse } } }).runtime?.node;
}

/** The upload id a path names: its one segment after /files/uploads/, if it is one. */
export function uploadIdIn(pathname: string): string | undefined {
  const id = pathname.startsWith(`${UPLOAD_PATH}/`) ? pathname.slice(UPLOAD_PATH.length + 1) : '';
  return UPLOAD_ID.test(id) ? id : undefined;
}
