// A file's journey against a real host on 127.0.0.1: uploaded with the real tus-js-client,
// shared through the room, downloaded over HTTP with ranges; and what the host refuses.
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { Agent, get as httpsGet } from 'node:https';
import { join } from 'node:path';
import * as tus from 'tus-js-client';
import { afterEach, describe, expect, it } from 'vitest';
import { downloadPath, TOKEN_HEADER, UPLOAD_PATH } from '../../../common/files.ts';
import { creationHeaders, http, sha256, share, tusUpload, type TusFailure } from '../../../test/support/files.ts';
import { FrameClient, startTestHost, tempDirsPerTest } from '../../../test/support/host.ts';
import { loadOrCreateIdentity } from '../identity.ts';

type TestHost = Awaited<ReturnType<typeof startTestHost>>;
const tempDirFor = tempDirsPerTest('hearth-files-tls-');
let host: TestHost;
const clients: FrameClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await host?.dispose();
});

async function member(name: string, extra: Parameters<typeof FrameClient.join>[2] = {}): Promise<FrameClient & { token: string; downloadToken: string }> {
  const client = await FrameClient.join(host.url, name, extra);
  clients.push(client);
  const files = client.welcome?.files;
  if (!files) throw new Error('the welcome carried no files tokens');
  return Object.assign(client, { token: files.token, downloadToken: files.downloadToken });
}

const PNG_1x1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

