// The baseline Hearth's file transfers are measured against: the minimal Node http server a
// tutorial writes. PUT /<name> streams the body to <dir>/<name>, GET /<name> streams it back;
// no tokens, no hashing, no resuming, nothing else.
//   node bench/plain-file-server.ts DIR   → prints {"port": N}
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('plain-file-server: give the folder to keep files in\n');
  process.exit(2);
}

const server = createServer((req, res) => {
  // A bench server still never takes a name as a path: letters, digits and '-' only.
  const name = /^\/([a-z0-9-]{1,64})$/.exec(req.url ?? '')?.[1];
  if (!name) return void res.writeHead(404).end();
  const path = join(dir, name);
  if (req.method === 'PUT') {
    pipeline(req, createWriteStream(path)).then(
      () => res.writeHead(201).end(),
      () => res.writeHead(500).end(),
    );
  } else if (req.method === 'GET') {
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      return void res.writeHead(404).end();
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': size });
    pipeline(createReadStream(path), res).catch(() => res.destroy());
  } else {
    res.writeHead(405).end();
  }
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`));
