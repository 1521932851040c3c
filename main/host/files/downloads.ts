// GET|HEAD /files/<seq>?t=<download token>[&inline=1]: a shared file, found by the message
// that carries it. The token (a download token; an upload token is refused) must name a
// member in the room now, the message must be one they may see (FileAccess.fileIn), and
// the bytes are found by their SHA-256: the name the sender gave only ever appears in
// Content-Disposition, built by `content-disposition`.
// Streamed from disk with backpressure, one range at a time (resumable downloads).
import { open } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { create as contentDisposition } from 'content-disposition';
import { combineRanges, parse as parseRange } from 'range-parser';
import type { FileAccess } from './contract.ts';
import { isInlineImageType, servableType } from './recognise.ts';
import { Refusal, sendRefusal } from './refusal.ts';
import { sendRange } from './send-range.ts';
import type { BlobStorage } from './storage.ts';
import type { FileTokens } from './tokens.ts';

export interface DownloadDeps {
  storage: BlobStorage;
  tokens: FileTokens;
  access: FileAccess;
  /** CORS headers for a page of this origin (the desktop app, allowed development pages); none for others. */
  corsFor: (origin: string | undefined) => Record<string, string>;
}

export function serveDownload(req: IncomingMessage, res: ServerResponse, seq: number, deps: DownloadDeps): void {
  const cors = deps.corsFor(req.headers.origin);
  try {
    if (req.method === 'OPTIONS' && cors['access-control-allow-origin']) {
      // The app's pages may ask for a range across origins (a preflight first).
      res.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET, HEAD', 'access-control-allow-headers': 'Range, If-Range', 'access-control-max-age': '86400' });
      res.end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new Refusal(405, 'Files are read with GET or HEAD.', { allow: 'GET, HEAD' });
    const query = new URL(req.url ?? '/', 'http://host').searchParams;
    const userId = deps.tokens.userIdOf(query.get('t') ?? undefined, 'download');
    if (userId === undefined || !deps.access.tokenHolderPresent(userId)) {
      throw new Refusal(401, 'This download link is not good (any more): open the file from the room again.');
    }
    const file = deps.access.fileIn(seq, userId);
    if (!file) throw new Refusal(403, 'This file is not one you can see, or it was deleted.');
    const path = deps.storage.pathOf(file.id);
    const size = deps.storage.sizeOf(file.id);
    if (path === undefined || size === undefined) throw new Refusal(404, 'This file is no longer on the host.');
    const inline = query.get('inline') === '1' && file.image !== undefined && isInlineImageType(file.type);
    const etag = `"${file.id}"`;
    const headers: Record<string, string> = {
      ...cors,
      'accept-ranges': 'bytes',
      etag,
      'content-type': inline ? file.type : servableType(file.type),
      'content-disposition': contentDisposition(savedName(file.name), { type: inline ? 'inline' : 'attachment' }),
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
      'cache-control': 'private',
    };
    const range = wantedRange(req, size, etag);
    if (range === 'unsatisfiable') {
      res.writeHead(416, { ...headers, 'content-range': `bytes */${size}`, 'content-length': '0' });
      res.end();
      return;
    }
    const { start, end } = range ?? { start: 0, end: size - 1 };
    const length = size === 0 ? 0 : end - start + 1;
    const head = () =>
      res.writeHead(range ? 206 : 200, {
        ...headers,
        'content-length': String(length),
        ...(range && { 'content-range': `bytes ${start}-${end}/${size}` }),
      });
    if (req.method === 'HEAD' || length === 0) {
      head().end();
      return;
    }
    // Opened before the headers go: a file deleted a moment ago (Delete, a clear with its
    // files) is a 404 with its sentence, not a connection cut after a 200. A reader who goes
    // away mid-way ends it; nothing to report. Two 64 KiB buffers per download, reused
    // (send-range.ts), keep many of them cheap (the files gate bounds how many per address).
    open(path, 'r').then(
      (opened) => {
        head();
        sendRange(opened, start, end, res).catch(() => res.destroy());
      },
      () => sendRefusal(res, new Refusal(404, 'This file is no longer on the host.'), cors),
    );
  } catch (error) {
    if (error instanceof Refusal) sendRefusal(res, error, cors);
    else sendRefusal(res, new Refusal(500, 'The host could not read this file.'), cors);
  }
}

/**
 * The name a browser or `curl -J` saves the file under: the shown name with path separators
 * made harmless, so no client is ever handed a path (browsers do the same; not all clients do).
 */
function savedName(name: string): string {
  return name.replace(/[/\\]/g, '_');
}

/**
 * The one range asked for, if any: a Range header with a stale If-Range, a syntax error or
 * several ranges gets the whole file (as RFC 9110 allows); one beyond the end is unsatisfiable.
 */
function wantedRange(req: IncomingMessage, size: number, etag: string): { start: number; end: number } | 'unsatisfiable' | undefined {
  const header = req.headers.range;
  if (header === undefined) return undefined;
  const ifRange = req.headers['if-range'];
  if (ifRange !== undefined && ifRange !== etag) return undefined;
  const parsed = parseRange(size, header);
  if (parsed.type !== 'bytes' || (parsed.code & 1) !== 0) return undefined;
  if (parsed.ranges.length === 0) return 'unsatisfiable';
  const ranges = combineRanges(parsed.ranges);
  return ranges.length === 1 ? { start: ranges[0]!.start, end: ranges[0]!.end } : undefined;
}
