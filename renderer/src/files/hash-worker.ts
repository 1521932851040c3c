// The dedicated worker that checks files off the page's thread (started by hash-in-worker.ts).
// Its script is served with the page's policy, whose 'wasm-unsafe-eval' lets hash-wasm
// compile; where it cannot, the worker still hashes, in JavaScript.
import { fastestSha256 } from './hashers.ts';
import { hashJobs, type HashReply, type HashRequest } from './hash-jobs.ts';

// The renderer is typed with the DOM library, not WebWorker: name the two members used.
const scope = self as unknown as {
  postMessage(reply: HashReply): void;
  onmessage: ((event: MessageEvent<HashRequest>) => void) | null;
};

const handle = hashJobs((reply) => scope.postMessage(reply), fastestSha256);
scope.onmessage = (event) => handle(event.data);
