// Checking files in the hashing worker (hash-worker.ts): the page's thread only hears the
// progress. One worker serves every file being checked and ends when none is left. If it
// cannot start (no Worker here, a policy that forbids it) or dies, its files are rejected
// with WorkerUnavailable, and hash.ts checks them on the page instead.
import type { HashReply, HashRequest } from './hash-jobs.ts';
import { HashAborted } from './hash-slices.ts';

export class WorkerUnavailable extends Error {
  constructor() {
    super('Files cannot be checked in a worker here.');
    this.name = 'WorkerUnavailable';
  }
}

/** One worker, as the jobs see it. */
export interface HashChannel {
  send(request: HashRequest): void;
  /** No job is left: let the worker go. */
  close(): void;
}

/** Starts a worker (or throws); `onBroken` when it fails to load or dies. */
export type OpenHashChannel = (onReply: (reply: HashReply) => void, onBroken: () => void) => HashChannel;

export const openHashWorker: OpenHashChannel = (onReply, onBroken) => {
  const worker = new Worker(new URL('./hash-worker.ts', import.meta.url), { type: 'module', name: 'hearth-file-check' });
  worker.onmessage = (event: MessageEvent<HashReply>) => onReply(event.data);
  worker.onerror = (event) => {
    event.preventDefault(); // handled: the files are checked on the page instead
    onBroken();
  };
  worker.onmessageerror = () => onBroken();
  return { send: (request) => worker.postMessage(request), close: () => worker.terminate() };
};

export interface WorkerHashOptions {
  signal?: AbortSignal;
  onProgress?: (done: number) => void;
  sliceBytes?: number;
}

interface Job {
  onProgress?: (done: number) => void;
  resolve(sha256: string): void;
  reject(error: Error): void;
}

/** A function that hashes a file in a worker; after the first failure to start one, it stops trying. */
export function workerHasher(open: OpenHashChannel = openHashWorker): (file: Blob, options?: WorkerHashOptions) => Promise<string> {
  let channel: HashChannel | undefined;
  let broken = false;
  let nextId = 1;
  const jobs = new Map<number, Job>();

  const finish = (id: number) => {
    jobs.delete(id);
    if (jobs.size > 0 || !channel) return;
    channel.close();
    channel = undefined;
  };
  const onReply = (reply: HashReply) => {
    const job = jobs.get(reply.id);
    if (!job) return; // cancelled meanwhile
    if (reply.type === 'progress') return job.onProgress?.(reply.done);
    finish(reply.id);
    if (reply.type === 'done') job.resolve(reply.sha256);
    else job.reject(new Error(reply.message));
  };
  const onBroken = () => {
    broken = true;
    channel?.close();
    channel = undefined;
    const stranded = [...jobs.values()];
    jobs.clear();
    for (const job of stranded) job.reject(new WorkerUnavailable());
  };

  return (file, options = {}) => {
    if (options.signal?.aborted) return Promise.reject(new HashAborted());
    if (broken) return Promise.reject(new WorkerUnavailable());
    try {
      channel ??= open(onReply, onBroken);
    } catch {
      broken = true;
      return Promise.reject(new WorkerUnavailable());
    }
    const id = nextId++;
    const { signal } = options;
    return new Promise<string>((resolve, reject) => {
      const onAbort = () => {
        if (!jobs.has(id)) return;
        channel?.send({ type: 'cancel', id });
        finish(id);
        reject(new HashAborted());
      };
      const settled = <T>(then: (value: T) => void) => (value: T) => {
        signal?.removeEventListener('abort', onAbort);
        then(value);
      };
      jobs.set(id, { onProgress: options.onProgress, resolve: settled(resolve), reject: settled(reject) });
      signal?.addEventListener('abort', onAbort, { once: true });
      channel!.send({ type: 'hash', id, file, sliceBytes: options.sliceBytes });
    });
  };
}
