// The built main process (out/main/index.js) in a child Node process, with `electron` mapped
// to the recording stub: start it, drive it (ready, IPC calls, events, quit) and read back
// what it did. Every wait is bounded; the child never multicasts (HEARTH_NO_MDNS, and
// HEARTH_MDNS_ONLY names addresses no machine here has) and keeps its profile in a temp dir.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppResponse, ChildMessage, ControlEnvelope, ControlRequest, SenderSpec, StubState } from './stub-protocol.ts';
import { collect } from '../../support/cli.ts';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const MAIN_BUNDLE = join(ROOT, 'out', 'main', 'index.js');
export const PRELOAD_BUNDLE = join(ROOT, 'out', 'preload', 'index.cjs');
export const RENDERER_OUT = join(ROOT, 'out', 'renderer');
const LOADER = fileURLToPath(new URL('./electron-loader.ts', import.meta.url));
const STUB_FILE = 'test/desktop/support/electron-stub.ts';

/** Fails with the command to run when the build output is missing (npm test builds first). */
export function requireBuild(): void {
  for (const file of [MAIN_BUNDLE, PRELOAD_BUNDLE, join(RENDERER_OUT, 'index.html')]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first (npm test does).`);
  }
}

export interface LaunchOptions {
  /** Defaults to out/main/index.js. */
  entry?: string;
  /** app.isPackaged. Defaults to true: the installed app. */
  packaged?: boolean;
  /** ELECTRON_RENDERER_URL, as electron-vite dev sets it. */
  rendererUrl?: string;
  env?: NodeJS.ProcessEnv;
}

export interface QuitReport {
  how: 'quit' | 'exit';
  code: number;
  /** The stub's record at that moment. */
  state: StubState;
}

export class BundleProcess {
  readonly child: ChildProcess;
  readonly home: string;
  /** app.getPath('userData') (HEARTH_USER_DATA). */
  readonly userData: string;
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  readonly unknownApis: string[] = [];
  readonly unhandledRejections: string[] = [];
  /** Every webContents.send the bundle made. */
  readonly sent: Array<{ window: number; channel: string; payload: unknown }> = [];
  readonly evaluated: Promise<void>;
  readonly quitReport: Promise<QuitReport>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  readonly #sentListeners = new Set<(window: number, channel: string, payload: unknown) => void>();
  #nextId = 1;

  private constructor(options: LaunchOptions) {
    this.home = mkdtempSync(join(tmpdir(), 'hearth-stub-home-'));
    this.userData = join(this.home, 'userData');
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env['ELECTRON_RENDERER_URL'];
    delete env['NODE_OPTIONS'];
    delete env['NODE_PATH'];
    Object.assign(env, {
      HEARTH_STUB_HOME: this.home,
      HEARTH_USER_DATA: this.userData,
      HEARTH_NO_MDNS: '1',
      HEARTH_MDNS_ONLY: '10.231.',
      HEARTH_STUB_PACKAGED: options.packaged === false ? '0' : '1',
      ...(options.rendererUrl && { ELECTRON_RENDERER_URL: options.rendererUrl }),
      ...options.env,
    });
    this.child = fork(options.entry ?? MAIN_BUNDLE, [], {
      execArgv: ['--import', LOADER],
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    collect(this.child.stdout!, this.stdout);
    collect(this.child.stderr!, this.stderr);
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    let evaluated: () => void = () => {};
    let quit: (report: QuitReport) => void = () => {};
    this.evaluated = new Promise((resolve) => (evaluated = resolve));
    this.quitReport = new Promise((resolve) => (quit = resolve));
    this.child.on('message', (raw) => {
      const message = raw as ChildMessage;
      switch (message.kind) {
        case 'evaluated':
          return evaluated();
        case 'unknown-api':
          return void this.unknownApis.push(message.api);
        case 'unhandled-rejection':
          return void this.unhandledRejections.push(message.reason);
        case 'sent':
          this.sent.push(message);
          for (const listener of this.#sentListeners) listener(message.window, message.channel, message.payload);
          return;
        case 'quit':
          return quit(message);
        case 'reply': {
          const pending = this.#pending.get(message.id);
          this.#pending.delete(message.id);
          if (message.ok) pending?.resolve(message.value);
          else pending?.reject(new Error(message.error));
        }
      }
    });
    void this.exited.then(({ code, signal }) => {
      for (const pending of this.#pending.values()) pending.reject(new Error(`the main process ended (code ${code}, signal ${signal})${this.describe()}`));
      this.#pending.clear();
    });
  }

  /** Start the bundle and wait until its module has evaluated (app not ready yet). */
  static async launch(options: LaunchOptions = {}): Promise<BundleProcess> {
    const bundle = new BundleProcess(options);
    try {
      const outcome = await within(Promise.race([bundle.evaluated.then(() => 'evaluated' as const), bundle.exited]), 15_000, 'the main bundle to evaluate');
      if (outcome !== 'evaluated') {
        throw new Error(`the main bundle ended before its module finished evaluating (code ${outcome.code}, signal ${outcome.signal})${bundle.describe()}`);
      }
    } catch (error) {
      await bundle.stop();
      throw error;
    }
    return bundle;
  }

  /** Unknown APIs, unhandled rejections and the child's stderr, for failure messages. */
  describe(): string {
    const parts: string[] = [];
    if (this.unknownApis.length > 0) parts.push(unknownApiMessage(this.unknownApis));
    if (this.unhandledRejections.length > 0) parts.push(`unhandled rejections:\n${this.unhandledRejections.join('\n')}`);
    if (this.stderr.length > 0) parts.push(`stderr:\n${this.stderr.slice(-40).join('\n')}`);
    return parts.length ? `\n${parts.join('\n')}` : '';
  }

  request<T>(request: ControlRequest, timeoutMs = 10_000): Promise<T> {
    const id = this.#nextId++;
    const envelope = { ...request, id } as ControlEnvelope;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`no answer to ${request.op} within ${timeoutMs} ms${this.describe()}`));
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      if (!this.child.connected) return reject(new Error(`the main process is gone${this.describe()}`));
      this.child.send(envelope);
    });
  }

  ready(): Promise<void> {
    return this.request({ op: 'ready' });
  }

  state(): Promise<StubState> {
    return this.request({ op: 'state' });
  }

  invoke<T = unknown>(channel: string, args: unknown, sender?: SenderSpec): Promise<T> {
    return this.request({ op: 'invoke', channel, args, ...(sender && { sender }) });
  }

  appRequest(url: string): Promise<AppResponse> {
    return this.request({ op: 'app-request', url });
  }

  onSent(listener: (window: number, channel: string, payload: unknown) => void): void {
    this.#sentListeners.add(listener);
  }

  /** Poll the stub's state until `condition` holds. */
  async waitForState(condition: (state: StubState) => boolean, what: string, timeoutMs = 10_000): Promise<StubState> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = await this.state();
      if (condition(state)) return state;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${this.describe()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Ready, then wait until the first window has loaded its page. */
  async readyAndOpen(timeoutMs = 10_000): Promise<StubState> {
    await this.ready();
    return this.waitForState((s) => (s.windows[0]?.loads.length ?? 0) > 0, 'the first window to load', timeoutMs);
  }

  /** End the child (if still running) and remove its temp dirs. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      if (this.child.connected) this.child.send({ op: 'exit', id: 0 } satisfies ControlEnvelope);
      const gone = await Promise.race([this.exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 3000))]);
      if (!gone) {
        this.child.kill('SIGKILL');
        await this.exited;
      }
    }
    rmSync(this.home, { recursive: true, force: true });
  }
}

export function unknownApiMessage(apis: readonly string[]): string {
  return (
    `The main bundle used electron API the test stub does not implement: ${apis.join(', ')}. ` +
    `Implement ${apis.length === 1 ? 'it' : 'them'} in ${STUB_FILE} (as faithfully as the tests need), so the smoke tests see what the app does with ${apis.length === 1 ? 'it' : 'them'}.`
  );
}

/** `promise`, or an error naming `what` after `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

