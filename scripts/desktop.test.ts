// `npm start` / `npm run dev` (scripts/desktop.ts) as a person meets them: with no Electron
// binary and no way to download it, they end in seconds with one sentence; where it can be
// downloaded, they fetch it once and go on to electron-vite. Nothing leaves loopback: the
// download mirror is a local port (closed, silent, or a small server), the electron package
// is a temporary copy, and electron-vite is a stub that reports what it was given.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const launcher = join(root, 'scripts/desktop.ts');
const electron = dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json'));
const { version } = JSON.parse(readFileSync(join(electron, 'package.json'), 'utf8')) as { version: string };

let work: string;
let servers: Server[];
let launched: ChildProcess[];
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'hearth-desktop-'));
  servers = [];
  launched = [];
});
afterEach(() => {
  // A launcher that failed its test may have left the installer or the stub running.
  for (const child of launched) if (child.pid) killGroup(child.pid);
  for (const server of servers) server.close();
  rmSync(work, { recursive: true, force: true });
});

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the launcher the way `npm start` does, with only the settings a test gives it. */
function launch(mode: string, args: string[], env: Record<string, string>, onStdout?: (text: string, kill: () => void) => void): Promise<Run> {
  const started = performance.now();
  // Its own process group, so whatever it starts can be cleaned up with it.
  const child = spawn(process.execPath, [launcher, mode, ...args], { env: { ...quietEnv(), ...env }, detached: true });
  launched.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    onStdout?.(stdout, () => child.kill('SIGTERM'));
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => {
    const done = (code: number | null) => resolve({ code, stdout, stderr, ms: performance.now() - started });
    child.on('close', done);
    // Something it started may hold its output open after it has gone: do not wait for that.
    child.on('exit', (code) => setTimeout(() => done(code), 500));
  });
}

/** This environment without anything that could send a download elsewhere than asked. */
function quietEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || /^(electron_|npm_config_electron|npm_package_config_electron|node_use_env_proxy|.*_proxy$)/i.test(key)) continue;
    env[key] = value;
  }
  return env;
}

/** A copy of the electron package without its binary: its real installer, our checksums. */
function electronPackageCopy(checksums?: Record<string, string>): Record<string, string> {
  const dir = join(work, 'electron');
  mkdirSync(dir);
  for (const file of ['package.json', 'install.js', 'checksums.json']) cpSync(join(electron, file), join(dir, file));
  if (checksums) writeFileSync(join(dir, 'checksums.json'), JSON.stringify(checksums));
  // The installer's own dependencies, from wherever npm put them for the real package.
  const from = createRequire(join(electron, 'package.json'));
  const nodePath = ['@electron/get', '@electron-internal/extract-zip'].map((name) => from.resolve(name).replace(/(.*[\\/]node_modules)[\\/].*/, '$1'));
  return {
    HEARTH_ELECTRON_PACKAGE: dir,
    NODE_PATH: [...new Set(nodePath)].join(delimiter),
    electron_config_cache: join(work, 'cache'),
  };
}

/** An electron package whose binary is on disk already: path.txt and a placeholder. */
function installedElectron(): { env: Record<string, string>; binary: string } {
  const dir = join(work, 'electron');
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'electron', version }));
  writeFileSync(join(dir, 'path.txt'), 'electron');
  const binary = join(dir, 'dist', 'electron');
  writeFileSync(binary, '#!/bin/sh\nexit 0\n');
  chmodSync(binary, 0o755);
  return { env: { HEARTH_ELECTRON_PACKAGE: dir }, binary };
}

/** Stands in for electron-vite's CLI: prints what it got, exits 3, or waits for SIGTERM. */
function electronViteStub(): Record<string, string> {
  const stub = join(work, 'electron-vite-stub.mjs');
  writeFileSync(
    stub,
    `if (process.argv.includes('--wait')) {
  process.on('SIGTERM', () => { console.log('electron-vite got SIGTERM'); process.exit(143); });
  setTimeout(() => process.exit(0), 10_000); // never outlives a failed test by long
}
console.log(JSON.stringify({ args: process.argv.slice(2), electron: process.env.ELECTRON_EXEC_PATH }));
if (!process.argv.includes('--wait')) process.exit(3);
`,
  );
  return { HEARTH_ELECTRON_VITE: stub };
}

function stubSaw(stdout: string): { args: string[]; electron: string } | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith('{"args"'));
  return line ? (JSON.parse(line) as { args: string[]; electron: string }) : undefined;
}

function listen(server: Server): Promise<number> {
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  servers = servers.filter((s) => s !== server);
  return port;
}

