// The host's files service: uploads (tus, uploads.ts), stored files (storage.ts), downloads
// (downloads.ts), tokens (tokens.ts), per-member and per-address budgets (upload-budget.ts).
// The room sees it as RoomFiles (contract.ts); the HTTP server hands it every request under
// /files, which passes a gate first (TLS in an encrypted room, an exact upload address,
// transfers per address).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { parseDownloadPath, UPLOAD_PATH } from '../../../common/files.ts';
import { ENCRYPTION_REQUIRED } from '../../../common/wording.ts';
import type { OriginCheck } from '../origin.ts';
import { peerAddress } from '../peer.ts';
import type { FileAccess, RoomFiles } from './contract.ts';
import { serveDownload } from './downloads.ts';
import { FinishedUploads } from './finished.ts';
import { Refusal, sendRefusal } from './refusal.ts';
import { BlobStorage } from './storage.ts';
import { createFileTokens } from './tokens.ts';
import { DEFAULT_UPLOAD_LIMITS, Uploads, type UploadLimits } from './uploads.ts';

export { DEFAULT_MAX_FILE_BYTES, DEFAULT_QUOTA_BYTES } from './storage.ts';
export { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from './uploads.ts';

export interface RoomFilesOptions {
  /** Where files live: `<dir>/<sha256>`, uploads in `<dir>/uploads`, finished ones' records in `<dir>/finished`. */
  dir: string;
  maxFileBytes?: number | undefined;
  /** Default: 10 GiB, or half the disk's free space plus what is stored, whichever is less. */
  quotaBytes?: number | undefined;
  access: FileAccess;
  origins: OriginCheck;
  limits?: Partial<UploadLimits> | undefined;
  /** How often expired uploads are looked for. */
  sweepIntervalMs?: number | undefined;
  /** A file request (an upload's body, a download's reader) silent this long is cut. */
  idleTimeoutMs?: number | undefined;
  log?: ((line: string) => void) | undefined;
  /** The room takes only TLS joins right now (the hosting panel switches it live): files are not served over plain HTTP either. */
  encryptedOnly?: (() => boolean) | undefined;
}

export interface HostFiles extends RoomFiles {
  readonly dir: string;
  /** Answer a request under /files; false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Resolves when uploads found finished at start have been checked. */
  readonly recovered: Promise<void>;
  /** Remove expired uploads now (tests; a timer does it otherwise). */
  sweep(now?: number): Promise<void>;
}

const EXPOSED_TO_PAGES = 'Content-Disposition, Content-Length, Content-Range, Accept-Ranges, ETag, Retry-After';

export function createRoomFiles(options: RoomFilesOptions): HostFiles {
  const log = options.log ?? (() => {});
  const storage = new BlobStorage(options.dir, { maxFileBytes: options.maxFileBytes, quotaBytes: options.quotaBytes }, log);
  const finished = new FinishedUploads(join(options.dir, 'finished'));
  const tokens = createFileTokens();
  const corsFor = (origin: string | undefined): Record<string, string> =>
    origin !== undefined && options.origins.allowsCrossOrigin(origin) ? { 'access-control-allow-origin': origin, 'access-control-expose-headers': EXPOSED_TO_PAGES, vary: 'Origin' } : {};
  const limits = { ...DEFAULT_UPLOAD_LIMITS, ...options.limits };
  const uploads = new Uploads({
    dir: join(options.dir, 'uploads'),
    storage,
    finished,
    tokens,
    access: options.access,
    allowsCrossOrigin: (origin) => options.origins.allowsCrossOrigin(origin),
    corsFor,
    limits,
    log,
  });
  const sweeper = setInterval(() => void uploads.sweep(), options.sweepIntervalMs ?? 10 * 60 * 1000);
  sweeper.unref();
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  /** Requests under /files in progress, by address: each holds a socket, a stream and a file. */
  const inProgress = new Map<string, number>();

  /** Why a request under /files is refused before anyone looks at it; undefined if it may go on. */
  function gateRefusal(req: IncomingMessage, url: string, path: string): Refusal | undefined {
    if (options.encryptedOnly?.() && (req.socket as TLSSocket).encrypted !== true) return new Refusal(403, ENCRYPTION_REQUIRED);
    if (path === UPLOAD_PATH || path.startsWith(`${UPLOAD_PATH}/`)) {
      // tus reads the upload id from the whole URL, query and all: an upload's address is
      // exactly /files/uploads[/<id>], so what the gate checks is what tus acts on.
      const rest = path.slice(UPLOAD_PATH.length + 1);
      if (url !== path || rest.includes('/') || rest.includes('%')) {
        return new Refusal(400, `An upload's address is ${UPLOAD_PATH}/<id>, with nothing after it.`);
      }
    }
    if ((inProgress.get(peerAddress(req.socket.remoteAddress)) ?? 0) >= limits.maxRequestsPerAddress) {
      return new Refusal(429, `Your computer has ${limits.maxRequestsPerAddress} file transfers going already; wait for one to end.`, { 'retry-after': '2' });
    }
    return undefined;
  }

  return {
    dir: options.dir,
    maxFileBytes: storage.maxFileBytes,
    recovered: uploads.recovered,
    offerFor: (userId) => ({
      token: tokens.tokenFor(userId, 'upload'),
      downloadToken: tokens.tokenFor(userId, 'download'),
      maxFileBytes: storage.maxFileBytes,
      // A member is refused past either limit; alone at their address, the smaller is theirs.
      uploadsAtOnce: Math.min(limits.maxOpenPerMember, limits.maxOpenPerAddress),
    }),
    claim: (userId, uploadId) => uploads.claim(userId, uploadId),
    usage: () => storage.usage(),
    list: () => storage.list(),
    delete: (fileId) => storage.delete(fileId),
    sweep: (now) => uploads.sweep(now),
    close: () => clearInterval(sweeper),
    handle(req, res) {
      const url = req.url ?? '/';
      const path = url.split('?')[0]!;
      if (path !== '/files' && !path.startsWith('/files/')) return false;
      // A body or a reader that stalls is cut; a long transfer that keeps moving is not.
      req.socket.setTimeout(idleTimeoutMs);
      const refusal = gateRefusal(req, url, path);
      if (refusal) {
        sendRefusal(res, refusal, corsFor(req.headers.origin));
        return true;
      }
      const address = peerAddress(req.socket.remoteAddress);
      inProgress.set(address, (inProgress.get(address) ?? 0) + 1);
      res.once('close', () => {
        const left = (inProgress.get(address) ?? 1) - 1;
        if (left > 0) inProgress.set(address, left);
        else inProgress.delete(address);
      });
      if (path === UPLOAD_PATH || path.startsWith(`${UPLOAD_PATH}/`)) {
        uploads.handle(req, res, path);
        return true;
      }
      const seq = parseDownloadPath(path);
      if (seq === undefined) sendRefusal(res, new Refusal(404, 'There is no such file here.'), corsFor(req.headers.origin));
      else serveDownload(req, res, seq, { storage, tokens, access: options.access, corsFor });
      return true;
    },
  };
}
