// The files service against members who try to get round it, on real hosts over real HTTP:
// an upload URL that says one id to the gate and another to tus, a share the disk cannot
// record, space held by uploads that never send a byte, limits dodged with a new clientId,
// too many transfers at once, slow bodies elsewhere, and plain HTTP in an encrypted room.
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { downloadPath, TOKEN_HEADER, UPLOAD_PATH } from '../../../common/files.ts';
import { ENCRYPTION_REQUIRED } from '../../../common/wording.ts';
import { RoomClient, type SocketLike } from '../../../common/client.ts';
import { randomId } from '../../../common/ids.ts';
import type { ErrorFrame } from '../../../common/protocol.ts';
import { creationHeaders, http, sha256, share, tusUpload } from '../../../test/support/files.ts';
import { FrameClient, startTestHost, tempDirsPerTest, until } from '../../../test/support/host.ts';
import { loadOrCreateIdentity } from '../identity.ts';

type TestHost = Awaited<ReturnType<typeof startTestHost>>;
const tempDir = tempDirsPerTest('hearth-files-abuse-');
let host: TestHost | undefined;
const clients: FrameClient[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const c of clients.splice(0)) c.close();
  await host?.dispose();
  host = undefined;
});

/** A real RoomClient joining as Alice, with the errors it hears and the states it goes through. */
function watchedClient(url: string) {
  const client = new RoomClient({ url, name: 'Alice', clientId: randomId(22), createSocket: (u) => new WebSocket(u) as unknown as SocketLike, retryDelayMs: 100 });
  const errors: ErrorFrame[] = [];
  const states: string[] = [];
  client.on('error', (e) => errors.push(e));
  client.on('state', (state) => states.push(state.status));
  client.connect();
  return { client, errors, states };
}

async function member(name: string): Promise<FrameClient & { token: string; downloadToken: string }> {
  const client = await FrameClient.join(host!.url, name);
  clients.push(client);
  return Object.assign(client, { token: client.welcome!.files!.token, downloadToken: client.welcome!.files!.downloadToken });
}

/** Create an upload by hand (no bytes): its id. */
async function create(token: string, length: number): Promise<{ status: number; id: string; body: string }> {
  const answer = await http('POST', `${host!.origin}${UPLOAD_PATH}`, creationHeaders(token, length, { name: 'a.bin', sha256: sha256('a') }));
  return { status: answer.status, id: String(answer.headers.location ?? '').split('/').pop()!, body: answer.body.toString() };
}

const tus = (token: string) => ({ 'tus-resumable': '1.0.0', [TOKEN_HEADER]: token });

