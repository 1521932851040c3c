// The dev-mode policy (`npm run dev`) and how a page gets it. Builds keep DESKTOP_CSP: the
// transform runs only on the dev server (electron.vite.config.ts, apply: 'serve'), and
// main/services/app-files.test.ts compares the pages' own <meta> with the app:// header.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DESKTOP_CSP, devDesktopCsp, inlineScripts, WEB_CLIENT_CSP, withCspMeta, withDevCsp } from './csp.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64');
const directive = (policy: string, name: string) => policy.split('; ').find((d) => d.startsWith(`${name} `));

// What @vitejs/plugin-react puts at the top of each page on the dev server.
const PREAMBLE = `import { injectIntoGlobalHook } from "/@react-refresh";
injectIntoGlobalHook(window);
window.$RefreshReg$ = () => {};
window.$RefreshSig$ = () => (type) => type;`;

describe('content security policies', () => {
  it('keeps scripts, workers and styles to the app itself in builds', () => {
    for (const policy of [DESKTOP_CSP, WEB_CLIENT_CSP]) {
      expect(directive(policy, 'script-src')).toBe("script-src 'self' 'wasm-unsafe-eval'");
      expect(directive(policy, 'worker-src')).toBe("worker-src 'self'");
      expect(directive(policy, 'style-src')).toBe("style-src 'self'");
    }
  });

  it('lets WebAssembly compile (the file checker, hash-wasm) and nothing else be evaluated', () => {
    // 'wasm-unsafe-eval' allows WebAssembly.compile only; eval(), new Function() and string
    // timers stay blocked, and no worker may come from a blob: or data: URL.
    for (const policy of [DESKTOP_CSP, WEB_CLIENT_CSP, devDesktopCsp([sha256(PREAMBLE)])]) {
      const scripts = directive(policy, 'script-src')!.split(' ');
      expect(scripts).toContain("'wasm-unsafe-eval'");
      expect(scripts).not.toContain("'unsafe-eval'");
      expect(scripts).not.toContain("'unsafe-inline'");
      expect(directive(policy, 'worker-src')).toBe("worker-src 'self'");
    }
  });

  it('lets the desktop app reach rooms on the LAN, encrypted (wss, https) or from before encryption (ws, http), and the web client only its host', () => {
    // LAN hosts are addressed by IP and port, so no narrower source list can name them.
    expect(directive(DESKTOP_CSP, 'connect-src')).toBe("connect-src 'self' ws: wss: http: https:");
    expect(directive(WEB_CLIENT_CSP, 'connect-src')).toBe("connect-src 'self'");
  });

  it('lets the desktop app show images shared in rooms anywhere on the LAN, the web client only from its host, and both their own previews', () => {
    // A file's inline image comes from its room's host; a tray thumbnail is a blob: of the person's own file.
    expect(directive(DESKTOP_CSP, 'img-src')).toBe("img-src 'self' data: blob: http: https:");
    expect(directive(WEB_CLIENT_CSP, 'img-src')).toBe("img-src 'self' data: blob:");
    // Nothing else loosened: no script, style, object or frame from anywhere but the app.
    for (const policy of [DESKTOP_CSP, WEB_CLIENT_CSP]) {
      expect(directive(policy, 'default-src')).toBe("default-src 'self'");
      expect(directive(policy, 'object-src')).toBe("object-src 'none'");
      expect(directive(policy, 'font-src')).toBe("font-src 'self'");
      expect(policy).not.toMatch(/blob:.*(script|style)-src|(script|style)-src[^;]*blob:/);
    }
  });

  it('lets the dev server’s injected styles and the hashed preamble run, and nothing else changes', () => {
    const dev = devDesktopCsp([sha256(PREAMBLE)]);
    expect(directive(dev, 'style-src')).toBe("style-src 'self' 'unsafe-inline'");
    expect(directive(dev, 'script-src')).toBe(`script-src 'self' 'wasm-unsafe-eval' 'sha256-${sha256(PREAMBLE)}'`);
    // No 'unsafe-inline' or 'unsafe-eval' for scripts (WebAssembly only, as built); every other directive as built.
    expect(directive(dev, 'script-src')!.replace("'wasm-unsafe-eval'", '')).not.toMatch(/unsafe/);
    const others = (policy: string) => policy.split('; ').filter((d) => !/^(script|style)-src /.test(d));
    expect(others(dev)).toEqual(others(DESKTOP_CSP));
    // Vite's HMR WebSocket (ws://localhost:5173) is within the desktop policy already.
    expect(directive(dev, 'connect-src')).toContain('ws:');
  });

  it('finds inline scripts, not those loaded by src', () => {
    const html = `<script type="module">${PREAMBLE}</script><script type="module" src="/@vite/client"></script><SCRIPT>x()</SCRIPT>`;
    expect(inlineScripts(html)).toEqual([PREAMBLE, 'x()']);
  });

  it('puts the dev policy into a real page, as the dev server serves it', () => {
    const page = readFileSync(new URL('../renderer/index.html', import.meta.url), 'utf8').replace('<head>', `<head>\n    <script type="module">${PREAMBLE}</script>`);
    const served = withDevCsp(page, sha256);
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(served)?.[1];
    // A <meta> cannot carry frame-ancestors: everything else of the dev policy.
    expect(meta).toBe(devDesktopCsp([sha256(PREAMBLE)]).replace("; frame-ancestors 'none'", ''));
    const withoutPolicy = (html: string) => html.replace(/(http-equiv="Content-Security-Policy"\s+content=")[^"]*/, '$1');
    expect(withoutPolicy(served)).toBe(withoutPolicy(page)); // only the policy changed
  });

  it('refuses a page without a policy to replace, rather than serve it with none', () => {
    expect(() => withCspMeta('<html><head></head></html>', DESKTOP_CSP)).toThrow(/no Content-Security-Policy/);
  });
});
