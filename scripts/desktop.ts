// `npm start` (node scripts/desktop.ts preview) and `npm run dev` (… dev): electron-vite,
// once Electron's binary is on disk. On first run it is downloaded where that is possible;
// where it is not (offline, GitHub blocked), this ends within seconds with one sentence
// saying what is missing, how to get it, and what works meanwhile. Arguments after the
// mode go to electron-vite (`npm start -- --sourcemap`).
//
// For tests: HEARTH_ELECTRON_PACKAGE names another electron package folder,
// HEARTH_ELECTRON_VITE a script standing in for electron-vite's CLI, and
// HEARTH_ELECTRON_DEADLINE_MS changes how long the download server has to answer.
import { join } from 'node:path';
import { downloadBinary, electronPackage, installedBinary } from './desktop/electron-binary.ts';
import { electronViteCli, runElectronVite } from './desktop/electron-vite.ts';
import { missingElectronSentence } from './desktop/missing-electron.ts';

const COMMANDS = { preview: 'npm start', dev: 'npm run dev' } as const;
// From asking the download server to its answer. GitHub answers in about a second; this
// leaves room for a slow link, and with Node's start-up the whole attempt ends under 10 s.
const DEADLINE_MS = Number(process.env['HEARTH_ELECTRON_DEADLINE_MS'] || 5_000);

const root = join(import.meta.dirname, '..');
const [mode, ...args] = process.argv.slice(2);
if (mode !== 'preview' && mode !== 'dev') {
  console.error('usage: node scripts/desktop.ts preview|dev [electron-vite options]');
  process.exit(2);
}

// A binary named explicitly (electron-vite's own ELECTRON_EXEC_PATH) is used as it is.
let binary = process.env['ELECTRON_EXEC_PATH'];
if (!binary) {
  const pkg = electronPackage(root);
  binary = installedBinary(pkg);
  if (!binary) {
    console.log(`Downloading the Electron ${pkg.version} binary (once)…`);
    const download = await downloadBinary(pkg, DEADLINE_MS);
    if (!download.ok) {
      console.error(missingElectronSentence({ version: pkg.version, reason: download.reason, command: COMMANDS[mode] }));
      process.exit(1);
    }
    binary = download.path;
  }
}
runElectronVite(electronViteCli(root), [mode, ...args], binary);
