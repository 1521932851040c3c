// Builds the three Electron targets from the folders DESIGN.md names: main/, preload/,
// renderer/. The host, discovery and CLI code in main/ is bundled into the main process
// here, and also runs unbundled under plain Node (bin/hearth.js) for the headless CLI.
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

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
    plugins: [react()],
    build: {
      outDir: resolve('out/renderer'),
      // Phones load the web client over Wi-Fi: ship it minified.
      minify: true,
      rollupOptions: { input: { index: resolve('renderer/index.html'), dashboard: resolve('renderer/dashboard.html') } },
    },
  },
});
