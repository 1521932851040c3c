// Moving a file's bytes between this terminal and the room's host, over HTTP on the room's
// port (docs/files-plan.md): hashing before an upload, a resumable tus upload (tus-js-client's
// Node stack, retried from the host's offset after a dropped connection or a host restart),
// and a download that resumes a `.part` file with a Range request and is kept only when its
// SHA-256 is the file's id. Over TLS both go through the agent of file-http.ts, pinned like
// the room's WebSocket. Every outcome is a result with a sentence, never a throw.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Agent } from 'node:http';
import type { DetailedError, HttpStack, Upload } from 'tus-js-client';
import { TOKEN_HEADER, UPLOAD_METADATA, UPLOAD_PATH } from '../../common/files.ts';
import { answerWords } from './file-http.ts';

/** Thrown by a `token()` that has none to give (the room is gone or takes no files): its message is the reason. */
export class NoTokenError extends Error {
  override name = 'NoTokenError';
}

export type TransferResult<T> = ({ ok: true } & T) | { ok: false; reason: string };

export interface Transfer<T> {
  readonly result: Promise<TransferResult<T>>;
  /** Stop now: an upload is removed from the host (its space freed); a download keeps its `.part` for the next try. */
  abort(): Promise<void>;
}

/**
 * Waits between upload retries, in ms. The count restarts whenever a try got bytes across,
 * so only a host that stays away ~40 s in a row ends the upload.
 */
const UPLOAD_RETRY_DELAYS = [0, 500, 1000, 2000, 3000, 5000, 5000, 5000, 5000, 5000, 5000];

/** SHA-256 of a file in lowercase hex, read a chunk at a time (a 2 GB file never sits in memory). */
export async function hashFile(path: string, onProgress: (bytes: number) => void = () => {}, upTo?: number): Promise<string> {
  const hash = createHash('sha256');
  if (upTo === 0) return hash.digest('hex');
  let read = 0;
  for await (const chunk of createReadStream(path, upTo === undefined ? {} : { end: upTo - 1 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    read += chunk.length;
    onProgress(read);
  }
  return hash.digest('hex');
}

export interface UploadRequest {
  path: string;
  size: number;
  /** The name and media type as this machine knows them (the host makes both safe). */
  name: string;
  type: string;
  sha256: string;
  /** The room's http(s) base, like `https://192.168.1.7:47800/`. */
  base: string;
  agent: Agent;
  /** The token of the connection as it is now (a reconnect brings a new one); may wait for the room. */
  token(): Promise<string>;
  onProgress(sent: number): void;
  retryDelays?: number[];
}

/** A tus upload of one file; its result names the upload, for `client.share`. */
export function uploadFile(request: UploadRequest): Transfer<{ uploadId: string }> {
  let settle!: (result: TransferResult<{ uploadId: string }>) => void;
  const result = new Promise<TransferResult<{ uploadId: string }>>((resolve) => (settle = resolve));
  let stopped = false;
  let upload: Upload | undefined;
  // tus-js-client is loaded with the first upload: a `hearth join` that never sends one starts faster.
  void import('tus-js-client').then(
    ({ Upload, DefaultHttpStack, DetailedError }) => {
      if (stopped) return;
      const started: Upload = new Upload(createReadStream(request.path) as unknown as Buffer, {
        endpoint: new URL(UPLOAD_PATH, request.base).href,
        uploadSize: request.size,
        metadata: { [UPLOAD_METADATA.name]: request.name, [UPLOAD_METADATA.type]: request.type, [UPLOAD_METADATA.sha256]: request.sha256 },
        httpStack: roomHttpStack(request.base, new DefaultHttpStack({ agent: request.agent })),
        retryDelays: request.retryDelays ?? UPLOAD_RETRY_DELAYS,
        // Read at each request: after a host restart, the old token means nothing there.
        onBeforeRequest: async (req) => req.setHeader(TOKEN_HEADER, await request.token()),
        onShouldRetry: (error) => shouldRetryUpload(error),
        onProgress: (sent) => request.onProgress(sent),
        onSuccess: () => {
          const id = started.url ? new URL(started.url).pathname.split('/').pop() : undefined;
          settle(id ? { ok: true, uploadId: decodeURIComponent(id) } : { ok: false, reason: 'The host did not say where the upload went.' });
        },
        onError: (error) => settle({ ok: false, reason: uploadErrorWords(error, error instanceof DetailedError ? error : undefined) }),
      });
      upload = started;
      started.start();
    },
    (error: unknown) => settle({ ok: false, reason: `The upload could not start (${(error as Error).message}).` }),
  );
  return {
    result,
    async abort() {
      stopped = true;
      settle({ ok: false, reason: 'stopped' });
      // Removed from the host (DELETE), so it holds no space for a day. An upload stopped before
      // the host named it is left to the host's expiry of unfinished uploads.
      await upload?.abort(true).catch(() => {});
    },
  };
}

/**
 * Try again after a dropped connection, a host away or busy (5xx, 429), a stale token (401:
 * the room's next welcome brings the new one), or a lock; never after a plain refusal (413
 * too large, 507 no space, 4xx hash mismatch): those answers are the end.
 */
function shouldRetryUpload(error: DetailedError): boolean {
  if (error.causingError instanceof NoTokenError) return false; // waited for the room already
  const status = error.originalResponse?.getStatus() ?? 0;
  return status === 0 || status >= 500 ? status !== 507 : status === 401 || status === 409 || status === 423 || status === 429;
}

function uploadErrorWords(error: Error, detailed: DetailedError | undefined): string {
  if (detailed?.originalResponse) return answerWords(detailed.originalResponse.getStatus(), detailed.originalResponse.getBody());
  const cause = detailed ? detailed.causingError : error;
  if (cause instanceof NoTokenError) return cause.message;
  return `The host could not be reached (${cause?.message ?? error.message}).`;
}

/**
 * tus-js-client's Node stack, every request sent to the room's own origin through `agent`:
 * a host that names its upload with another scheme or address (@tus/server builds absolute
 * URLs from the Host header, as http) is still reached the way the room was, pinned. The
 * default stack passes its constructor's options to http(s).request: the agent goes there.
 */
function roomHttpStack(base: string, stack: HttpStack): HttpStack {
  const origin = new URL(base);
  return {
    getName: () => 'HearthRoomStack',
    createRequest(method, url) {
      const rebased = new URL(url, origin);
      rebased.protocol = origin.protocol;
      rebased.host = origin.host;
      return stack.createRequest(method, rebased.href);
    },
  };
}

const MEDIA_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.zip': 'application/zip',
  '.mp3': 'audio/mpeg',
  '.mp4': 'video/mp4',
};

/** The media type this machine would give a file by its name (the host decides what it serves). */
export function mediaTypeFor(name: string): string {
  const dot = name.lastIndexOf('.');
  return (dot > 0 && MEDIA_TYPES[name.slice(dot).toLowerCase()]) || 'application/octet-stream';
}
