// A request the files service refuses: an HTTP status and one plain sentence a person can
// read (the app and `hearth join` show it as it is). Thrown from @tus/server's hooks, which
// answer with `status_code` and `body`; written directly by the download side and the gate.
import type { ServerResponse } from 'node:http';

export class Refusal extends Error {
  readonly status_code: number;
  readonly body: string;
  /** Extra response headers (Retry-After). */
  readonly headers: Record<string, string>;

  constructor(status: number, sentence: string, headers: Record<string, string> = {}) {
    super(sentence);
    this.status_code = status;
    this.body = `${sentence}\n`;
    this.headers = headers;
  }
}

/** Answer with the refusal (plain text, never cached, never sniffed). */
export function sendRefusal(res: ServerResponse, refusal: Refusal, extraHeaders: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(refusal.status_code, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(refusal.body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...extraHeaders,
    ...refusal.headers,
  });
  res.end(refusal.body);
}

/** Disk full (ENOSPC) or over a disk quota (EDQUOT). */
export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

export const DISK_FULL = "The host's disk is full, so this upload was removed. Nothing was kept.";
export const HASH_MISMATCH = 'The file changed or arrived damaged (its SHA-256 does not match). Nothing was kept.';
