// The web client, served by the host to anyone on the LAN with a browser. Files come only
// from inside the web root (no traversal, encoded or not), with a strict CSP.
import { readFile, realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { WEB_CLIENT_CSP } from '../../common/csp.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Hearth</title>
<body style="font-family:system-ui;max-width:32rem;margin:4rem auto;line-height:1.5">
<h1>This is a Hearth room</h1><p>The web client is not built on this host. Join with the Hearth app,
or run <code>npm run build</code> on the host and reload.</p></body></html>`;

export type StaticHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** Serve GET/HEAD requests from `root`; resolves false when the request is not ours. */
export function serveStatic(root: string | undefined, csp: string = WEB_CLIENT_CSP): StaticHandler {
  const base = root ? resolve(root) : undefined;
  const headers = { ...SECURITY_HEADERS, 'content-security-policy': csp };
  const send = (res: ServerResponse, req: IncomingMessage, status: number, type: string, body: string | Buffer, cache = 'no-cache'): true => {
    res.writeHead(status, { ...headers, 'content-type': type, 'cache-control': cache, 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const rawPath = (req.url ?? '/').split('?')[0]!.split('#')[0]!;
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      return send(res, req, 400, 'text/plain; charset=utf-8', 'Bad request\n');
    }
    if (path.includes('\0') || path.includes('\\') || path.split('/').includes('..')) {
      return send(res, req, 400, 'text/plain; charset=utf-8', 'Bad request\n');
    }
    if (path === '/' || path === '/index.html') {
      if (!base) return send(res, req, 200, TYPES['.html']!, NOT_BUILT);
      path = '/index.html';
    }
    if (!base) return false;
    const file = resolve(join(base, path));
    if (!file.startsWith(base + sep)) return send(res, req, 400, 'text/plain; charset=utf-8', 'Bad request\n');
    try {
      const real = await realpath(file);
      const realBase = await realpath(base);
      if (!real.startsWith(realBase + sep)) return false; // a symlink pointing out of the root
      if (!(await stat(real)).isFile()) return false;
      const body = await readFile(real);
      const type = TYPES[extname(real)] ?? 'application/octet-stream';
      const cache = path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
      return send(res, req, 200, type, body, cache);
    } catch {
      return false;
    }
  };
}
