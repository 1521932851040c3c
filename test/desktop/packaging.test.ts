// What the installer really ships, built offline: `electron-builder --dir` against a stand-in
// Electron distribution (a placeholder `electron` executable carrying Electron's fuse wire,
// so electron-builder flips the fuses on it as it would on the real binary). The app.asar it
// produces is extracted and run under Node 24: the packaged CLI hosts a room people join and
// chat in, and the packaged main bundle loads — with nothing but the asar's node_modules.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { HostingInfo, Result } from '../../common/ipc.ts';
import { FrameClient, tempDir } from '../support/host.ts';
import { BundleProcess, ROOT, requireBuild, unknownApiMessage, within } from './support/bundle.ts';

// electron-builder's own helpers (its dependencies, not ours).
const builderRequire = createRequire(join(ROOT, 'node_modules', 'app-builder-lib', 'package.json'));
const asar = builderRequire('@electron/asar') as {
  extractAll(archive: string, dest: string): void;
  listPackage(archive: string, options?: { isPack: boolean }): string[];
};
const fuses = builderRequire('@electron/fuses') as {
  FuseV1Options: Record<string, number | string>;
  getCurrentFuseWire(path: string): Promise<Record<string, number | string>>;
};
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron's fuse wire as shipped (V1, eight fuses: RunAsNode on, cookie encryption off,
// NODE_OPTIONS on, inspect arguments on, asar integrity off, only-asar off, browser V8
// snapshot off, file:// extra privileges on).
const ELECTRON_DEFAULT_WIRE = '10110001';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const builderConfig = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as {
  electronFuses?: Record<string, boolean>;
  linux?: { executableName?: string };
};

/** A stand-in for Electron's linux distribution: only what electron-builder touches. */
function standInElectron(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const executable = join(dir, 'electron');
  const script = '#!/bin/sh\necho "a stand-in for Electron (packaging test): there is no binary here" >&2\nexit 1\n';
  writeFileSync(executable, Buffer.concat([Buffer.from(`${script}# `), Buffer.from(FUSE_SENTINEL), Buffer.from([1, ELECTRON_DEFAULT_WIRE.length]), Buffer.from(ELECTRON_DEFAULT_WIRE), Buffer.from('\n')]));
  chmodSync(executable, 0o755);
}

