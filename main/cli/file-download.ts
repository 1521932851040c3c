// `/get`'s transfer: the bytes go into `<target>.part` as they arrive (hashed on the way), a
// `.part` left by an earlier try is resumed with `Range` (and `If-Range` on the file's ETag,
// its SHA-256, so a file the host no longer serves the same way starts again whole), and the
// result becomes `<target>` only when its SHA-256 is the file's id. A wrong result is removed.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { link, rename, stat, truncate, unlink } from 'node:fs/promises';
import type { Agent, ClientRequest, IncomingMessage } from 'node:http';
import { basename, dirname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileRef } from '../../common/protocol.ts';
import { answerSentence, roomGet } from './file-http.ts';
import { freeTarget, PARTIAL_SUFFIX } from './file-names.ts';
import type { Transfer, TransferResult } from './file-transfer.ts';
import type { TransferPhase } from './progress-bar.ts';

export interface DownloadRequest {
  /** The download URL with the connection's current token (a reconnect may bring another). */
  url(): Promise<URL>;
  agent: Agent;
  /** Where the file goes when complete (a free name: see file-names.ts). */
  target: string;
  file: Pick<FileRef, 'id' | 'size'>;
  onProgress(done: number, phase: TransferPhase): void;
}

export interface Downloaded {
  /** Where the file is now (another name if `target` was taken meanwhile). */
  path: string;
  /** Bytes an earlier try had kept (0: downloaded whole). */
  resumedFrom: number;
}

export const MISMATCH_WORDS = 'What arrived is not the file that was shared (its SHA-256 differs), so it was removed.';

export function downloadFile(request: DownloadRequest): Transfer<Downloaded> {
  let stopped = false;
  let inFlight: { request?: ClientRequest; response?: IncomingMessage } = {};
  const result = run(request, () => stopped, (now) => (inFlight = now)).catch(
    (error: unknown): TransferResult<Downloaded> =>
      stopped ? { ok: false, reason: 'stopped' } : { ok: false, reason: `The download stopped: ${(error as Error).message}.` },
  );
  return {
    result,
    async abort() {
      stopped = true;
      inFlight.request?.destroy();
      inFlight.response?.destroy();
    },
  };
}

async function run(
  { url, agent, target, file, onProgress }: DownloadRequest,
  stopped: () => boolean,
  track: (now: { request?: ClientRequest; response?: IncomingMessage }) => void,
): Promise<TransferResult<Downloaded>> {
  const part = `${target}${PARTIAL_SUFFIX}`;
  let kept = await sizeOf(part);
  if (kept > file.size) {
    await truncate(part, 0);
    kept = 0;
  }
  let resumedFrom = kept;
  // Twice at most: a `.part` that turns out to hold other bytes is thrown away and the file fetched whole.
  for (let attempt = 0; attempt < 2; attempt++) {
    let hash = createHash('sha256');
    if (kept > 0) await hashPrefix(hash, part, kept, (n) => onProgress(n, 'checking'));
    if (stopped()) return { ok: false, reason: 'stopped' };
    let written = kept;
    if (kept < file.size) {
      const headers = kept > 0 ? { Range: `bytes=${kept}-`, 'If-Range': `"${file.id}"` } : {};
      let request: ClientRequest | undefined;
      const response = await roomGet(await url(), agent, headers, (r) => (request = r));
      track({ ...(request && { request }), response });
      const status = response.statusCode ?? 0;
      if (status === 206 && !contentRangeStartsAt(response, kept)) {
        response.destroy();
        return { ok: false, reason: 'The host sent another part of the file than the one asked for.' };
      }
      if (status === 416) {
        // The host's file is shorter than what was kept: start again.
        response.destroy();
        await truncate(part, 0);
        kept = resumedFrom = 0;
        continue;
      }
      if (status !== 200 && status !== 206) return { ok: false, reason: await answerSentence(response) };
      if (status === 200 && kept > 0) {
        // The whole file came (If-Range did not match, or no ranges): what was kept goes.
        hash = createHash('sha256');
        kept = resumedFrom = 0;
      }
      written = kept;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          written += chunk.length;
          if (written > file.size) return done(new Error('the host sent more bytes than the file has'));
          hash.update(chunk);
          onProgress(written, 'receiving');
          done(null, chunk);
        },
      });
      await pipeline(response, counter, createWriteStream(part, { flags: kept > 0 ? 'a' : 'w' }));
    }
    if (written === file.size && hash.digest('hex') === file.id) {
      return { ok: true, path: await place(part, target), resumedFrom };
    }
    // Cut short: what came is kept, for the next try to resume.
    if (written < file.size) return { ok: false, reason: 'The connection ended before the whole file arrived.' };
    await unlink(part).catch(() => {});
    if (kept === 0) return { ok: false, reason: MISMATCH_WORDS };
    kept = resumedFrom = 0;
  }
  return { ok: false, reason: MISMATCH_WORDS };
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

async function hashPrefix(hash: Hash, path: string, bytes: number, onProgress: (n: number) => void): Promise<void> {
  let read = 0;
  for await (const chunk of createReadStream(path, { end: bytes - 1 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    read += chunk.length;
    onProgress(read);
  }
}

function contentRangeStartsAt(response: IncomingMessage, offset: number): boolean {
  const match = /^bytes (\d+)-/.exec(response.headers['content-range'] ?? '');
  return match !== null && Number(match[1]) === offset;
}

/**
 * The checked file takes its name, never replacing a file that appeared there meanwhile (a
 * hard link fails if the name exists; where links are not supported, a last check, then rename).
 */
async function place(part: string, target: string): Promise<string> {
  for (let tries = 0; tries < 5; tries++) {
    try {
      await link(part, target);
      await unlink(part);
      return target;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') {
        target = await freeTarget(dirname(target), basename(target));
        continue;
      }
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') throw error;
      const free = await freeTarget(dirname(target), basename(target));
      await rename(part, free);
      return free;
    }
  }
  throw new Error(`could not find a free name beside ${target}`);
}
