// `node --import test/desktop/support/electron-loader.ts out/main/index.js`: runs the built
// main bundle with `electron` mapped to the recording stub (electron-stub.ts). Module hooks
// (node:module registerHooks, in this thread) do two things:
//   - `electron` resolves to a module exporting every name Electron's main process exports
//     (read from Electron's own typings), each the stub's implementation or a recorder;
//   - the entry module gets one line appended that tells the stub it has evaluated, so
//     app.whenReady() can resolve after the module's top level ran, as in Electron.
import { readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EVALUATED_HOOK } from './stub-protocol.ts';

const ELECTRON_URL = 'hearth-test:electron';
const stubUrl = new URL('./electron-stub.ts', import.meta.url).href;
const root = fileURLToPath(new URL('../../../', import.meta.url));
const entry = process.argv[1] ? pathToFileURL(resolve(process.argv[1])).href : undefined;

/** The names `import … from 'electron'` offers in the main process (namespaces Common and Main of electron.d.ts). */
function electronNames(): string[] {
  const typings = readFileSync(join(root, 'node_modules', 'electron', 'electron.d.ts'), 'utf8');
  const names = new Set<string>();
  for (const namespace of ['Common', 'Main']) {
    const start = typings.indexOf(`\n  namespace ${namespace} {`);
    if (start < 0) throw new Error(`electron-loader: no namespace ${namespace} in electron.d.ts`);
    const end = typings.indexOf('\n  }', start);
    for (const match of typings.slice(start, end).matchAll(/^ {4}(?:const|class) (\w+)/gm)) names.add(match[1]!);
  }
  return [...names].sort();
}

function electronModule(): string {
  const names = electronNames();
  return [
    `import { electronExport } from ${JSON.stringify(stubUrl)};`,
    ...names.map((name) => `export const ${name} = electronExport(${JSON.stringify(name)});`),
    `export default { ${names.join(', ')} };`,
  ].join('\n');
}

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'electron' || specifier === 'electron/main' || specifier === 'electron/common') return { url: ELECTRON_URL, shortCircuit: true };
    return nextResolve(specifier, context);
  },
  load(url, context, nextLoad) {
    if (url === ELECTRON_URL) return { format: 'module', source: electronModule(), shortCircuit: true };
    const loaded = nextLoad(url, context);
    if (url !== entry || loaded.source === undefined || loaded.source === null) return loaded;
    const source = typeof loaded.source === 'string' ? loaded.source : Buffer.from(loaded.source as Uint8Array).toString('utf8');
    return { ...loaded, source: `${source}\n;globalThis[${JSON.stringify(EVALUATED_HOOK)}]?.();\n` };
  },
});
