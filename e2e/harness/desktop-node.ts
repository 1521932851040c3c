// The desktop app's main-process side as a child process, so it can run inside a network
// namespace (a test "machine") with mDNS on. It serves the built renderer on its own
// loopback and answers window.hearth calls over a Unix socket (JSON lines), which crosses
// namespaces because it lives on the filesystem.
//   node e2e/harness/desktop-node.ts --socket PATH --data DIR [--identity a|b]
// Its room presents a test identity (e2e/fixtures), which the harness's Chromium accepts.
import { createServer, type Socket } from 'node:net';
import { parseArgs } from 'node:util';
import { isInvokeChannel } from '../../common/ipc.ts';
import { AppServices } from '../../main/services/services.ts';
import { RENDERER_DIR, serveRenderer } from './desktop.ts';
import { useTestIdentity } from './test-identities.ts';

const { values } = parseArgs({ options: { socket: { type: 'string' }, data: { type: 'string' }, identity: { type: 'string', default: 'a' } } });
if (!values.socket || !values.data) throw new Error('usage: desktop-node.ts --socket PATH --data DIR [--identity a|b]');
if (values.identity !== 'a' && values.identity !== 'b') throw new Error(`desktop-node.ts: --identity is a or b, not ${values.identity}`);
useTestIdentity(values.data, values.identity);

const renderer = await serveRenderer();
// Renderer pages of every lab machine are allowed by HEARTH_ALLOWED_ORIGINS, inherited from playwright.config.ts.
const services = new AppServices({ dataDir: values.data, webRoot: RENDERER_DIR, mdns: true, defaultPort: 0 });
const clients = new Set<Socket>();
const send = (socket: Socket, message: unknown) => socket.write(`${JSON.stringify(message)}\n`);
services.on('rooms:changed', (payload) => clients.forEach((c) => send(c, { event: 'rooms:changed', payload })));
services.on('host:changed', (payload) => clients.forEach((c) => send(c, { event: 'host:changed', payload })));
services.on('dashboard:snapshot', (payload) => clients.forEach((c) => send(c, { event: 'dashboard:snapshot', payload })));
services.on('dashboard:activity', (payload) => clients.forEach((c) => send(c, { event: 'dashboard:activity', payload })));

const server = createServer((socket) => {
  clients.add(socket);
  socket.on('close', () => clients.delete(socket));
  socket.on('error', () => clients.delete(socket));
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const { id, channel, args } = JSON.parse(line) as { id: number; channel: unknown; args: unknown };
      const handler = isInvokeChannel(channel) ? (services.handlers[channel] as (a: unknown) => Promise<unknown>) : undefined;
      void (handler ? handler(args ?? null) : Promise.resolve({ ok: false, error: 'unknown call' })).then((result) => send(socket, { id, result }));
    }
  });
});
server.listen(values.socket, async () => {
  await services.start();
  process.stdout.write(`${JSON.stringify({ ready: true, rendererUrl: renderer.url })}\n`);
});

const stop = async () => {
  await services.shutdown();
  server.close();
  renderer.server.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
