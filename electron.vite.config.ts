// Builds the three Electron targets from their folders (docs/architecture.md): main/, preload/,
// renderer/. The host, discovery and CLI code in main/ is bundled into the main process
// here, and also runs unbundled under plain Node (bin/hearth.js) for the headless CLI.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { withDevCsp } from './common/csp.ts';

/**
 * `npm run dev` only (apply: 'serve'): the pages' CSP <meta> becomes the dev policy
 * (common/csp.ts), which lets Vite's injected <style> tags and React's hot-reload
 * preamble run. A build never runs this: its pages keep the strict policy, which
 * main/services/app-files.test.ts compares with the header app:// sends.
 */
export function devCspPlugin(): Plugin {
  return {
    name: 'hearth:dev-csp',
    apply: 'serve',
    // After every other plugin has injected its tags, so each inline script is hashed as served.
    transformIndexHtml: { order: 'post', handler: (html) => withDevCsp(html, (text) => createHash('sha256').update(text).digest('base64')) },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve('main/index.ts'), cli: resolve('main/cli/run.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload must be one CommonJS file with nothing to require.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    // Relative asset URLs: the same build is served from app://hearth/ and http://host:port/.
    base: './',
    plugins: [react(), devCspPlugin()],
    build: {
      outDir: resolve('out/renderer'),
      // Phones load the web client over Wi-Fi: ship it minified.
      minify: true,
      rollupOptions: { input: { index: resolve('renderer/index.html'), dashboard: resolve('renderer/dashboard.html') } },
    },
  },
});
