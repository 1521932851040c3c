// The process boundaries are enforced by ESLint (eslint.config.js). These tests feed the
// linter code that crosses a boundary and check that it is refused, so the rule cannot
// silently stop working.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function restrictedImportsIn(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals')
    .map((m) => m.message);
}

describe('process boundaries', () => {
  it('keeps electron out of everything but main/electron and main/index.ts', async () => {
    const code = "import { app } from 'electron';\nexport const x = app;\n";
    for (const file of ['main/host/x.ts', 'main/discovery/x.ts', 'main/cli/x.ts', 'common/x.ts', 'renderer/src/x.ts']) {
      expect(await restrictedImportsIn(file, code), file).toEqual([expect.stringMatching(/electron/)]);
    }
    expect(await restrictedImportsIn('main/electron/x.ts', code)).toEqual([]);
    expect(await restrictedImportsIn('main/index.ts', code)).toEqual([]);
  });

  it('keeps Node and the DOM out of common/', async () => {
    expect(await restrictedImportsIn('common/x.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).toHaveLength(1);
    expect(await restrictedImportsIn('common/x.ts', "import os from 'os';\nexport const x = os;\n")).toHaveLength(1);
    expect(await restrictedImportsIn('common/x.ts', 'export const x = process.env;\n')).toHaveLength(1);
    expect(await restrictedImportsIn('common/x.ts', 'export const x = document.title;\n')).toHaveLength(1);
    expect(await restrictedImportsIn('common/x.ts', "import * as v from 'valibot';\nexport const x = v;\n")).toEqual([]);
  });

  it('keeps Node out of the renderer and npm packages out of the preload', async () => {
    expect(await restrictedImportsIn('renderer/src/x.ts', "import fs from 'node:fs';\nexport const x = fs;\n")).toHaveLength(1);
    expect(await restrictedImportsIn('preload/x.ts', "import * as v from 'valibot';\nexport const x = v;\n")).toHaveLength(1);
    expect(await restrictedImportsIn('preload/x.ts', "import { ipcRenderer } from 'electron';\nimport { y } from '../common/ipc.ts';\nexport const x = [ipcRenderer, y];\n")).toEqual([]);
  });

  it('keeps window.hearth inside the renderer bridge', async () => {
    const [outside] = await eslint.lintText('export const x = window.hearth;\n', { filePath: 'renderer/src/lobby/x.ts' });
    expect(outside?.messages.map((m) => m.ruleId)).toEqual(['no-restricted-syntax']);
    const [inside] = await eslint.lintText('export const x = window.hearth;\n', { filePath: 'renderer/src/bridge/x.ts' });
    expect(inside?.messages).toEqual([]);
  });

  it('keeps each layer inside main/ from importing the layers above it', async () => {
    const importing = (path: string) => `import { x } from '${path}';\nexport const y = x;\n`;
    const refused = [
      ['main/host/x.ts', '../discovery/browse.ts'],
      ['main/host/room/x.ts', '../../cli/join-command.ts'],
      ['main/host/x.ts', '../electron/ipc.ts'],
      ['main/discovery/x.ts', '../host/server.ts'],
      ['main/network-check/x.ts', '../services/services.ts'],
      ['main/hosting/x.ts', '../cli/host-command.ts'],
      ['main/cli/x.ts', '../services/settings.ts'],
      ['main/services/x.ts', '../cli/join-command.ts'],
    ];
    for (const [file, path] of refused) {
      expect(await restrictedImportsIn(file!, importing(path!)), `${file} → ${path}`).toEqual([expect.stringMatching(/may not import from/)]);
    }
    const allowed = [
      ['main/host/room/x.ts', '../store/index.ts'],
      ['main/host/x.ts', '../../common/protocol.ts'],
      ['main/network-check/x.ts', '../discovery/addresses.ts'],
      ['main/hosting/x.ts', '../host/server.ts'],
      ['main/cli/x.ts', '../hosting/session.ts'],
      ['main/services/x.ts', '../network-check/network-check.ts'],
      ['main/electron/x.ts', '../services/services.ts'],
    ];
    for (const [file, path] of allowed) expect(await restrictedImportsIn(file!, importing(path!)), `${file} → ${path}`).toEqual([]);
    expect(await restrictedImportsIn('main/host/room/x.ts', importing('../../../common/ipc.ts')), 'host → common/ipc.ts').toEqual([expect.stringMatching(/desktop IPC contract/)]);
    expect(await restrictedImportsIn('main/services/x.ts', importing('../../common/ipc.ts'))).toEqual([]);
    // A test may reach across layers for its fixtures.
    expect(await restrictedImportsIn('main/network-check/x.test.ts', importing('../services/services.ts'))).toEqual([]);
    // The layer rules keep the electron rule.
    expect(await restrictedImportsIn('main/services/x.ts', "import { app } from 'electron';\nexport const x = app;\n")).toEqual([expect.stringMatching(/electron/)]);
  });
});