describe('a file through the room', () => {
  it('goes up with tus-js-client, is shared, and comes down byte-identical, whole and by range', async () => {
    host = await startTestHost({ withFiles: true });
    const alice = await member('Alice');
    const bob = await member('Bob');
    expect(alice.welcome?.files?.maxFileBytes).toBe(2 * 1024 ** 3);
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const upload = await tusUpload(host.origin, data, { token: () => alice.token, name: 'report.pdf', type: 'application/pdf', chunkSize: 1024 * 1024 });
    const message = await share(alice, upload, { text: 'the report' });
    expect(message.file).toEqual({ id: sha256(data), name: 'report.pdf', size: data.length, type: 'application/pdf' });
    expect(message.text).toBe('the report');
    const seen = await bob.take((f): f is Extract<typeof f, { type: 'message' }> => f.type === 'message' && f.message.seq === message.seq);
    expect(seen.message.file?.id).toBe(sha256(data));

    const whole = await http('GET', `${host.origin}${downloadPath(message.seq, bob.downloadToken)}`);
    expect(whole.status).toBe(200);
    expect(sha256(whole.body)).toBe(sha256(data));
    expect(whole.headers).toMatchObject({
      'content-type': 'application/pdf',
      'content-length': String(data.length),
      'content-disposition': 'attachment; filename=report.pdf',
      'x-content-type-options': 'nosniff',
      'accept-ranges': 'bytes',
      etag: `"${sha256(data)}"`,
      'cache-control': 'private',
    });
    expect(whole.headers['content-security-policy']).toContain('sandbox');

    // A download cut after its first megabyte goes on from there.
    const rest = await http('GET', `${host.origin}${downloadPath(message.seq, bob.downloadToken)}`, { range: 'bytes=1048576-', 'if-range': `"${sha256(data)}"` });
    expect(rest.status).toBe(206);
    expect(rest.headers['content-range']).toBe(`bytes 1048576-${data.length - 1}/${data.length}`);
    expect(Buffer.concat([data.subarray(0, 1048576), rest.body]).equals(data)).toBe(true);
    // A stale If-Range (the file changed) gets the whole file; a range past the end, 416.
    expect((await http('GET', `${host.origin}${downloadPath(message.seq, bob.downloadToken)}`, { range: 'bytes=10-', 'if-range': '"other"' })).status).toBe(200);
    const beyond = await http('GET', `${host.origin}${downloadPath(message.seq, bob.downloadToken)}`, { range: `bytes=${data.length}-` });
    expect(beyond.status).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${data.length}`);
    const head = await http('HEAD', `${host.origin}${downloadPath(message.seq, bob.downloadToken)}`);
    expect([head.status, head.headers['content-length'], head.body.length]).toEqual([200, String(data.length), 0]);

    // Stored once, by its hash, and counted.
    expect(readdirSync(host.files!.dir)).toContain(sha256(data));
    expect(host.files!.usage()).toMatchObject({ usedBytes: data.length, reservedBytes: 0, files: 1 });
  });

  it('shows a recognised image inline, and never an SVG or HTML file', async () => {
    host = await startTestHost({ withFiles: true });
    const alice = await member('Alice');
    const png = await share(alice, await tusUpload(host.origin, PNG_1x1, { token: () => alice.token, name: 'dot.png', type: 'image/png' }));
    expect(png.file).toMatchObject({ type: 'image/png', image: { width: 1, height: 1 } });
    const inline = await http('GET', `${host.origin}${downloadPath(png.seq, alice.downloadToken, { inline: true })}`);
    expect(inline.headers['content-type']).toBe('image/png');
    expect(inline.headers['content-disposition']).toBe('inline; filename=dot.png');

    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>');
    const svgMessage = await share(alice, await tusUpload(host.origin, svg, { token: () => alice.token, name: 'x.svg', type: 'image/svg+xml' }));
    expect(svgMessage.file).toMatchObject({ type: 'application/octet-stream' });
    expect(svgMessage.file?.image).toBeUndefined();
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    const htmlMessage = await share(alice, await tusUpload(host.origin, html, { token: () => alice.token, name: 'x.html', type: 'text/html' }));
    expect(htmlMessage.file?.type).toBe('application/octet-stream');
    for (const seq of [svgMessage.seq, htmlMessage.seq]) {
      const answer = await http('GET', `${host.origin}${downloadPath(seq, alice.downloadToken, { inline: true })}`);
      expect(answer.headers['content-type']).toBe('application/octet-stream');
      expect(answer.headers['content-disposition']).toMatch(/^attachment;/);
    }
    // A "PNG" that is not one is a download too.
    const fake = await share(alice, await tusUpload(host.origin, Buffer.from('not a picture'), { token: () => alice.token, name: 'fake.png', type: 'image/png' }));
    expect(fake.file).toMatchObject({ type: 'application/octet-stream' });
    expect(fake.file?.image).toBeUndefined();
  });

  it('stores hostile names by hash only and shows them cleaned', async () => {
    host = await startTestHost({ withFiles: true });
    const alice = await member('Alice');
    const cases: Array<[string, (shown: string) => void]> = [
      ['../../x', (shown) => expect(shown).toBe('../../x')],
      ['a\u0000b\nc.txt', (shown) => expect(shown).toBe('ab c.txt')],
      ['\u202Etxt.exe', (shown) => expect(shown).toBe('txt.exe')],
      [`${'n'.repeat(300)}.txt`, (shown) => expect([Array.from(shown).length, shown.endsWith('….txt')]).toEqual([255, true])],
      ['', (shown) => expect(shown).toBe('file')],
    ];
    for (const [name, check] of cases) {
      const data = randomBytes(100);
      const message = await share(alice, await tusUpload(host.origin, data, { token: () => alice.token, name }));
      check(message.file!.name);
      const answer = await http('GET', `${host.origin}${downloadPath(message.seq, alice.downloadToken)}`);
      expect(answer.status).toBe(200);
      const disposition = String(answer.headers['content-disposition']);
      expect(disposition).toMatch(/^attachment; filename=/);
      expect(disposition).not.toMatch(/[/\\\p{Cc}\u202e]/u);
    }
    // Nothing was written outside the files folder, nothing named after a file.
    expect(readdirSync(join(host.files!.dir, '..'))).toEqual(['files']); // the test's own folder: nothing beside it
    const names = readdirSync(host.files!.dir).filter((n) => n !== 'uploads' && n !== 'finished');
    expect(names.every((n) => /^[0-9a-f]{64}$/.test(n))).toBe(true);
  });

  it('keeps a private message’s file to its two people, and ends a kicked member’s links', async () => {
    host = await startTestHost({ withFiles: true, adminToken: 'admin-token-for-tests' });
    const alice = await member('Alice');
    const bob = await member('Bob');
    const carol = await member('Carol');
    const secret = await share(alice, await tusUpload(host.origin, randomBytes(1000), { token: () => alice.token }), { to: 'Bob' });
    const url = (token: string) => `${host.origin}${downloadPath(secret.seq, token)}`;
    expect((await http('GET', url(bob.downloadToken))).status).toBe(200);
    const refused = await http('GET', url(carol.downloadToken));
    expect(refused.status).toBe(403);
    expect(refused.body.toString()).toMatch(/not one you can see/);

    const open = await share(alice, await tusUpload(host.origin, randomBytes(1000), { token: () => alice.token }));
    expect((await http('GET', `${host.origin}${downloadPath(open.seq, carol.downloadToken)}`)).status).toBe(200);
    alice.send({ type: 'admin', token: 'admin-token-for-tests', action: 'kick', target: carol.welcome!.you.id });
    await carol.waitClosed();
    const afterKick = await http('GET', `${host.origin}${downloadPath(open.seq, carol.downloadToken)}`);
    expect(afterKick.status).toBe(401);
    const upload = await tusUpload(host.origin, randomBytes(10), { token: () => carol.token }).catch((e: TusFailure) => e);
    expect((upload as TusFailure).status).toBe(401);
    // A made-up token, or none, is refused the same way.
    expect((await http('GET', `${host.origin}${downloadPath(open.seq, `${bob.welcome!.you.id}.AAAA`)}`)).status).toBe(401);
    expect((await http('GET', `${host.origin}/files/${open.seq}`)).status).toBe(401);
  });

  it('takes each token for its own purpose only: a download link cannot upload, the upload token cannot download', async () => {
    host = await startTestHost({ withFiles: true });
    const alice = await member('Alice');
    const message = await share(alice, await tusUpload(host.origin, randomBytes(1000), { token: () => alice.token }));
    const file = (token: string) => `${host.origin}${downloadPath(message.seq, token)}`;
    expect((await http('GET', file(alice.downloadToken))).status).toBe(200);
    const refusedGet = await http('GET', file(alice.token));
    expect(refusedGet.status).toBe(401);
    expect(refusedGet.body.toString()).toMatch(/download link is not good/);

    const metadata = { name: 'a.txt', sha256: sha256('a') };
    const refusedPost = await http('POST', `${host.origin}${UPLOAD_PATH}`, creationHeaders(alice.downloadToken, 1, metadata));
    expect(refusedPost.status).toBe(401);
    expect(refusedPost.body.toString()).toMatch(/token the room gave you/);
    const created = await http('POST', `${host.origin}${UPLOAD_PATH}`, creationHeaders(alice.token, 1, metadata));
    expect(created.status).toBe(201);
    const upload = `${host.origin}${String(created.headers.location)}`;
    const tus = (token: string) => ({ 'tus-resumable': '1.0.0', [TOKEN_HEADER]: token });
    expect((await http('HEAD', upload, tus(alice.downloadToken))).status).toBe(401);
    const patch = { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' };
    expect((await http('PATCH', upload, { ...tus(alice.downloadToken), ...patch }, 'a')).status).toBe(401);
    expect((await http('HEAD', upload, tus(alice.token))).headers['upload-offset']).toBe('0'); // untouched by the refused PATCH
    expect((await http('PATCH', upload, { ...tus(alice.token), ...patch }, 'a')).status).toBe(204);
  });

  it('tells each member in the welcome how many uploads they may have open at once, as this host is set', async () => {
    host = await startTestHost({ withFiles: { limits: { maxOpenPerMember: 2 } } });
    expect((await member('Alice')).welcome!.files!.uploadsAtOnce).toBe(2);
    await host.dispose();
    host = await startTestHost({ withFiles: true });
    expect((await member('Bob')).welcome!.files!.uploadsAtOnce).toBe(4);
  });

  it('refuses a file whose hash does not match, and keeps nothing', async () => {
    host = await startTestHost({ withFiles: true });
    const alice = await member('Alice');
    const failure = (await tusUpload(host.origin, randomBytes(200_000), { token: () => alice.token, hash: sha256('something else') }).catch((e: TusFailure) => e)) as TusFailure;
    expect(failure.status).toBe(460);
    expect(failure.body).toBe('The file changed or arrived damaged (its SHA-256 does not match). Nothing was kept.\n');
    expect(readdirSync(join(host.files!.dir, 'uploads'))).toEqual([]);
    expect(readdirSync(join(host.files!.dir, 'finished'))).toEqual([]);
    expect(host.files!.usage()).toMatchObject({ usedBytes: 0, reservedBytes: 0, files: 0 });
  });

  it('refuses a file one byte over the limit, at creation and when the body runs past its length', async () => {
    host = await startTestHost({ withFiles: { maxFileBytes: 1_000_000 } });
    const alice = await member('Alice');
    expect(alice.welcome?.files?.maxFileBytes).toBe(1_000_000);
    const tooBig = (await tusUpload(host.origin, randomBytes(1_000_001), { token: () => alice.token }).catch((e: TusFailure) => e)) as TusFailure;
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toBe('This file is 1.0 MB; this room takes files up to 1.0 MB.\n');
    expect(readdirSync(join(host.files!.dir, 'uploads'))).toEqual([]);

    // Declared at the limit, then one byte more sent: refused before the body is stored.
    const created = await http('POST', `${host.origin}${UPLOAD_PATH}`, creationHeaders(alice.token, 1_000_000, { name: 'x', sha256: sha256('x') }));
    expect(created.status).toBe(201);
    const location = String(created.headers.location);
    expect(location).toMatch(/^\/files\/uploads\/[0-9a-f]{32}$/);
    // The host answers on the headers alone: the client sends no byte of the body.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${host.origin}${location}`, {
        method: 'PATCH',
        headers: { 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream', 'content-length': '1000001', [TOKEN_HEADER]: alice.token },
      });
      req.on('response', (res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(status).toBe(413);
    const state = await http('HEAD', `${host.origin}${location}`, { 'tus-resumable': '1.0.0', [TOKEN_HEADER]: alice.token });
    expect(state.headers['upload-offset']).toBe('0');
  });

  it('answers bad requests with a clear 4xx and creates nothing', async () => {
    host = await startTestHost({ withFiles: true });
    const alice = await member('Alice');
    const bob = await member('Bob');
    const post = (headers: Record<string, string>) => http('POST', `${host.origin}${UPLOAD_PATH}`, headers);
    const good = { name: 'a.txt', type: 'text/plain', sha256: sha256('a') };
    const cases: Array<[string, Promise<{ status: number; body: Buffer }>, number, RegExp]> = [
      ['no token', post({ ...creationHeaders('', 1, good), [TOKEN_HEADER]: '' }), 401, /token/],
      ['no sha256', post(creationHeaders(alice.token, 1, { name: 'a.txt' })), 400, /SHA-256/],
      ['a bad sha256', post(creationHeaders(alice.token, 1, { ...good, sha256: 'abc' })), 400, /SHA-256/],
      ['bad base64', post(creationHeaders(alice.token, 1, 'name !!!notbase64!!!,sha256 x')), 400, /metadata is not valid/],
      ['huge metadata', post(creationHeaders(alice.token, 1, { ...good, name: 'n'.repeat(6000) })), 400, /too long/],
      ['no length', post({ ...creationHeaders(alice.token, 1, good), 'upload-length': '' }), 400, /size/],
      ['deferred length', post({ 'tus-resumable': '1.0.0', 'upload-defer-length': '1', 'upload-metadata': creationHeaders('', 1, good)['upload-metadata']!, [TOKEN_HEADER]: alice.token }), 400, /size/],
    ];
    for (const [what, answer, status, sentence] of cases) {
      const { status: got, body } = await answer;
      expect([what, got], body.toString()).toEqual([what, status]);
      expect(body.toString(), what).toMatch(sentence);
    }
    expect(readdirSync(join(host.files!.dir, 'uploads'))).toEqual([]);

    const tus = { 'tus-resumable': '1.0.0', [TOKEN_HEADER]: alice.token };
    const paths: Array<[string, number]> = [
      ['/files/uploads/..', 404],
      ['/files/uploads/..%2F..%2Fx', 400],
      ['/files/uploads/%2e%2e', 404], // the URL parser makes it /files/
      ['/files/uploads/0123456789abcdef0123456789abcdef', 404],
      ['/files/uploads/a/b', 400],
      ['/files/uploads/', 404],
    ];
    for (const [path, status] of paths) {
      const answer = await http('HEAD', `${host.origin}${path}`, tus);
      expect([path, answer.status]).toEqual([path, status]);
    }
    expect((await http('GET', `${host.origin}/files/uploads`)).status).toBe(405);
    expect((await http('GET', `${host.origin}/files/../health`)).status).not.toBe(500);
    expect((await http('GET', `${host.origin}/files/abc?t=${alice.downloadToken}`)).status).toBe(404);
    expect((await http('GET', `${host.origin}/files/999?t=${encodeURIComponent(alice.downloadToken)}`)).status).toBe(403);

    // Someone else's upload: not theirs to look at, add to, or cancel.
    const created = await post(creationHeaders(alice.token, 10, good));
    const location = String((created as unknown as { headers: Record<string, string> }).headers.location);
    for (const method of ['HEAD', 'PATCH', 'DELETE']) {
      const answer = await http(method, `${host.origin}${location}`, { ...tus, [TOKEN_HEADER]: bob.token, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' });
      expect([method, answer.status]).toEqual([method, 403]);
    }
    // Nor to share.
    await expect(share(bob, location.split('/').pop()!)).rejects.toThrow(/no_such_upload/);
  });

  it('lets the desktop app upload across origins (tus CORS with Hearth-Token), and no other page', async () => {
    host = await startTestHost({ withFiles: true });
    const preflight = (origin: string) =>
      http('OPTIONS', `${host.origin}${UPLOAD_PATH}`, { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'hearth-token,tus-resumable,upload-length,upload-metadata' });
    const app = await preflight('app://hearth');
    expect(app.headers['access-control-allow-origin']).toBe('app://hearth');
    expect(String(app.headers['access-control-allow-headers']).toLowerCase()).toContain('hearth-token');
    const other = await preflight('http://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    // Downloads too: a range asked for by the app's page.
    const download = await http('OPTIONS', `${host.origin}/files/1`, { origin: 'app://hearth', 'access-control-request-method': 'GET', 'access-control-request-headers': 'range' });
    expect([download.status, download.headers['access-control-allow-origin'], download.headers['access-control-allow-headers']]).toEqual([204, 'app://hearth', 'Range, If-Range']);
    expect((await http('OPTIONS', `${host.origin}/files/1`, { origin: 'http://evil.example' })).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('takes no files when the host was not given a folder', async () => {
    host = await startTestHost();
    const alice = await FrameClient.join(host.url, 'Alice');
    clients.push(alice);
    expect(alice.welcome?.files).toBeUndefined();
    expect((await http('POST', `${host.origin}${UPLOAD_PATH}`, creationHeaders('x', 1, {}))).status).toBe(404);
  });
});

describe('files over TLS', () => {
  it('uploads and downloads over https on the same port, following the relative upload URL', async () => {
    const identityDir = tempDirFor();
    const identity = await loadOrCreateIdentity(identityDir);
    host = await startTestHost({ withFiles: true, tls: { key: identity.key, cert: identity.cert } });
    const alice = await member('Alice');
    const origin = `https://127.0.0.1:${host.port}`;
    // Pinned to this host's certificate, as the app and `hearth join` pin it.
    const agent = new Agent({ ca: identity.cert, checkServerIdentity: () => undefined });
    const data = randomBytes(2 * 1024 * 1024);
    const upload = await new Promise<string>((resolve, reject) => {
      const tusUploadOverTls = new tus.Upload(data, {
        endpoint: `${origin}${UPLOAD_PATH}`,
        metadata: { name: 'secure.bin', type: 'application/octet-stream', sha256: sha256(data) },
        retryDelays: [],
        storeFingerprintForResuming: false,
        httpStack: new tus.DefaultHttpStack({ agent }),
        onBeforeRequest: (req) => {
          expect(req.getURL().startsWith(`${origin}/`)).toBe(true);
          req.setHeader(TOKEN_HEADER, alice.token);
        },
        onError: reject,
        onSuccess: () => resolve(tusUploadOverTls.url!.split('/').pop()!),
      });
      tusUploadOverTls.start();
    });
    const message = await share(alice, upload);
    const body = await new Promise<Buffer>((resolve, reject) => {
      httpsGet(`${origin}${downloadPath(message.seq, alice.downloadToken)}`, { agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks)));
      }).on('error', reject);
    });
    expect(sha256(body)).toBe(sha256(data));
  });
});
