// The host's HTTP side: GET /health (what a probe or a browser reads about the room), shared
// files under /files (main/host/files/: tus uploads, downloads) and the web client's files, answered alike over plain HTTP and, with TLS, over https (both-ways.ts
// hands this server the decrypted sockets). WebSocket upgrades are the server's (server.ts).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { PROTOCOL_VERSION } from '../../common/protocol.ts';
import type { HostFiles } from './files/index.ts';
import type { OriginCheck } from './origin.ts';
import type { Room } from './room/index.ts';
import { serveStatic } from './static.ts';

export interface HttpOptions {
  room: Room;
  origins: OriginCheck;
  /** The id LAN discovery announces (TXT id), repeated in /health. */
  hostId?: string | undefined;
  /** The built web client (out/renderer); a "not built" page when absent. */
  webRoot?: string | undefined;
  /** A request whose headers take longer than this is cut off (slowloris). */
  headersTimeoutMs: number;
  /** A request outside /files not received whole in this long is cut off (default: 15 s, or more than headersTimeoutMs). */
  requestTimeoutMs?: number | undefined;
  /** The port also answers TLS (both-ways.ts): /health says so, whichever way it was asked. */
  tls?: boolean;
  /** The files service; absent: /files answers 404 like any unknown path. */
  files?: HostFiles | undefined;
}

export function createHttpServer({ room, origins, hostId, webRoot, headersTimeoutMs, requestTimeoutMs, tls = false, files }: HttpOptions): Server {
  const webClient = serveStatic(webRoot);
  const wholeRequestMs = requestTimeoutMs ?? Math.max(15_000, headersTimeoutMs + 1000);
  const http = createServer(
    {
      maxHeaderSize: 16 * 1024,
      headersTimeout: headersTimeoutMs,
      // Node's whole-request limit is server-wide, and a 2 GiB upload takes minutes: off here.
      // Every request outside /files gets its own deadline below; one under /files is cut
      // by the files service's idle timeout when it stalls. Slow headers: headersTimeout.
      requestTimeout: 0,
      // Node enforces those timeouts on this interval (30 s by default): check often enough
      // that a slow-headers client is cut off close to the timeout.
      connectionsCheckingInterval: Math.min(1000, headersTimeoutMs),
    },
    (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const filesPath = files !== undefined && (path === '/files' || path.startsWith('/files/'));
    if (!filesPath) cutIfNotReceivedIn(req, wholeRequestMs);
    if (req.method === 'GET' && path === '/health') {
      const body = JSON.stringify({
        ok: true,
        app: 'hearth',
        ...(hostId && { id: hostId }),
        room: room.name,
        version: PROTOCOL_VERSION,
        members: room.memberCount,
        passwordRequired: room.passwordRequired,
        uptime: Math.round((Date.now() - room.startedAt) / 1000),
        ...(tls && { tls: true }),
        // Only TLS joins are taken: a browser on plain http says so before anyone types.
        ...(room.encryptedOnly && { encryptedOnly: true }),
      });
      // Cross-origin readers: the desktop app's probe (app://hearth) and the allowed
      // development pages. The host's own web client is same-origin and needs no header;
      // any other page gets an answer it cannot read.
      const origin = req.headers.origin;
      const cors = origin !== undefined && origins.allowsCrossOrigin(origin) ? { 'access-control-allow-origin': origin } : {};
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        vary: 'Origin',
        ...cors,
      });
      return res.end(body);
    }
    if (files?.handle(req, res)) return;
    void webClient(req, res).then((served) => {
      if (served) return;
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Not found\n');
    });
    },
  );
  http.keepAliveTimeout = 5_000;
  http.maxHeadersCount = 64;
  return http;
}

/** A request whose body is still coming after `ms` is cut off (a slow body holds a socket for nothing). */
function cutIfNotReceivedIn(req: IncomingMessage, ms: number): void {
  if (req.complete) return;
  const timer = setTimeout(() => {
    if (!req.complete) req.socket.destroy();
  }, ms);
  timer.unref();
  // 'close' once the body is in (read, or dumped after the answer) or the socket is gone.
  req.once('close', () => clearTimeout(timer));
}
