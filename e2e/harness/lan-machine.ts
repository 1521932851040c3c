// A whole desktop "machine" inside a network namespace: the main-process services in a
// child process there (mDNS on, confined to the lab's 10.231.x.y addresses) and a Chromium
// started there too, so the page's WebSockets and mDNS both live on the lab network.
import { chromium, type Browser, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventChannel, EventMap } from '../../common/ipc.ts';
import { CHROMIUM_FLAGS, chromiumPath } from './chromium.ts';
import { attachBridge, type DesktopBackend } from './desktop.ts';
import type { TestIdentityName } from './test-identities.ts';

export interface LanMachine {
  page: Page;
  browser: Browser;
  /** A second page in the same namespace: someone using a plain browser on this machine. */
  newBrowserPage(url: string): Promise<Page>;
  close(): Promise<void>;
}

/**
 * `identity`: the test identity its room presents (e2e/fixtures). Two machines that both
 * host need different ones: the room list keeps one row per host id.
 */
export async function startLanMachine(netns: string, name: string, identity: TestIdentityName = 'a'): Promise<LanMachine> {
  const dir = mkdtempSync(join(tmpdir(), `hearth-lan-${name}-`));
  const socketPath = join(dir, 'services.sock');
  const args = ['netns', 'exec', netns, process.execPath, 'e2e/harness/desktop-node.ts', '--socket', socketPath, '--data', join(dir, 'data'), '--identity', identity];
  const child = spawn('ip', args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, HEARTH_MDNS_ONLY: '10.231.' },
  });
  const rendererUrl = await readyUrl(child);
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect(socketPath, () => resolve(s));
    s.once('error', reject);
  });
  const backend = socketBackend(socket);

  // Chromium itself runs inside the namespace; Playwright talks to it over pipes.
  const wrapper = join(dir, 'chromium');
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${netns} ${chromiumPath() ?? 'chromium'} "$@"\n`);
  chmodSync(wrapper, 0o755);
  const browser = await chromium.launch({ executablePath: wrapper, args: CHROMIUM_FLAGS });
  const context = await browser.newContext({ viewport: { width: 1180, height: 760 } });
  const page = await context.newPage();
  await attachBridge(page, backend);
  await page.goto(rendererUrl);
  await page.getByRole('textbox', { name: 'Your name' }).fill(name);
  await page.getByRole('textbox', { name: 'Your name' }).press('Enter');
  return {
    page,
    browser,
    async newBrowserPage(url) {
      const other = await browser.newContext({ viewport: { width: 1000, height: 720 } });
      const p = await other.newPage();
      await p.goto(url);
      return p;
    },
    async close() {
      await browser.close().catch(() => {});
      socket.destroy();
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readyUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`desktop services did not start: ${out}`)), 15_000);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { rendererUrl: string }).rendererUrl);
      }
    });
    child.once('exit', (code) => reject(new Error(`desktop services exited (${code}): ${out}`)));
  });
}

function socketBackend(socket: Socket): DesktopBackend {
  let nextId = 0;
  const waiting = new Map<number, (result: unknown) => void>();
  const listeners: Array<<K extends EventChannel>(channel: K, payload: EventMap[K]) => void> = [];
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const message = JSON.parse(buffered.slice(0, nl)) as { id?: number; result?: unknown; event?: EventChannel; payload?: unknown };
      buffered = buffered.slice(nl + 1);
      if (message.id !== undefined) {
        waiting.get(message.id)?.(message.result);
        waiting.delete(message.id);
      } else if (message.event) {
        for (const l of listeners) l(message.event, message.payload as never);
      }
    }
  });
  return {
    invoke: (channel, args) =>
      new Promise((resolve) => {
        const id = ++nextId;
        waiting.set(id, resolve);
        socket.write(`${JSON.stringify({ id, channel, args })}\n`);
      }),
    on: (listener) => void listeners.push(listener),
  };
}