describe('files under abuse', () => {
  it('refuses an upload URL with a query or a second segment, so one member never reaches another’s upload', async () => {
    host = await startTestHost({ withFiles: true });
    const alice = await member('Alice');
    const bob = await member('Bob');
    const mine = await create(alice.token, 10);
    const victim = await create(bob.token, 1000);
    for (const path of [`${mine.id}?x=/${victim.id}`, `${mine.id}/${victim.id}`, `${mine.id}%2F${victim.id}`]) {
      for (const method of ['HEAD', 'PATCH', 'DELETE']) {
        const answer = await http(method, `${host.origin}${UPLOAD_PATH}/${path}`, { ...tus(alice.token), 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, method === 'PATCH' ? 'junk' : undefined);
        expect([method, path, answer.status]).toEqual([method, path, 400]);
        if (method !== 'HEAD') expect(answer.body.toString()).toBe(`An upload's address is ${UPLOAD_PATH}/<id>, with nothing after it.\n`);
      }
    }
    // Bob's upload is as he left it.
    const his = await http('HEAD', `${host.origin}${UPLOAD_PATH}/${victim.id}`, tus(bob.token));
    expect([his.status, his.headers['upload-offset'], his.headers['upload-length']]).toEqual([200, '0', '1000']);
  });

  it('shares a file whose record the disk refuses, and the host and its room carry on', async () => {
    host = await startTestHost({ withFiles: true });
    const alice = await member('Alice');
    const data = randomBytes(100);
    const upload = await tusUpload(host.origin, data, { token: () => alice.token });
    // The records folder cannot be written any more (as on a failing disk): ENOTDIR.
    const records = join(host.files!.dir, 'finished');
    renameSync(records, `${records}.gone`);
    writeFileSync(records, '');
    const message = await share(alice, upload);
    expect(message.file?.id).toBe(sha256(data));
    // A retried share gets the same answer; the file downloads.
    alice.send({ type: 'share', id: message.id, upload });
    expect(sha256((await http('GET', `${host.origin}${downloadPath(message.seq, alice.downloadToken)}`)).body)).toBe(sha256(data));
    alice.send({ type: 'chat', id: 'after', text: 'still here' });
    await alice.take((f): f is Extract<typeof f, { type: 'ack' }> => f.type === 'ack' && f.id === 'after');

    // Deleting when the folder is gone from under it: the room's view is updated, nothing throws.
    const files = host.files!.dir;
    renameSync(files, `${files}.moved`);
    writeFileSync(files, '');
    try {
      expect(host.files!.delete(sha256(data))).toBe(true);
      expect(host.files!.usage()).toMatchObject({ usedBytes: 0, files: 0 });
    } finally {
      await new Promise((r) => setTimeout(r, 50)); // the background unlink fails and is logged
      rmSync(files, { force: true });
      renameSync(`${files}.moved`, files);
    }
  });

  it('answers a frame the room fails on with `internal` (not a store error), takes it again, and keeps serving everyone', async () => {
    host = await startTestHost({ withFiles: true });
    const alice = await member('Alice');
    const bob = await member('Bob');
    // The room fails once on this frame, through no fault of the frame.
    const room = host.room;
    const handle = room.handle.bind(room);
    let failures = 0;
    room.handle = (session, frame) => {
      if (frame.type === 'chat' && frame.id === 'boom' && failures++ === 0) throw new Error('a fault of the host’s own');
      handle(session, frame);
    };
    alice.send({ type: 'chat', id: 'boom', text: 'first' });
    const error = await alice.take((f): f is Extract<typeof f, { type: 'error' }> => f.type === 'error' && f.ref.id === 'boom');
    expect([error.code, error.message]).toEqual(['internal', 'Something went wrong on the host, and it could not do that. Try again.']);
    alice.send({ type: 'chat', id: 'again', text: 'second' });
    await alice.take((f): f is Extract<typeof f, { type: 'ack' }> => f.type === 'ack' && f.id === 'again');
    await bob.take((f): f is Extract<typeof f, { type: 'message' }> => f.type === 'message' && f.message.text === 'second');
    // Not acknowledged, nothing stored: the same frame sent again goes through as new.
    expect(alice.frames.some((f) => f.type === 'ack' && f.id === 'boom')).toBe(false);
    alice.send({ type: 'chat', id: 'boom', text: 'first' });
    await alice.take((f): f is Extract<typeof f, { type: 'ack' }> => f.type === 'ack' && f.id === 'boom');
    await bob.take((f): f is Extract<typeof f, { type: 'message' }> => f.type === 'message' && f.message.text === 'first');
  });

  it('closes a join the room fails on (no welcome would come), and the client joins when it tries again', async () => {
    host = await startTestHost({ withFiles: true });
    const room = host.room;
    const handle = room.handle.bind(room);
    let failures = 0;
    room.handle = (session, frame) => {
      if (frame.type === 'join' && failures++ === 0) throw new Error('a fault of the host’s own');
      handle(session, frame);
    };
    const { client, errors, states } = watchedClient(host.url);
    try {
      await until(() => client.state.status === 'connected', 10_000, 'the client to join on its second try');
      expect(failures).toBe(2); // the failed join, then the one that worked
      expect(errors.map((e) => [e.code, e.ref.type])).toEqual([['internal', 'join']]);
      expect(states).toContain('reconnecting');
      expect(host.room.people().map((p) => p.name)).toEqual(['Alice']);
    } finally {
      client.close();
    }
  });

  it('keeps a member whose join failed only after it was seated: one error, no reconnecting loop', async () => {
    host = await startTestHost({ withFiles: true });
    const room = host.room;
    const handle = room.handle.bind(room);
    room.handle = (session, frame) => {
      handle(session, frame);
      if (frame.type === 'join') throw new Error('a listener failed after the welcome');
    };
    const { client, errors, states } = watchedClient(host.url);
    try {
      await until(() => client.state.status === 'connected', 10_000, 'the client to join');
      await new Promise((r) => setTimeout(r, 1500)); // a loop would have closed and rejoined several times by now
      expect(states).not.toContain('reconnecting');
      expect(errors.map((e) => [e.code, e.ref.type])).toEqual([['internal', 'join']]);
      expect(host.room.people().map((p) => p.name)).toEqual(['Alice']);
    } finally {
      client.close();
    }
  });

  it('frees the space of an upload that received nothing for an hour, and caps what one member may reserve', async () => {
    host = await startTestHost({ withFiles: { maxFileBytes: 1000 } });
    const alice = await member('Alice');
    const idle = await create(alice.token, 1000);
    expect((await create(alice.token, 1000)).status).toBe(201);
    const third = await create(alice.token, 1);
    expect(third.status).toBe(429);
    expect(third.body).toBe('Your uploads in progress hold 2.0 KB; you may hold up to 2.0 KB at once. Finish or cancel one first.\n');
    expect(host.files!.usage().reservedBytes).toBe(2000);

    await host.files!.sweep(Date.now() + 30 * 60 * 1000);
    expect(host.files!.usage().reservedBytes).toBe(2000);
    await host.files!.sweep(Date.now() + 61 * 60 * 1000);
    expect(host.files!.usage().reservedBytes).toBe(0);
    expect((await http('HEAD', `${host.origin}${UPLOAD_PATH}/${idle.id}`, tus(alice.token))).status).toBe(404);
    expect((await create(alice.token, 1000)).status).toBe(201);
  });

  it('never expires an upload as idle while its body is arriving, by POST or PATCH', async () => {
    host = await startTestHost({ withFiles: true });
    const alice = await member('Alice');
    const { id } = await create(alice.token, 10);
    const headers = `Host: x\r\nTus-Resumable: 1.0.0\r\n${TOKEN_HEADER}: ${alice.token}\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: 10\r\n`;
    const metadata = `name ${Buffer.from('b').toString('base64')},sha256 ${Buffer.from(sha256('b')).toString('base64')}`;
    for (const head of [`PATCH ${UPLOAD_PATH}/${id} HTTP/1.1\r\n${headers}Upload-Offset: 0\r\n`, `POST ${UPLOAD_PATH} HTTP/1.1\r\n${headers}Upload-Length: 10\r\nUpload-Metadata: ${metadata}\r\n`]) {
      const socket = connect(host.port, '127.0.0.1');
      socket.on('error', () => {});
      sockets.push(socket);
      socket.write(`${head}\r\nab`);
    }
    for (let i = 0; i < 40 && host.files!.usage().reservedBytes < 20; i++) await new Promise((r) => setTimeout(r, 25));
    expect(host.files!.usage().reservedBytes).toBe(20);
    await host.files!.sweep(Date.now() + 2 * 60 * 60 * 1000);
    expect(host.files!.usage().reservedBytes).toBe(20);
    // Once the senders are gone, the same sweep frees both.
    for (const s of sockets.splice(0)) s.destroy();
    await new Promise((r) => setTimeout(r, 100));
    await host.files!.sweep(Date.now() + 2 * 60 * 60 * 1000);
    expect(host.files!.usage().reservedBytes).toBe(0);
  });

  it('counts finished uploads not yet shared as open, and refuses a PATCH on a finished one without finishing it again', async () => {
    const dir = tempDir();
    host = await startTestHost({ files: { dir, limits: { maxOpenPerMember: 2 } } });
    const alice = await member('Alice');
    const first = await tusUpload(host.origin, randomBytes(10), { token: () => alice.token });
    await tusUpload(host.origin, randomBytes(10), { token: () => alice.token });
    const third = await create(alice.token, 10);
    expect([third.status, third.body]).toEqual([429, 'You have 2 uploads not shared yet; share, cancel or finish one first.\n']);

    const record = join(dir, 'finished', `${first}.json`);
    const before = readFileSync(record, 'utf8');
    await new Promise((r) => setTimeout(r, 20));
    const again = await http('PATCH', `${host.origin}${UPLOAD_PATH}/${first}`, { ...tus(alice.token), 'upload-offset': '10', 'content-type': 'application/offset+octet-stream' });
    expect([again.status, again.body.toString()]).toEqual([409, 'This upload is complete already: share it, or make a new one.\n']);
    expect(readFileSync(record, 'utf8')).toBe(before);

    await share(alice, first);
    expect((await create(alice.token, 10)).status).toBe(201);
  });

  it('holds open uploads and the creation rate per address too, whatever clientId a member chooses', async () => {
    host = await startTestHost({ withFiles: { limits: { maxOpenPerMember: 2, maxOpenPerAddress: 3 } } });
    const alice = await member('Alice');
    const bob = await member('Bob');
    expect([(await create(alice.token, 10)).status, (await create(alice.token, 10)).status, (await create(bob.token, 10)).status]).toEqual([201, 201, 201]);
    const fourth = await create(bob.token, 10);
    expect([fourth.status, fourth.body]).toEqual([429, 'Your computer has 3 uploads not shared yet; share, cancel or finish one first.\n']);
    await host.dispose();

    host = await startTestHost({ withFiles: { limits: { addressCreationRate: { burst: 2, perSecond: 0.01 } } } });
    const names = ['Ann', 'Ben', 'Cid'];
    const statuses: number[] = [];
    for (const name of names) statuses.push((await create((await member(name)).token, 10)).status);
    expect(statuses).toEqual([201, 201, 429]);
  });

  it('allows one address so many file transfers at once, then 429 with a sentence', async () => {
    host = await startTestHost({ withFiles: { limits: { maxRequestsPerAddress: 3 } } });
    const alice = await member('Alice');
    for (let i = 0; i < 3; i++) {
      const { id } = await create(alice.token, 10);
      // A PATCH whose body never comes whole: a transfer in progress.
      const socket = connect(host.port, '127.0.0.1');
      socket.on('error', () => {});
      sockets.push(socket);
      socket.write(`PATCH ${UPLOAD_PATH}/${id} HTTP/1.1\r\nHost: x\r\nTus-Resumable: 1.0.0\r\n${TOKEN_HEADER}: ${alice.token}\r\nUpload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: 10\r\n\r\nab`);
    }
    const status = () => http('GET', `${host!.origin}${downloadPath(1, 'not-a-token')}`);
    let refused = await status();
    for (let i = 0; i < 20 && refused.status !== 429; i++) refused = await status();
    expect([refused.status, refused.body.toString()]).toEqual([429, 'Your computer has 3 file transfers going already; wait for one to end.\n']);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    for (const s of sockets.splice(0)) s.destroy();
    // The slots free as their sockets close (bounded: 20 tries, 50 ms apart).
    let after = (await status()).status;
    for (let i = 0; i < 20 && after !== 401; i++) {
      await new Promise((r) => setTimeout(r, 50));
      after = (await status()).status;
    }
    expect(after).toBe(401);
  });

  it('cuts a slow request body outside /files after the whole-request deadline', { timeout: 30_000 }, async () => {
    host = await startTestHost({ headersTimeoutMs: 1000 });
    const started = Date.now();
    const closedAfter = await new Promise<number>((resolve) => {
      const socket = connect(host!.port, '127.0.0.1');
      sockets.push(socket);
      socket.on('error', () => {});
      socket.on('close', () => resolve(Date.now() - started));
      socket.write('POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n');
      // A byte every half second: never a stall for an idle timer, never done (bounded: 25 s).
      const drip = setInterval(() => (socket.destroyed || Date.now() - started > 25_000 ? clearInterval(drip) : socket.write('x')), 500);
    });
    expect(closedAfter).toBeGreaterThan(14_000);
    expect(closedAfter).toBeLessThan(20_000);
  });

  it('serves no files over plain HTTP in a room that takes only encrypted connections', async () => {
    const identity = await loadOrCreateIdentity(tempDir());
    host = await startTestHost({ withFiles: true, tls: { key: identity.key, cert: identity.cert }, encryptedOnly: true });
    for (const [method, path] of [['POST', UPLOAD_PATH], ['GET', '/files/1?t=x']] as const) {
      const plain = await http(method, `${host.origin}${path}`, creationHeaders('x', 10, { name: 'a', sha256: sha256('a') }));
      expect([method, plain.status, plain.body.toString()]).toEqual([method, 403, `${ENCRYPTION_REQUIRED}\n`]);
    }
    // Over TLS the gate lets it through to the token check.
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpsRequest(`https://127.0.0.1:${host!.port}${UPLOAD_PATH}`, { method: 'POST', ca: identity.cert, checkServerIdentity: () => undefined, headers: creationHeaders('x', 10, { name: 'a', sha256: sha256('a') }) }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(401);

    // The hosting panel's switch, turned off and on again while the room is open: the files follow.
    const plainUpload = () => http('POST', `${host!.origin}${UPLOAD_PATH}`, creationHeaders('x', 10, { name: 'a', sha256: sha256('a') }));
    host.room.setEncryptedOnly(false);
    expect((await plainUpload()).status).toBe(401); // past the gate, at the token check
    host.room.setEncryptedOnly(true);
    expect((await plainUpload()).status).toBe(403);
  });
});
