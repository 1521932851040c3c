// One timed file transfer, in a process of its own (bench/files.ts starts one per transfer):
// on two cores, the client's reading, framing and counting must not come out of the chat
// load generator's time, nor the other way round. Prints one line of JSON.
//   node bench/file-client.ts '<Job as JSON>'
// tus: the real tus-js-client (Node), one PATCH (chunkSize Infinity) from a file stream.
// put: Node http PUT of the same file stream: the baseline's client.
// get: Node http GET, the body streamed and discarded.
// Both uploads pass the file through one counting stream (tus-js-client's progress counter;
// the same for PUT), so the two differ only in what the server does.
import { createReadStream } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DefaultHttpStack, Upload } from 'tus-js-client';
import { TOKEN_HEADER } from '../common/files.ts';
import { pinnedTlsConnect } from '../main/discovery/identity-probe.ts';

export type Job =
  | { op: 'tus'; endpoint: string; file: string; size: number; token: string; metadata: Record<string, string>; fingerprint?: string }
  | { op: 'put'; url: string; file: string; size: number }
  | { op: 'get'; url: string; size: number; fingerprint?: string };

export interface JobResult {
  bytes: number;
  seconds: number;
  /** This client process's CPU seconds during the transfer. */
  clientCpuSeconds: number;
  /** tus: the upload's id (the last segment of its URL). */
  uploadId?: string;
}

const TIMEOUT_MS = 120_000;

/** An https agent that accepts only the pinned certificate, as `hearth join` does. */
function pinnedAgent(fingerprint: string): HttpsAgent {
  const agent = new HttpsAgent({ keepAlive: true });
  // Node's Agent uses a socket createConnection returns.
  agent.createConnection = pinnedTlsConnect(fingerprint) as never;
  return agent;
}

/** Counts the bytes that pass, as tus-js-client's progress stream does. */
function counter(): Transform & { bytes: number } {
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      stream.bytes += chunk.length;
      done(null, chunk);
    },
  }) as Transform & { bytes: number };
  stream.bytes = 0;
  return stream;
}

function tusUpload(job: Extract<Job, { op: 'tus' }>): Promise<{ bytes: number; uploadId: string }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    const upload = new Upload(createReadStream(job.file) as never, {
      endpoint: job.endpoint,
      headers: { [TOKEN_HEADER]: job.token },
      metadata: job.metadata,
      chunkSize: Infinity,
      // A bench transfer that fails is a failure, not something to retry.
      retryDelays: null,
      ...(job.fingerprint && { httpStack: new DefaultHttpStack({ agent: pinnedAgent(job.fingerprint) }) }),
      onProgress: (bytes) => (sent = bytes),
      onSuccess: () => {
        if (sent !== job.size) reject(new Error(`tus-js-client sent ${sent} bytes, not ${job.size}`));
        // A Location that left https would have sent the PATCH in clear: not what a TLS row says.
        else if (job.fingerprint && !upload.url!.startsWith('https:')) reject(new Error(`the host sent the upload to ${upload.url}, not over https`));
        else resolve({ bytes: sent, uploadId: upload.url!.split('/').pop()! });
      },
      onError: reject,
    });
    upload.start();
  });
}

function respond(req: ReturnType<typeof httpRequest>): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    req.once('response', resolve);
    req.once('error', reject);
  });
}

async function put(job: Extract<Job, { op: 'put' }>): Promise<{ bytes: number }> {
  const req = httpRequest(job.url, { method: 'PUT', headers: { 'Content-Length': job.size, 'Content-Type': 'application/octet-stream' } });
  const counted = counter();
  const answer = respond(req);
  await pipeline(createReadStream(job.file), counted, req);
  const res = await answer;
  res.resume();
  if (res.statusCode !== 201) throw new Error(`PUT answered ${res.statusCode}`);
  return { bytes: counted.bytes };
}

async function get(job: Extract<Job, { op: 'get' }>): Promise<{ bytes: number }> {
  const options = job.fingerprint ? { agent: pinnedAgent(job.fingerprint) } : {};
  const req = (job.fingerprint ? httpsRequest : httpRequest)(job.url, options);
  const answer = respond(req);
  req.end();
  const res = await answer;
  if (res.statusCode !== 200) {
    res.resume();
    throw new Error(`GET answered ${res.statusCode}`);
  }
  // Discarded as it arrives (like /dev/null, without a write call per chunk): what is timed is the server.
  const counted = counter();
  await pipeline(res, counted, new Writable({ write: (_chunk, _encoding, done) => done() }));
  if (counted.bytes !== job.size) throw new Error(`GET gave ${counted.bytes} bytes, not ${job.size}`);
  return { bytes: counted.bytes };
}

async function run(job: Job): Promise<JobResult> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const done = job.op === 'tus' ? await tusUpload(job) : job.op === 'put' ? await put(job) : await get(job);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { ...done, seconds, clientCpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

const timer = setTimeout(() => {
  process.stderr.write(`file-client: no answer in ${TIMEOUT_MS / 1000} s\n`);
  process.exit(1);
}, TIMEOUT_MS);
run(JSON.parse(process.argv[2] ?? '{}') as Job).then(
  (result) => {
    clearTimeout(timer);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`file-client: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
