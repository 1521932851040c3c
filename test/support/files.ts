// Helpers for tests of shared files against a real host: uploads with the real tus-js-client
// (Node), plain HTTP requests for the cases a well-behaved client never makes, and the
// `share` that turns an upload into a message.
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import * as tus from 'tus-js-client';
import { TOKEN_HEADER, UPLOAD_PATH } from '../../common/files.ts';
import type { ChatMessage } from '../../common/protocol.ts';
import type { FrameClient } from './host.ts';

export const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

export interface TusOptions {
  name?: string;
  type?: string;
  /** Sent as the file's hash; the real one by default. */
  hash?: string;
  /** The upload token (welcome.files.token), read before each request (a restarted host gives a new one). */
  token: () => string;
  chunkSize?: number;
  retryDelays?: number[];
  onProgress?: (sent: number, total: number) => void;
  /** Lets a test keep the Upload to abort it. */
  onStart?: (upload: tus.Upload) => void;
  /** Resume this upload (its URL) instead of creating one. */
  uploadUrl?: string;
  /** Reads the file (tus-js-client's fileReader option): a throttled one lets a test stop the host mid-way. */
  fileReader?: tus.UploadOptions['fileReader'];
}

export interface TusFailure {
  status: number | undefined;
  body: string | undefined;
  message: string;
}

/** Upload with tus-js-client: resolves with the upload id, or rejects with the host's answer. */
export function tusUpload(origin: string, file: Buffer | NodeJS.ReadableStream, options: TusOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const upload = new tus.Upload(file as Buffer, {
      endpoint: `${origin}${UPLOAD_PATH}`,
      metadata: {
        name: options.name ?? 'file.bin',
        type: options.type ?? 'application/octet-stream',
        sha256: options.hash ?? (Buffer.isBuffer(file) ? sha256(file) : ''),
      },
      ...(options.chunkSize !== undefined && { chunkSize: options.chunkSize }),
      ...(options.uploadUrl !== undefined && { uploadUrl: options.uploadUrl }),
      ...(options.fileReader !== undefined && { fileReader: options.fileReader }),
      retryDelays: options.retryDelays ?? [],
      storeFingerprintForResuming: false,
      onBeforeRequest: (req) => req.setHeader(TOKEN_HEADER, options.token()),
      ...(options.onProgress && { onProgress: options.onProgress }),
      onError: (error) => {
        const detailed = error as tus.DetailedError;
        reject({ status: detailed.originalResponse?.getStatus(), body: detailed.originalResponse?.getBody(), message: error.message } satisfies TusFailure);
      },
      onSuccess: () => resolve(upload.url!.split('/').pop()!),
    });
    options.onStart?.(upload);
    upload.start();
  });
}

/**
 * tus-js-client's fileReader for a file on disk that gives at most `bytesPerSecond`: a
 * transfer a test can interrupt mid-way on a loopback that would otherwise finish at once.
 */
export function throttledFile(path: string, bytesPerSecond: number): NonNullable<tus.UploadOptions['fileReader']> {
  return {
    openFile: () =>
      Promise.resolve({
        size: statSync(path).size,
        slice: (start: number, end: number) => {
          const size = statSync(path).size;
          const stream = Readable.from(
            (async function* () {
              const step = 64 * 1024;
              for await (const chunk of createReadStream(path, { start, end: Math.min(end, size) - 1, highWaterMark: step })) {
                yield chunk as Buffer;
                await new Promise((r) => setTimeout(r, (step / bytesPerSecond) * 1000));
              }
            })(),
          );
          return Promise.resolve({ value: Object.assign(stream, { size: Math.min(end, size) - start }), done: end >= size });
        },
        close: () => {},
      }),
  };
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One HTTP request on its own connection; the whole answer. */
export function http(method: string, url: string, headers: Record<string, string> = {}, body?: Buffer | string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { connection: 'close', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** tus headers for a hand-made creation request. */
export function creationHeaders(token: string, length: number | string, metadata: Record<string, string> | string): Record<string, string> {
  const encoded = typeof metadata === 'string' ? metadata : Object.entries(metadata).map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`).join(',');
  return { 'tus-resumable': '1.0.0', 'upload-length': String(length), 'upload-metadata': encoded, [TOKEN_HEADER]: token };
}

let shareCount = 0;

/** Share an upload (optionally privately) and return the message the sender got back. */
export async function share(client: FrameClient, upload: string, extra: { text?: string; to?: string } = {}): Promise<ChatMessage> {
  const id = `share-${++shareCount}`;
  client.send({ type: 'share', id, upload, ...extra });
  const reply = await client.take(
    (f): f is Extract<typeof f, { type: 'message' } | { type: 'error' }> => (f.type === 'message' && f.message.id === id) || (f.type === 'error' && f.ref.id === id),
    5000,
    `the shared message ${id}`,
  );
  if (reply.type === 'error') throw new Error(`share refused: ${reply.code} ${reply.message}`);
  return reply.message;
}
