// Files in rooms (issue 17), as people use them in two browsers against a real `hearth host`
// process: a pasted image shows inline for the other person and opens full size; a 200 MB
// file survives the host being killed mid-upload (it resumes from what the host kept, never
// from zero) and the other person downloads the same bytes; on a phone, images, the tray
// and its progress fit the screen, and axe finds nothing serious.
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page, Request, Route } from '@playwright/test';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, openSync, closeSync, writeSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnHost, type Proc } from '../../test/support/cli.ts';
import { tempDir } from '../../test/support/host.ts';
import { png } from '../../test/support/png.ts';
import { startTcpRelay } from '../../test/support/tcp-relay.ts';
import { expect, test } from '../fixtures.ts';
import { LobbyPage } from '../pages/lobby.ts';
import { RoomPage } from '../pages/room.ts';

/** A host process on its own data folder, restartable on the same port. */
async function startRoom(room: string) {
  const data = tempDir();
  const port = await freePort();
  const start = async () => (await spawnHost(['--room', room, '--port', String(port), '--data', data.path])).proc;
  return { data, port, url: `http://127.0.0.1:${port}/`, start };
}

async function enter(page: Page, name: string): Promise<RoomPage> {
  await new LobbyPage(page).joinServedRoom(name);
  const room = new RoomPage(page);
  await room.waitConnected();
  return room;
}

/**
 * A slow link in front of the host: what the browser sends passes at most `bytesPerSecond`
 * per connection (answers at full speed), so a test can act mid-upload where loopback would
 * finish first. The room's WebSocket has its own budget, as on a real network. It keeps
 * relaying to the same port across host restarts.
 */