describe('npm start without an Electron binary', () => {
  it.each([
    ['preview', 'npm start'],
    ['dev', 'npm run dev'],
  ])('%s: ends in seconds with one sentence saying what is missing, how to get it and what works meanwhile', async (mode, command) => {
    const port = await closedPort();
    const run = await launch(mode, [], { ...electronPackageCopy(), ...electronViteStub(), ELECTRON_MIRROR: `http://127.0.0.1:${port}/` });

    expect(run.code).toBe(1);
    expect(run.ms).toBeLessThan(10_000);
    const lines = run.stderr.trim().split('\n');
    expect(lines, run.stderr).toHaveLength(1);
    const sentence = lines[0]!;
    expect(sentence).toMatch(new RegExp(`^Hearth's desktop app needs the Electron ${version.replaceAll('.', '\\.')} binary, which is not installed and could not be downloaded \\(cannot reach 127\\.0\\.0\\.1:${port}: connection refused\\)`));
    expect(sentence).toContain('`npx install-electron`');
    expect(sentence).toContain(`into ${join(work, 'cache')} here`);
    expect(sentence).toContain('ELECTRON_MIRROR');
    expect(sentence).toContain(`then \`${command}\` again`);
    expect(sentence).toContain('`npm run hearth -- host` opens a room that anyone on your network can join from a browser.');
    expect(sentence.match(/\. /g)).toBeNull(); // one sentence
    expect(stubSaw(run.stdout)).toBeUndefined(); // electron-vite never ran
  });

  it('gives up a download server that never answers, in under 10 s, and leaves no temporary files', async () => {
    // Accepts the connection and says nothing, like a firewall that swallows the request.
    const silent = createServer(() => {});
    const port = await listen(silent);
    const temp = join(work, 'tmp');
    mkdirSync(temp);
    const run = await launch('preview', [], { ...electronPackageCopy(), ...electronViteStub(), ELECTRON_MIRROR: `http://127.0.0.1:${port}/`, TMPDIR: temp });

    expect(run.code).toBe(1);
    expect(run.ms).toBeLessThan(10_000);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining(`could not be downloaded (no answer from 127.0.0.1:${port} within 5 s)`)]);
    expect(readdirSync(temp)).toEqual([]);
  });
});

describe('npm start where Electron can be downloaded', () => {
  it('downloads the binary once, then starts electron-vite with it', async () => {
    // A mirror on loopback serving a zip with a placeholder binary, at the path and with the
    // checksum the real installer expects.
    const zipName = `electron-v${version}-${process.platform}-${process.arch}.zip`;
    const zip = storedZip([{ name: 'electron', data: '#!/bin/sh\nexit 0\n', mode: 0o755 }]);
    const requests: string[] = [];
    const mirror = createHttpServer((req, res) => {
      requests.push(req.url ?? '');
      if (req.url === `/v${version}/${zipName}`) res.writeHead(200, { 'content-length': zip.length }).end(zip);
      else res.writeHead(404).end();
    });
    const port = await listen(mirror);
    const checksums = { [zipName]: createHash('sha256').update(zip).digest('hex') };
    const env = { ...electronPackageCopy(checksums), ...electronViteStub(), ELECTRON_MIRROR: `http://127.0.0.1:${port}/` };

    const first = await launch('preview', ['--sourcemap'], env);
    const binary = join(work, 'electron', 'dist', 'electron');
    expect(first.stderr).toBe('');
    expect(stubSaw(first.stdout)).toEqual({ args: ['preview', '--sourcemap'], electron: binary });
    expect(first.code).toBe(3);
    expect(existsSync(binary)).toBe(true);

    const second = await launch('preview', [], env);
    expect(stubSaw(second.stdout)).toEqual({ args: ['preview'], electron: binary });
    expect(requests).toEqual([`/v${version}/${zipName}`]); // once
  });
});

describe('npm start with the binary on disk', () => {
  it('runs electron-vite with the arguments and the binary, and ends with its exit code', async () => {
    const { env, binary } = installedElectron();
    const run = await launch('dev', ['--watch', '-m', 'staging'], { ...env, ...electronViteStub() });

    expect(stubSaw(run.stdout)).toEqual({ args: ['dev', '--watch', '-m', 'staging'], electron: binary });
    expect(run.stdout).not.toContain('Downloading');
    expect(run.code).toBe(3);
  });

  it('passes SIGTERM on to electron-vite and ends as it does', async () => {
    const { env } = installedElectron();
    let sent = false;
    const run = await launch('preview', ['--wait'], { ...env, ...electronViteStub() }, (stdout, kill) => {
      if (!sent && stubSaw(stdout)) {
        sent = true;
        kill();
      }
    });

    expect(run.stdout).toContain('electron-vite got SIGTERM');
    expect(run.code).toBe(143);
  });
});

/** A zip archive of uncompressed files, with Unix modes: enough for Electron's installer. */
function storedZip(files: Array<{ name: string; data: string; mode: number }>): Buffer {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const name = Buffer.from(file.name);
    const data = Buffer.from(file.data);
    const crc = crc32(data);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt32LE(crc, 14);
    header.writeUInt32LE(data.length, 18);
    header.writeUInt32LE(data.length, 22);
    header.writeUInt16LE(name.length, 26);
    local.push(header, name, data);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the mode below counts
    entry.writeUInt16LE(20, 6);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(((0o100000 | file.mode) << 16) >>> 0, 38);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, name);
    offset += header.length + name.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, directory, end]);
}
