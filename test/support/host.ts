// Helpers for tests that run a real host on 127.0.0.1 with a free port, and talk to it
// with real ws clients.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import WebSocket from 'ws';
import { randomId } from '../../common/ids.ts';
import { PROTOCOL_VERSION, type ClientFrame, type ServerFrame } from '../../common/protocol.ts';
import type { HostFilesOptions } from '../../main/host/host-options.ts';
import { startHost, type Host, type HostOptions } from '../../main/host/server.ts';
import { openHistory } from '../../main/host/history-file.ts';
import { MemoryHistoryStore } from '../../main/host/store/index.ts';

export function tempDir(prefix = 'hearth-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Temp directories for a test file, each removed after the test that made it. */
export function tempDirsPerTest(prefix?: string): () => string {
  const made: Array<{ remove(): void }> = [];
  afterEach(() => {
    for (const d of made.splice(0)) d.remove();
  });
  return () => {
    const d = tempDir(prefix);
    made.push(d);
    return d.path;
  };
}

/**
 * A host on 127.0.0.1 and a free port. `durable` keeps history in a temp folder; `withFiles`
 * takes files, stored in a temp folder (its limits as given), both removed by dispose().
 */
export async function startTestHost(
  overrides: Partial<HostOptions> & { durable?: boolean; withFiles?: boolean | Omit<HostFilesOptions, 'dir'> } = {},
): Promise<Host & { url: string; origin: string; dispose(): Promise<void> }> {
  const { durable, withFiles, ...options } = overrides;
  const dir = durable ? tempDir() : undefined;
  const filesDir = withFiles ? tempDir('hearth-files-') : undefined;
  const store = options.store ?? (dir ? openHistory(dir.path).store : new MemoryHistoryStore());
  // The files folder inside a folder of its own: a test can see that nothing was written beside it.
  const files = filesDir ? { dir: join(filesDir.path, 'files'), ...(typeof withFiles === 'object' && withFiles) } : options.files;
  const host = await startHost({ room: 'Test room', port: 0, bind: '127.0.0.1', ...options, store, files });
  return Object.assign(host, {
    url: `ws://127.0.0.1:${host.port}/ws`,
    origin: `http://127.0.0.1:${host.port}`,
    async dispose() {
      await host.close();
      dir?.remove();
      filesDir?.remove();
    },
  });
}

/** A raw protocol client: sends frames, and lets a test wait for the frames it expects. */
export class FrameClient {
  readonly ws: WebSocket;
  readonly frames: ServerFrame[] = [];
  readonly clientId = randomId(22);
  closed: { code: number; reason: string } | undefined;
  /**
   * The host has sent everything from before the join (the last chunk of the join's
   * history): from here on, messages arrive live.
   */
  caughtUp = false;
  /** The welcome this client joined with (set by FrameClient.join). */
  welcome: Extract<ServerFrame, { type: 'welcome' }> | undefined;
  #waiters: Array<() => void> = [];

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const frame = JSON.parse(data.toString()) as ServerFrame;
      this.frames.push(frame);
      if ((frame.type === 'history' && frame.complete && frame.mode !== 'older') || (frame.type === 'error' && frame.code === 'store_unavailable' && frame.ref.type === 'join')) {
        this.caughtUp = true;
      }
      this.#wake();
    });
    this.ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.#wake();
    });
    this.ws.on('error', () => {});
  }

  /** The hello this client was greeted with. */
  hello: Extract<ServerFrame, { type: 'hello' }> | undefined;

  static async connect(url: string): Promise<FrameClient> {
    const client = new FrameClient(url);
    client.hello = await client.next('hello');
    return client;
  }

  /**
   * Connect and join; resolves once the client is caught up (its history frames stay in
   * `frames` for the test to take), with the welcome in `welcome`.
   */
  static async join(url: string, name: string, extra: Partial<Extract<ClientFrame, { type: 'join' }>> = {}): Promise<FrameClient> {
    const client = await FrameClient.connect(url);
    client.send({ type: 'join', v: PROTOCOL_VERSION, name, clientId: extra.clientId ?? client.clientId, ...extra });
    const reply = await client.nextOf(['welcome', 'join_error']);
    if (reply.type === 'join_error') throw new Error(`join refused: ${reply.code} ${reply.reason}`);
    client.welcome = reply;
    await until(() => client.caughtUp || client.closed !== undefined, 10_000, `${name} to catch up with the history`);
    return client;
  }

  send(frame: ClientFrame | Record<string, unknown>): void {
    this.ws.send(JSON.stringify(frame));
  }

  sendRaw(data: string | Buffer, binary = false): void {
    this.ws.send(data, { binary });
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  /** Wait until `predicate` holds for some frame not yet taken; take and return it. */
  async take<T extends ServerFrame>(predicate: (f: ServerFrame) => f is T, timeoutMs = 5000, what = 'frame'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.frames.findIndex(predicate);
      if (index >= 0) return this.frames.splice(index, 1)[0] as T;
      if (this.closed) throw new Error(`connection closed (${this.closed.code} ${this.closed.reason}) while waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; have: ${this.frames.map((f) => f.type).join(', ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  next<K extends ServerFrame['type']>(type: K, timeoutMs = 5000): Promise<Extract<ServerFrame, { type: K }>> {
    return this.take((f): f is Extract<ServerFrame, { type: K }> => f.type === type, timeoutMs, type);
  }

  nextOf<K extends ServerFrame['type']>(types: K[], timeoutMs = 5000): Promise<Extract<ServerFrame, { type: K }>> {
    return this.take((f): f is Extract<ServerFrame, { type: K }> => (types as string[]).includes(f.type), timeoutMs, types.join('|'));
  }

  /** Wait until the connection closes. */
  async waitClosed(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('connection did not close');
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.closed;
  }

  /** Drop every frame received so far. */
  drain(): void {
    this.frames.length = 0;
  }

  close(): void {
    this.ws.close();
  }
}

export function until(condition: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const check = () => {
      if (condition()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(check, 10);
    };
    check();
  });
}
