// Pages come from app://hearth/, not file://: a custom scheme keeps the renderer's origin
// stable and narrow, and lets every response carry the CSP header. What may be served,
// and with which headers, is decided in main/app/app-files.ts (unit-tested).
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { APP_RESPONSE_HEADERS, resolveAppFile } from '../app/app-files.ts';

export { APP_ORIGIN } from '../app/trust.ts';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

export function serveAppProtocol(rendererDir: string): void {
  protocol.handle('app', async (request) => {
    const target = resolveAppFile(rendererDir, request.url);
    if (!('file' in target)) return new Response(target.body, { status: target.status, headers: APP_RESPONSE_HEADERS });
    const response = await net.fetch(pathToFileURL(target.file).toString());
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(APP_RESPONSE_HEADERS)) headers.set(name, value);
    return new Response(response.body, { status: response.status, headers });
  });
}
