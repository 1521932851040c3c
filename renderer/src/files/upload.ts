// One file on its way to the host (docs/files-plan.md › A file's journey): checked (SHA-256
// in the page), then sent with tus-js-client to the room's /files/uploads. tus is resumable:
// when the connection drops or the host restarts, the next request asks the host how much it
// kept (HEAD) and sends only the rest. The upload is remembered by its hash (tus-js-client's
// URL storage), so attaching the same file again, even after a reload, resumes it too.
import { Upload, type DetailedError, type HttpRequest } from 'tus-js-client';
import { TOKEN_HEADER, UPLOAD_METADATA } from '../../../common/files.ts';
import { uploadIdOf } from './file-urls.ts';
import { HashAborted, sha256OfFile } from './hash.ts';
import { addSample, bytesPerSecond, type RateSample } from './transfer-rate.ts';
import { canRetry, failureWords, shouldResume, waitsForRoom } from './upload-errors.ts';

export type UploadPhase =
  | { kind: 'checking'; done: number }
  | { kind: 'sending'; sent: number; rate: number | undefined }
  /** The host is away (or restarting): the upload resumes by itself from what it kept. */
  | { kind: 'waiting'; sent: number }
  | { kind: 'uploaded'; uploadId: string }
  | { kind: 'failed'; reason: string; retryable: boolean };

export interface UploadOptions {
  /** `<room base>/files/uploads`. */
  endpoint: string;
  /**
   * The member's upload token (welcome.files.token), asked for every request. While the room is
   * reconnecting it waits for the next welcome: a restarted host gives new tokens, and a
   * resume asked with the old one would be refused (401), which tus takes for "start over".
   */
  token(): Promise<string | undefined>;
  onPhase(phase: UploadPhase): void;
  now?: () => number;
}

export interface UploadHandle {
  /** After the host came back: try again now instead of at the next retry delay. */
  resume(): void;
  /** Stop and tell the host to drop what it has (tus DELETE). */
  cancel(): Promise<void>;
  /** Stop without telling the host (leaving the room): attaching the file again resumes it. */
  stop(): void;
}

// Quiet retries while the room is connected (the counter restarts whenever bytes get
// through; while it reconnects, each request waits for it in onBeforeRequest); after that
// the upload waits for resume().
const RETRY_DELAYS = [0, 1000, 2000, 3000, 3000, 3000, 5000, 5000, 5000, 5000, 10_000, 10_000];
// Progress redraws at most this often: a LAN upload reports hundreds of times a second.
const REPORT_EVERY_MS = 200;

export function startUpload(file: File, options: UploadOptions): UploadHandle {
  const now = options.now ?? (() => performance.now());
  const checking = new AbortController();
  let upload: Upload | undefined;
  let cancelled = false;
  let sent = 0;
  let samples: RateSample[] = [];
  let lastReport = -Infinity;
  // Out of quick retries: waiting for resume().
  let stalled = false;

  const report = (phase: UploadPhase) => {
    if (!cancelled) options.onPhase(phase);
  };

  const begin = async () => {
    report({ kind: 'checking', done: 0 });
    let sha256: string;
    try {
      sha256 = await sha256OfFile(file, { signal: checking.signal, onProgress: (done) => report({ kind: 'checking', done }) });
    } catch (error) {
      if (error instanceof HashAborted) return;
      return report({ kind: 'failed', reason: 'This file could not be read. It may have been moved or deleted.', retryable: true });
    }
    if (cancelled) return;
    const endpoint = options.endpoint;
    upload = new Upload(file, {
      endpoint,
      metadata: { [UPLOAD_METADATA.name]: file.name, [UPLOAD_METADATA.type]: file.type, [UPLOAD_METADATA.sha256]: sha256 },
      // By content and room: the same bytes attached again resume, whatever the file is called.
      fingerprint: async () => `hearth-${sha256}-${endpoint}`,
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      retryDelays: RETRY_DELAYS,
      onBeforeRequest: async (request: HttpRequest) => {
        const token = await options.token();
        if (token !== undefined) request.setHeader(TOKEN_HEADER, token);
      },
      onShouldRetry: (error: DetailedError) => {
        const retry = shouldResume(statusOf(error));
        if (retry) report({ kind: 'waiting', sent });
        return retry;
      },
      onProgress: (bytesSent) => {
        stalled = false;
        sent = bytesSent;
        const at = now();
        samples = addSample(samples, { at, bytes: bytesSent });
        if (at - lastReport < REPORT_EVERY_MS && bytesSent < file.size) return;
        lastReport = at;
        report({ kind: 'sending', sent, rate: bytesPerSecond(samples) });
      },
      onSuccess: () => {
        const id = upload?.url ? uploadIdOf(upload.url) : undefined;
        report(id ? { kind: 'uploaded', uploadId: id } : { kind: 'failed', reason: 'The host gave this upload an address Hearth does not understand.', retryable: true });
      },
      onError: (error) => {
        // Not a request that failed: the file itself could not be read (moved, deleted, changed).
        if (!('originalRequest' in error) || !error.originalRequest) {
          return report({ kind: 'failed', reason: 'This file could not be read. It may have been moved or deleted.', retryable: true });
        }
        const status = statusOf(error);
        if (waitsForRoom(status)) {
          // Out of quick retries: wait for the room to come back (resume()).
          stalled = true;
          return report({ kind: 'waiting', sent });
        }
        report({ kind: 'failed', reason: failureWords(status, bodyOf(error)), retryable: canRetry(status) });
      },
    });
    const previous = await upload.findPreviousUploads().catch(() => []);
    if (cancelled) return;
    if (previous[0]) upload.resumeFromPreviousUpload(previous[0]);
    upload.start();
  };
  void begin();

  return {
    resume() {
      if (!upload || cancelled || !stalled) return;
      stalled = false;
      upload.start();
    },
    stop() {
      cancelled = true;
      checking.abort();
      void upload?.abort(false);
    },
    async cancel() {
      cancelled = true;
      checking.abort();
      // The host removes what it has; if it cannot be reached, it drops the upload after a day.
      await upload?.abort(true).catch(() => undefined);
    },
  };
}

function statusOf(error: Error | DetailedError): number {
  return 'originalResponse' in error ? (error.originalResponse?.getStatus() ?? 0) : 0;
}

function bodyOf(error: Error | DetailedError): string | undefined {
  return 'originalResponse' in error ? error.originalResponse?.getBody() : undefined;
}
