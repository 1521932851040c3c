// Pages come from app://hearth/, not file://: a custom scheme keeps the renderer's origin
// stable and narrow, and lets every response carry the CSP header. What may be served,
// and with which headers, is decided in main/services/app-files.ts (unit-tested).
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { APP_RESPONSE_HEADERS, locateAppFile } from '../services/app-files.ts';

export { APP_ORIGIN } from '../services/trust.ts';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

export function serveAppProtocol(rendererDir: string): void {
  protocol.handle('app', async (request) => {
    const target = await locateAppFile(rendererDir, request.url);
    if (!('file' in target)) return answer(target.status, target.body);
    try {
      const response = await net.fetch(pathToFileURL(target.file).toString());
      const headers = new Headers(response.headers);
      for (const [name, value] of Object.entries(APP_RESPONSE_HEADERS)) headers.set(name, value);
      return new Response(response.body, { status: response.status, headers });
    } catch {
      // Gone between the check and the read (an update replacing files): still an answer.
      return answer(404, 'Not found');
    }
  });
}

function answer(status: number, body: string): Response {
  return new Response(body, { status, headers: { ...APP_RESPONSE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}
