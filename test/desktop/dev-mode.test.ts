// `npm run dev`, without Electron: the renderer from the Vite dev server (started from the
// project's own electron-vite config, support/renderer-dev-server.ts) in Chromium, with
// window.hearth wired to the built main bundle started as electron-vite dev starts it
// (ELECTRON_RENDERER_URL set, not packaged). Proves the dev policy lets the page style and
// run, and that the dev origin is trusted only when not packaged.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Browser } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/cli.ts';
import { BundleProcess, ROOT, requireBuild, unknownApiMessage, within } from './support/bundle.ts';
import { bundleBackend, launchChromium, openWatchedPage, pageLooks, parseCsp, waitShown } from './support/chromium.ts';

const DEV_SERVER = fileURLToPath(new URL('./support/renderer-dev-server.ts', import.meta.url));

async function startDevServer(): Promise<{ url: string; child: ChildProcess; output: string[] }> {
  const child = spawn(process.execPath, [DEV_SERVER, String(await freePort())], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
  const url = await within(
    new Promise<string>((resolve, reject) => {
      let buffered = '';
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        buffered += chunk;
        const line = buffered.split('\n').find((l) => l.startsWith('{"url"'));
        if (line) resolve((JSON.parse(line) as { url: string }).url);
        else output.push(chunk);
      });
      child.once('exit', (code) => reject(new Error(`the dev server ended (code ${code}):\n${output.join('')}`)));
    }),
    30_000,
    'the Vite dev server',
  );
  return { url, child, output };
}

describe('npm run dev: the Vite dev server renderer, with the dev policy', { timeout: 60_000 }, () => {
  let dev: Awaited<ReturnType<typeof startDevServer>>;
  let bundle: BundleProcess;
  let browser: Browser;

  beforeAll(async () => {
    requireBuild();
    dev = await startDevServer();
    bundle = await BundleProcess.launch({ packaged: false, rendererUrl: dev.url });
    await bundle.readyAndOpen();
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await bundle?.stop();
    if (dev && dev.child.exitCode === null) {
      dev.child.kill('SIGTERM');
      await within(new Promise((resolve) => dev.child.once('exit', resolve)), 5000, 'the dev server to stop').catch(() => dev.child.kill('SIGKILL'));
    }
  });

  it('opens its windows on the dev server and answers their calls', async () => {
    const state = await bundle.state();
    expect(state.windows[0]?.url).toBe(`${dev.url}/index.html`);
    expect(await bundle.invoke('settings:get', null)).toMatchObject({ ok: true });
    // Only the dev server's own origin.
    expect(await bundle.invoke('settings:get', null, { url: 'http://127.0.0.1:1/index.html' })).toMatchObject({ ok: false, error: expect.stringMatching(/refused/) });
    expect(bundle.unknownApis, unknownApiMessage(bundle.unknownApis)).toEqual([]);
  });

  for (const { page: name, shows } of [
    { page: 'index.html', shows: { role: 'textbox', name: 'Your name' } as const },
    { page: 'dashboard.html', shows: { role: 'heading', name: 'Not hosting' } as const },
  ]) {
    it(`serves ${name} styled and running under the dev policy, with no violation`, async () => {
      const watched = await openWatchedPage(browser, bundleBackend(bundle));
      try {
        await watched.page.goto(`${dev.url}/${name}`, { timeout: 20_000 });
        await waitShown(watched, shows.role, shows.name, 15_000);
        const looks = await pageLooks(watched.page);
        // The stylesheets applied: unstyled, <html> is transparent and <body> has an 8px margin.
        expect(looks.background, `stylesheets did not apply${(await watched.problems()).map((p) => `\n  ${p}`).join('')}`).not.toBe('rgba(0, 0, 0, 0)');
        expect(looks.bodyMargin).toBe('0px');
        expect(await watched.problems()).toEqual([]);
        // The dev policy loosens styles only: scripts still need 'self' or an exact hash.
        const scripts = parseCsp(looks.meta ?? '').get('script-src') ?? '';
        expect(scripts).not.toMatch(/'unsafe-inline'|'unsafe-eval'|\*/);
      } finally {
        await watched.page.context().close();
      }
    });
  }
});

describe('a packaged app with ELECTRON_RENDERER_URL set', () => {
  let bundle: BundleProcess;

  beforeAll(async () => {
    requireBuild();
    bundle = await BundleProcess.launch({ packaged: true, rendererUrl: 'http://127.0.0.1:5173' });
    await bundle.readyAndOpen();
  });

  afterAll(async () => {
    await bundle?.stop();
  });

  it('ignores it: app:// pages, and the would-be dev origin is refused', async () => {
    const state = await bundle.state();
    expect(state.windows[0]?.url).toBe('app://hearth/index.html');
    expect(await bundle.invoke('settings:get', null, { url: 'http://127.0.0.1:5173/index.html' })).toMatchObject({ ok: false, error: expect.stringMatching(/refused/) });
    expect(await bundle.invoke('settings:get', null)).toMatchObject({ ok: true });
  });
});

describe('a development run whose dev server is not there', () => {
  let bundle: BundleProcess;

  afterAll(async () => {
    await bundle?.stop();
  });

  it('shows its window with an error page rather than run with no window', async () => {
    requireBuild();
    const devUrl = `http://127.0.0.1:${await freePort()}`;
    bundle = await BundleProcess.launch({ packaged: false, rendererUrl: devUrl });
    await bundle.ready();
    const state = await bundle.waitForState(
      (s) => s.windows[0]?.visible === true && (s.windows[0]?.loads.some((l) => l.url.startsWith('data:')) ?? false),
      'the window to show an error page',
    );
    const loads = state.windows[0]!.loads;
    expect(loads[0]).toMatchObject({ url: `${devUrl}/index.html`, status: 0, error: 'ERR_CONNECTION_REFUSED' });
    expect(loads.at(-1)?.url).toMatch(/^data:text\/html/);
    expect(bundle.unhandledRejections).toEqual([]);
    expect(bundle.unknownApis, unknownApiMessage(bundle.unknownApis)).toEqual([]);
  });
});