async function slowLink(hostPort: number, bytesPerSecond: number): Promise<{ url: string; close(): void }> {
  const relay = await startTcpRelay({ port: hostPort }, { upBytesPerSecond: bytesPerSecond });
  return { url: `http://127.0.0.1:${relay.port}/`, close: () => void relay.close() };
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

test('an image pasted in one browser shows inline in another and opens full size', async ({ browserClient, shot }) => {
  const room = await startRoom('Photos');
  const host: Proc = await room.start();
  try {
    const alice = await enter(await browserClient(room.url), 'Alice');
    const bob = await enter(await browserClient(room.url), 'Bob');

    await alice.pasteFile('sunset.png', 'image/png', png(640, 400));
    await expect(alice.tray.getByText('sunset.png')).toBeVisible();
    await expect(alice.message).toHaveAttribute('placeholder', 'Add a caption (optional)');
    await alice.message.fill('the view from the office');
    await shot(alice.page, 'files-10-pasted-in-tray');
    await alice.message.press('Enter');
    await expect(alice.tray).toHaveCount(0, { timeout: 15_000 });

    // Bob sees the picture itself (loaded from the host, at its real size), and the caption under it.
    const image = bob.image('sunset.png');
    await expect(image).toBeVisible();
    await expect.poll(() => image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(640);
    await bob.expectMessage('the view from the office');
    await expect(alice.image('sunset.png')).toBeVisible();
    await shot(bob.page, 'files-11-inline-image');

    // Enter on the picture opens it full size; Escape closes it and the focus comes back.
    const opener = bob.messages.getByRole('button', { name: 'sunset.png' });
    await opener.focus();
    await bob.page.keyboard.press('Enter');
    const viewer = bob.page.getByRole('dialog', { name: 'sunset.png' });
    await expect(viewer).toBeVisible();
    await expect(viewer.getByRole('link', { name: 'Download sunset.png' })).toBeVisible();
    await expect(viewer.getByAltText('sunset.png')).toBeVisible();
    await shot(bob.page, 'files-12-viewer');
    await bob.page.keyboard.press('Escape');
    await expect(viewer).toHaveCount(0);
    await expect(opener).toBeFocused();

    // A file that is not an image is a card with its name, size, kind and a download link.
    await alice.attachFiles([{ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Buy milk.\n') }]);
    await alice.send.click();
    await expect(bob.downloadLink('notes.txt')).toBeVisible();
    await expect(bob.messages.getByText('10 B · TXT text')).toBeVisible();
    await shot(bob.page, 'files-13-card');

    // Hostile names are text: a path is only a name, and a right-to-left override inside a
    // name never turns the card around (the name sits left, its Download button right).
    await alice.attachFiles([
      { name: '../../etc/passwd', mimeType: 'text/plain', buffer: Buffer.from('not really\n') },
      { name: 'invoice\u202Efdp.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') },
    ]);
    await alice.send.click();
    await expect(alice.tray).toHaveCount(0, { timeout: 15_000 });
    const cards = bob.messages.locator('.file-card');
    await expect(cards).toHaveCount(3);
    for (const card of (await cards.all()).slice(1)) {
      const name = (await card.locator('.file-name').boundingBox())!;
      const button = (await card.getByRole('link', { name: /^Download / }).boundingBox())!;
      expect(button.x, 'Download after the name').toBeGreaterThan(name.x + name.width - 1);
    }
    await expect(bob.messages.getByText('passwd', { exact: false })).toBeVisible();
    expect(await bob.page.locator('[role=log] script, [role=log] iframe').count()).toBe(0);
    await shot(bob.page, 'files-14-hostile-names');
  } finally {
    host.kill('SIGKILL');
    await host.exit;
    room.data.remove();
  }
});

test('a 200 MB upload survives the host being killed mid-way: it resumes and the other side gets the same bytes', async ({ browserClient, shot }) => {
  test.setTimeout(420_000);
  const dir = mkdtempSync(join(tmpdir(), 'hearth-big-'));
  const bigPath = join(dir, 'big.bin');
  const SIZE = 200 * 1024 * 1024;
  const written = createHash('sha256');
  const fd = openSync(bigPath, 'w');
  const block = randomBytes(1024 * 1024);
  for (let i = 0; i < SIZE / block.length; i++) {
    // Every mebibyte different, so a resumed upload that skipped or repeated a part would not hash the same.
    block.writeUInt32BE(i, 0);
    writeSync(fd, block);
    written.update(block);
  }
  closeSync(fd);
  const expected = written.digest('hex');

  const room = await startRoom('Big files');
  let host: Proc = await room.start();
  const cleanups: Array<() => void> = [];
  try {
    // Alice's uploads cross a 10 MB/s link: about twenty seconds, time enough to stop the host mid-way.
    const link = await slowLink(room.port, 10 * 1024 * 1024);
    cleanups.push(link.close);
    const alicePage = await browserClient(link.url);
    const alice = await enter(alicePage, 'Alice');
    const bob = await enter(await browserClient(room.url), 'Bob');
    const uploads: Request[] = [];
    alicePage.on('request', (r) => r.url().includes('/files/uploads') && uploads.push(r));
    // What the host said it kept, each time the upload asked (tus HEAD → Upload-Offset).
    const kept: number[] = [];
    alicePage.on('response', (r) => {
      if (r.request().method() === 'HEAD' && r.url().includes('/files/uploads/') && r.ok()) kept.push(Number(r.headers()['upload-offset']));
    });

    await alice.attachFiles([bigPath]);
    await expect(alice.tray.getByText('big.bin')).toBeVisible();
    await alice.send.click();
    const bar = alice.sending('big.bin');
    // Read now, without waiting long: once sent, the bar gives way to "Sharing…" (then: undefined).
    const sent = async () => {
      const value = await bar.getAttribute('aria-valuenow', { timeout: 1000 }).catch(() => null);
      return value === null ? undefined : Number(value);
    };
    // First the page checks the file (SHA-256, a slice at a time): seconds on an idle machine.
    const checkingSince = Date.now();
    await expect(bar).toBeVisible({ timeout: 150_000 });
    test.info().annotations.push({ type: 'checking 200 MB took', description: `${Date.now() - checkingSince} ms` });
    await expect.poll(async () => (await sent()) ?? 0, { timeout: 60_000 }).toBeGreaterThan(SIZE * 0.25);
    await expect(bar).toHaveAttribute('aria-valuetext', /MB of 210 MB · [\d.]+ MB\/s · \d+ (s|min) left/);
    await shot(alicePage, 'files-20-sending');

    host.kill('SIGKILL');
    await host.exit;
    const atKill = (await sent()) ?? 0;
    expect(atKill, 'stopped mid-way').toBeLessThan(SIZE);
    await expect(alice.tray.getByText(/Waiting for the host…/)).toBeVisible({ timeout: 20_000 });
    await shot(alicePage, 'files-21-waiting-for-host');

    host = await room.start();
    await expect(alice.connection).toHaveText('Connected', { timeout: 30_000 });
    // From here on the bar never drops back towards zero: it goes on from what the host kept.
    const after: number[] = [];
    await expect
      .poll(
        async () => {
          const value = await sent();
          if (value !== undefined) after.push(value);
          return alice.tray.isVisible();
        },
        { timeout: 120_000, intervals: [250] },
      )
      .toBe(false);
    // One upload created, then only resumed: a restart from zero would have created another.
    expect(uploads.filter((r) => r.method() === 'POST')).toHaveLength(1);
    expect(uploads.filter((r) => r.method() === 'HEAD').length).toBeGreaterThan(0);
    test.info().annotations.push({ type: 'bytes sent when the host was killed; the host kept', description: `${atKill}; ${kept.join(', ')}` });
    expect(kept[0], 'what the restarted host had kept').toBeGreaterThan(SIZE * 0.1);
    expect(after.length, 'progress seen after the restart').toBeGreaterThan(0);
    expect(Math.min(...after), 'progress after the restart').toBeGreaterThan(atKill * 0.5);

    const downloadLink = bob.downloadLink('big.bin');
    await expect(downloadLink).toBeVisible({ timeout: 15_000 });
    await shot(bob.page, 'files-22-card');
    const downloading = bob.page.waitForEvent('download');
    await downloadLink.click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('big.bin');
    expect(await sha256OfFile(await download.path())).toBe(expected);
  } finally {
    for (const cleanup of cleanups) cleanup();
    const exited = host.child.exitCode;
    host.kill('SIGKILL');
    await host.exit;
    await test.info().attach('host output', { body: `exit code before the end: ${exited}\n${host.lines.join('\n')}\n--- stderr\n${host.errLines.join('\n')}` });
    room.data.remove();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The page is never wider than the screen. */
async function expectNoSideScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => {
    const w = globalThis as unknown as { innerWidth: number; document: { documentElement: { scrollWidth: number } } };
    return { scrollWidth: w.document.documentElement.scrollWidth, innerWidth: w.innerWidth };
  });
  expect(scrollWidth, 'page width').toBeLessThanOrEqual(innerWidth);
}

async function expectWithinWidth(page: Page, locator: ReturnType<Page['locator']>, what: string): Promise<void> {
  const box = await locator.boundingBox();
  expect(box, `${what} is rendered`).not.toBeNull();
  expect(box!.x, `${what} left edge`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${what} right edge`).toBeLessThanOrEqual(page.viewportSize()!.width + 0.5);
}

async function phone(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

test('on a phone, images, the tray and its progress fit the screen, and axe finds nothing serious', async ({ browser, browserClient, shot }) => {
  test.setTimeout(120_000);
  const room = await startRoom('Phones');
  const host: Proc = await room.start();
  // Bob's uploads cross a 2 MB/s link, so his file's progress stays in sight.
  const link = await slowLink(room.port, 2 * 1024 * 1024);
  const phonePage = await phone(browser, link.url);
  try {
    const alice = await enter(await browserClient(room.url), 'Alice');
    const bob = await enter(phonePage, 'Bob');

    // A wide photo and a tall one: each scaled to the column, never wider than the phone.
    await alice.pasteFile('panorama.png', 'image/png', png(2400, 600));
    await alice.message.press('Enter');
    await alice.pasteFile('tower.png', 'image/png', png(500, 1500));
    await alice.message.press('Enter');
    for (const name of ['panorama.png', 'tower.png']) {
      const image = bob.image(name);
      await expect(image).toBeVisible({ timeout: 15_000 });
      await image.scrollIntoViewIfNeeded();
      await expectWithinWidth(phonePage, image, name);
      expect((await image.boundingBox())!.height, `${name} height`).toBeLessThanOrEqual(321);
    }
    await expectNoSideScroll(phonePage);
    await shot(phonePage, 'files-30-phone-images');

    // Bob's own files: one being sent (with a long name), one waiting in the tray.
    await bob.attachFiles([{ name: 'holiday-video-from-the-long-weekend-at-the-lake-house.mp4', mimeType: 'video/mp4', buffer: randomBytes(40 * 1024 * 1024) }]);
    await bob.send.click();
    await expect(bob.sending('holiday-video-from-the-long-weekend-at-the-lake-house.mp4')).toBeVisible({ timeout: 20_000 });
    await bob.attachFiles([{ name: 'agenda.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%…\n') }]);
    await expect(bob.tray.getByRole('listitem')).toHaveCount(2);
    for (const item of await bob.tray.getByRole('listitem').all()) await expectWithinWidth(phonePage, item, 'tray row');
    await expectWithinWidth(phonePage, bob.sending('holiday-video-from-the-long-weekend-at-the-lake-house.mp4'), 'progress bar');
    await expectWithinWidth(phonePage, bob.send, 'Send');
    await expectWithinWidth(phonePage, bob.attach, 'Attach');
    await expectNoSideScroll(phonePage);
    await shot(phonePage, 'files-31-phone-tray');

    const { violations } = await new AxeBuilder({ page: phonePage }).analyze();
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(serious).toEqual([]);

    // Cancel takes the upload out of the tray and off the host.
    await bob.tray.getByRole('button', { name: 'Cancel holiday-video-from-the-long-weekend-at-the-lake-house.mp4' }).click();
    await expect(bob.tray.getByRole('listitem')).toHaveCount(1);
  } finally {
    await phonePage.context().close();
    link.close();
    host.kill('SIGKILL');
    await host.exit;
    room.data.remove();
  }
});

test('the app saves a file someone shared: through the main process, over the pinned connection', { tag: '@desktop' }, async ({ desktop, browserClient, shot }) => {
  const app = await desktop({ name: 'Hana' });
  await new LobbyPage(app.page).hostRoom('Office');
  const hana = new RoomPage(app.page);
  await hana.waitConnected();
  const link = (await app.page.getByRole('region', { name: 'You are hosting' }).locator('.join-link').innerText()).trim();
  const port = new URL(link).port;
  const wendy = await enter(await browserClient(`http://127.0.0.1:${port}/`), 'Wendy');

  const notes = Buffer.from('Minutes of the Tuesday meeting\n- tea at four\n');
  await wendy.attachFiles([{ name: 'minutes.txt', mimeType: 'text/plain', buffer: notes }]);
  await wendy.message.press('Enter');
  await expect(wendy.tray).toHaveCount(0, { timeout: 15_000 });

  // In the app a link to the host is another origin (app://hearth → https://host): the click
  // asks the main process, which saves the file through the certificate it pinned.
  const saved = app.nextDownload();
  await hana.downloadLink('minutes.txt').click();
  const file = await saved;
  expect(file.url).toMatch(new RegExp(`^https://[^/]+:${port}/files/\\d+\\?t=`));
  expect(file.bytes.equals(notes)).toBe(true);
  expect(file.disposition).toContain('minutes.txt');
  await shot(app.page, 'files-40-app-download');
});

/** A file of `size` random bytes (each mebibyte different) under a temporary folder, and its SHA-256. */
function randomFile(name: string, size: number): { path: string; name: string; sha256: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-check-'));
  const path = join(dir, name);
  const hash = createHash('sha256');
  const fd = openSync(path, 'w');
  try {
    for (let at = 0; at < size; at += 1024 * 1024) {
      const block = randomBytes(Math.min(1024 * 1024, size - at));
      writeSync(fd, block);
      hash.update(block);
    }
  } finally {
    closeSync(fd);
  }
  return { path, name, sha256: hash.digest('hex'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** For each worker the page starts, whether it may compile WebAssembly ('compiled', or the error's name). */
function wasmInWorkers(page: Page): Promise<string>[] {
  const outcomes: Promise<string>[] = [];
  const compile = (bytes: number[]) => {
    const { WebAssembly } = globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<unknown> } };
    return WebAssembly.compile(new Uint8Array(bytes)).then(() => 'compiled', (error: Error) => error.name);
  };
  // The smallest module: its header. Asked at once, before the worker ends with its last file.
  page.on('worker', (worker) => outcomes.push(worker.evaluate(compile, [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]).catch(() => 'ended')));
  return outcomes;
}

test('a file is checked in a worker with WebAssembly; where WebAssembly or the worker is refused, in JavaScript: either way it arrives byte-identical', async ({ browser, browserClient, shot }) => {
  test.setTimeout(180_000);
  const big = randomFile('survey-photos.zip', 64 * 1024 * 1024);
  const small = [randomFile('minutes.bin', 3 * 1024 * 1024 + 7), randomFile('agenda.bin', 1024 * 1024 + 3)] as const;
  const room = await startRoom('Checks');
  const host: Proc = await room.start();
  const contexts: Array<{ close(): Promise<void> }> = [];
  try {
    const bob = await enter(await browserClient(room.url), 'Bob');

    // The served web client, as built: the SHA-256 is computed by the hashing worker.
    const alicePage = await browserClient(room.url);
    const workers: string[] = [];
    const refusals: string[] = [];
    alicePage.on('worker', (worker) => workers.push(worker.url()));
    const aliceWasm = wasmInWorkers(alicePage);
    alicePage.on('console', (message) => /Content Security Policy/i.test(message.text()) && refusals.push(message.text()));
    const alice = await enter(alicePage, 'Alice');
    await alice.attachFiles([big.path]);
    await alice.send.click();
    const checkingSince = Date.now();
    await expect(alice.sending('survey-photos.zip')).toBeVisible({ timeout: 60_000 });
    test.info().annotations.push({ type: 'checking 64 MB in the worker took', description: `${Date.now() - checkingSince} ms` });
    await expect(alice.tray).toHaveCount(0, { timeout: 60_000 });
    expect(workers.filter((url) => /\/assets\/hash-worker-[\w-]+\.js$/.test(url)), 'the hashing worker ran').toHaveLength(1);
    expect(await Promise.all(aliceWasm), 'the worker may compile WebAssembly').toEqual(['compiled']);
    expect(refusals, 'nothing refused by the policy (worker-src, wasm-unsafe-eval)').toEqual([]);

    const downloading = bob.page.waitForEvent('download');
    await bob.downloadLink('survey-photos.zip').click();
    expect(await sha256OfFile(await (await downloading).path())).toBe(big.sha256);
    await shot(bob.page, 'files-50-checked-in-worker');

    // Where WebAssembly may not be compiled (the worker's script served without
    // 'wasm-unsafe-eval'), the worker checks the file in JavaScript; where the worker cannot
    // load at all (refused, or an old browser), the page checks it. Both still send it.
    const cases = [
      {
        who: 'Carol',
        file: small[0],
        worker: async (route: Route) => {
          const response = await route.fetch();
          const policy = response.headers()['content-security-policy']!.replace(" 'wasm-unsafe-eval'", '');
          await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': policy } });
        },
        workerRuns: true,
      },
      { who: 'Dave', file: small[1], worker: (route: Route) => route.abort('blockedbyclient'), workerRuns: false },
    ];
    for (const { who, file, worker, workerRuns } of cases) {
      const context = await browser.newContext({ viewport: { width: 1000, height: 720 } });
      contexts.push(context);
      await context.route(/\/assets\/hash-worker-[\w-]+\.js$/, worker);
      const page = await context.newPage();
      const wasm = wasmInWorkers(page);
      await page.goto(room.url);
      const person = await enter(page, who);
      await person.attachFiles([file.path]);
      await person.send.click();
      await expect(person.tray, `${who}'s upload`).toHaveCount(0, { timeout: 60_000 });
      if (workerRuns) expect(await Promise.all(wasm), `${who}'s worker may not compile WebAssembly`).toEqual(['CompileError']);
      else expect(wasm, `${who}: no worker ran`).toHaveLength(0);
      const download = bob.page.waitForEvent('download');
      await bob.downloadLink(file.name).click();
      expect(await sha256OfFile(await (await download).path()), `${who}'s file`).toBe(file.sha256);
    }
  } finally {
    for (const context of contexts) await context.close();
    host.kill('SIGKILL');
    await host.exit;
    room.data.remove();
    for (const file of [big, ...small]) file.remove();
  }
});
