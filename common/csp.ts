// Content Security Policies, in one place. Scripts and styles only from the app itself;
// images may be data: URLs (the QR code) and blob: URLs (a file's thumbnail in the tray,
// read from the person's own disk). What differs is where the page may connect and load
// shared images from (and, in development only, what inline code Vite needs).
//
// Scripts may compile WebAssembly ('wasm-unsafe-eval', which allows no eval() of text): a
// file's SHA-256 is computed by hash-wasm in a worker (renderer/src/files/hash-worker.ts),
// whose script comes from the app itself (worker-src 'self'). The worker's script is served
// with the same policy, and that is the one it runs under.
const SCRIPTS = "'self' 'wasm-unsafe-eval'";

function policy(sources: { scripts: string; styles: string; connect: string; images: string }): string {
  return (
    `default-src 'self'; script-src ${sources.scripts}; worker-src 'self'; style-src ${sources.styles}; img-src ${sources.images}; font-src 'self'; ` +
    `object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; connect-src ${sources.connect}`
  );
}

const DESKTOP_CONNECT = "'self' ws: wss: http: https:";
// Images shared in a room come from that room's host (GET /files/<seq>?inline=1): for the app,
// any host on the LAN, addressed by IP and port like its WebSocket.
const DESKTOP_IMAGES = "'self' data: blob: http: https:";

/** The web client served by a host: it may talk only to the host that served it. */
export const WEB_CLIENT_CSP = policy({ scripts: SCRIPTS, styles: "'self'", connect: "'self'", images: "'self' data: blob:" });

/** The desktop app: it joins rooms anywhere on the LAN. */
export const DESKTOP_CSP = policy({ scripts: SCRIPTS, styles: "'self'", connect: DESKTOP_CONNECT, images: DESKTOP_IMAGES });

/**
 * The desktop policy as `npm run dev` serves it, and only there (electron.vite.config.ts
 * applies it to the dev server's pages; builds keep DESKTOP_CSP). Vite injects each
 * stylesheet as a <style> element, hence 'unsafe-inline' styles; React's hot-reload
 * preamble is an inline script, allowed by its hash alone. The HMR WebSocket to the dev
 * server is already covered by the desktop policy's `ws:`.
 */
export function devDesktopCsp(inlineScriptHashes: readonly string[]): string {
  const scripts = [SCRIPTS, ...inlineScriptHashes.map((hash) => `'sha256-${hash}'`)].join(' ');
  return policy({ scripts, styles: "'self' 'unsafe-inline'", connect: DESKTOP_CONNECT, images: DESKTOP_IMAGES });
}

/** The text of every inline <script> (one without src) of a page, in order. */
export function inlineScripts(html: string): string[] {
  const scripts: string[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (!/\bsrc\s*=/i.test(match[1] ?? '')) scripts.push(match[2] ?? '');
  }
  return scripts;
}

/** The page with its CSP <meta> set to `policy` (a <meta> cannot carry frame-ancestors). */
export function withCspMeta(html: string, policy: string): string {
  const meta = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")/i;
  if (!meta.test(html)) throw new Error('the page has no Content-Security-Policy <meta> to replace');
  const content = policy
    .split('; ')
    .filter((directive) => !directive.startsWith('frame-ancestors'))
    .join('; ');
  return html.replace(meta, (_all, open: string, _old: string, close: string) => `${open}${content}${close}`);
}

/**
 * A dev server page with the dev policy: the hashes of its inline scripts as they will be
 * served (`sha256` gives base64 digests; common/ has no crypto of its own).
 */
export function withDevCsp(html: string, sha256: (text: string) => string): string {
  return withCspMeta(html, devDesktopCsp(inlineScripts(html).map(sha256)));
}