function run(command: string, args: string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false', ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} took over ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('electron-builder --dir, offline, against a stand-in Electron', { timeout: 60_000 }, () => {
  const work = tempDir('hearth-package-');
  let appOutDir: string;
  let asarFile: string;
  let extracted: string;
  let entries: string[];

  beforeAll(async () => {
    requireBuild();
    const dist = join(work.path, 'electron-dist');
    standInElectron(dist);
    const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
    const built = await run(
      process.execPath,
      [join(ROOT, 'node_modules', 'electron-builder', 'cli.js'), '--dir', '--linux', `--${arch}`, `-c.electronDist=${dist}`, `-c.directories.output=${join(work.path, 'out')}`],
      90_000,
    );
    if (built.code !== 0) throw new Error(`electron-builder failed (${built.code}):\n${built.output}`);
    const unpacked = readdirSync(join(work.path, 'out')).find((name) => /^linux-(.+-)?unpacked$/.test(name));
    if (!unpacked) throw new Error(`no linux-unpacked folder in ${join(work.path, 'out')}:\n${built.output}`);
    appOutDir = join(work.path, 'out', unpacked);
    asarFile = join(appOutDir, 'resources', 'app.asar');
    entries = asar.listPackage(asarFile).map((entry) => entry.replaceAll('\\', '/'));
    extracted = join(work.path, 'app');
    asar.extractAll(asarFile, extracted);
  }, 120_000);

  afterAll(() => work.remove());

  it('puts the app in resources/app.asar next to the renamed executable, without Electron’s default app', () => {
    const executable = builderConfig.linux?.executableName ?? 'hearth';
    expect(existsSync(join(appOutDir, executable)), `${executable} in ${appOutDir}`).toBe(true);
    expect(existsSync(asarFile)).toBe(true);
    expect(existsSync(join(appOutDir, 'resources', 'default_app.asar'))).toBe(false);
  });

  it('flips every fuse electron-builder.yml sets, on the executable it ships', async () => {
    const configured = builderConfig.electronFuses ?? {};
    // The promises docs/security.md makes: not a Node runtime, no NODE_OPTIONS, no inspector, only its own checked asar.
    expect(configured).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
    const wire = await fuses.getCurrentFuseWire(join(appOutDir, builderConfig.linux?.executableName ?? 'hearth'));
    for (const [option, enabled] of Object.entries(configured)) {
      const name = option.charAt(0).toUpperCase() + option.slice(1);
      const index = fuses.FuseV1Options[name];
      expect(typeof index, `@electron/fuses knows no fuse ${name}`).toBe('number');
      expect(wire[index as number], option).toBe((enabled ? '1' : '0').charCodeAt(0));
    }
  });

  it('holds the build output and the production dependencies, and no development ones', () => {
    for (const file of ['/package.json', '/out/main/index.js', '/out/main/cli.js', '/out/preload/index.cjs', '/out/renderer/index.html', '/out/renderer/dashboard.html']) {
      expect(entries, file).toContain(file);
    }
    for (const name of Object.keys(pkg.dependencies)) expect(entries, `dependency ${name}`).toContain(`/node_modules/${name}/package.json`);
    const shipped = new Set(entries.map((e) => /^\/node_modules\/((?:@[^/]+\/)?[^/]+)\/package\.json$/.exec(e)?.[1]).filter(Boolean));
    const dev = Object.keys(pkg.devDependencies).filter((name) => shipped.has(name));
    expect(dev, 'development dependencies in the installer').toEqual([]);
    expect(entries.filter((e) => e.endsWith('.map')), 'source maps in the installer').toEqual([]);
    expect(entries.filter((e) => e.startsWith('/main/') || e.startsWith('/renderer/src/') || e.startsWith('/test/')), 'sources in the installer').toEqual([]);
  });

  it('runs nothing from outside the extracted tree', () => {
    // Node looks for packages in every ancestor's node_modules: there must be none, so the
    // runs below can only use what the asar carries.
    for (let dir = dirname(extracted); ; dir = dirname(dir)) {
      expect(existsSync(join(dir, 'node_modules')), `${dir}/node_modules exists`).toBe(false);
      if (dirname(dir) === dir) break;
    }
  });

  it('the packaged CLI hosts a room from the extracted tree: /health, the web client, people join and chat, goodbye', async () => {
    const env = { NODE_PATH: '', NODE_OPTIONS: '', HEARTH_MDNS_ONLY: '10.231.' };
    const packaged = spawn(
      process.execPath,
      [join(extracted, 'out', 'main', 'cli.js'), 'host', '--no-mdns', '--port', '0', '--bind', '127.0.0.1', '--data', join(work.path, 'data'), '--room', 'Packaged room'],
      { cwd: extracted, env: { ...process.env, ...env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const lines: string[] = [];
    packaged.stdout.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.split('\n')));
    packaged.stderr.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.split('\n')));
    const exited = new Promise<number | null>((resolve) => packaged.once('exit', resolve));
    const clients: FrameClient[] = [];
    try {
      const port = await within(
        (async () => {
          for (;;) {
            const line = lines.find((l) => /On this machine: http:\/\/127\.0\.0\.1:(\d+)\//.test(l));
            if (line) return Number(/:(\d+)\//.exec(line)![1]);
            if (packaged.exitCode !== null) throw new Error(`the packaged CLI ended (${packaged.exitCode}):\n${lines.join('\n')}`);
            await new Promise((r) => setTimeout(r, 20));
          }
        })(),
        15_000,
        'the packaged CLI to host',
      );
      const health = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(5000) });
      expect(await health.json()).toMatchObject({ ok: true, app: 'hearth', room: 'Packaged room' });
      const page = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5000) });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);

      const url = `ws://127.0.0.1:${port}/ws`;
      const alice = await FrameClient.join(url, 'Alice');
      clients.push(alice);
      const bob = await FrameClient.join(url, 'Bob');
      clients.push(bob);
      alice.send({ type: 'chat', id: 'packaged-1', text: 'Hello from the installer' });
      expect((await bob.next('message')).message.text).toBe('Hello from the installer');

      packaged.kill('SIGTERM');
      expect(await within(exited, 10_000, 'the packaged CLI to stop')).toBe(0);
      expect(await bob.waitClosed(5000)).toEqual({ code: 1001, reason: 'host stopped' });
    } finally {
      for (const client of clients) client.close();
      if (packaged.exitCode === null) packaged.kill('SIGKILL');
    }
  });

  it('the packaged main bundle loads its dependencies from the installer and hosts', async () => {
    const bundle = await BundleProcess.launch({ entry: join(extracted, 'out', 'main', 'index.js'), packaged: true });
    try {
      const state = await bundle.readyAndOpen();
      expect(state.windows[0]?.loads[0]).toMatchObject({ url: 'app://hearth/index.html', status: 200 });
      const preload = (state.windows[0]?.options['webPreferences'] as { preload?: string } | undefined)?.preload;
      expect(preload?.startsWith(extracted) && existsSync(preload), `preload ${preload}`).toBe(true);
      const result = await bundle.invoke<Result<HostingInfo>>('host:start', { room: 'Installed room', port: 0 });
      if (!result.ok) throw new Error(`host:start failed: ${result.error}`);
      const health = await fetch(`http://127.0.0.1:${result.value.port}/health`, { signal: AbortSignal.timeout(5000) });
      expect(health.status).toBe(200);
      expect(bundle.unknownApis, unknownApiMessage(bundle.unknownApis)).toEqual([]);
    } finally {
      await bundle.stop();
    }
  });
});
