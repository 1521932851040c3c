// The renderer's half of `npm run dev`, without Electron: electron-vite resolves the project's
// config (electron.vite.config.ts) for 'serve' exactly as `electron-vite dev` does, and the
// renderer's Vite dev server starts from it; electron-vite would then launch Electron, which
// cannot be downloaded here. Loopback only. Prints {"url": …} once listening.
//   node test/desktop/support/renderer-dev-server.ts <port>
import { fileURLToPath } from 'node:url';
import { resolveConfig } from 'electron-vite';
import { createServer, mergeConfig } from 'vite';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) throw new Error('usage: renderer-dev-server.ts <port>');
const root = fileURLToPath(new URL('../../../', import.meta.url));
process.chdir(root);

// As electron-vite's createServer does before resolving.
process.env['NODE_ENV_ELECTRON_VITE'] = 'development';
const resolved = await resolveConfig({ root, logLevel: 'warn' }, 'serve', 'development');
const renderer = resolved.config?.renderer;
if (!renderer) throw new Error('electron.vite.config.ts has no renderer config');
const server = await createServer(mergeConfig(renderer, { clearScreen: false, logLevel: 'warn', server: { host: '127.0.0.1', port, strictPort: true, open: false } }));
await server.listen();
process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);

const stop = () => void server.close().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The test is gone: so is the server.
process.stdin.on('end', stop);
process.stdin.resume();
