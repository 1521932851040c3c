// The hosting session both shells use, against a real host on 127.0.0.1 with a free port.
// Off the LAN: mDNS is tested inside network namespaces (test/netns); the one test here with
// announcing on names an interface that does not exist, under vitest's HEARTH_MDNS_ONLY.
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { generate } from 'selfsigned';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { fingerprintOf, hostIdOf } from '../../common/identity.ts';
import { CloseCode } from '../../common/protocol.ts';
import { MAX_CANDIDATES, parseInvite } from '../../common/invite.ts';
import { checkRoomName, type RoomName } from '../../common/room-name.ts';
import { HISTORY_FILE, openHistory } from '../host/history-file.ts';
import { CERT_FILE, KEY_FILE } from '../host/identity.ts';
import { FrameClient, tempDirsPerTest, until } from '../../test/support/host.ts';
import { openHosting, type HostingOptions, type HostingSession } from './session.ts';

const newDir = tempDirsPerTest('hearth-hosting-');
const running: HostingSession[] = [];
const clients: FrameClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

function roomName(raw: string): RoomName {
  const checked = checkRoomName(raw);
  if (!checked.ok) throw new Error(checked.problem);
  return checked.name;
}

function options(overrides: Partial<HostingOptions> = {}): HostingOptions {
  const dataDir = newDir();
  return { room: roomName('Kitchen'), port: 0, bind: '127.0.0.1', mdns: false, dataDir, history: { kind: 'folder', dir: join(dataDir, 'room') }, ...overrides };
}

async function open(overrides: Partial<HostingOptions> = {}): Promise<HostingSession> {
  const opened = await openHosting(options(overrides));
  if (!opened.ok) throw new Error(`did not open: ${JSON.stringify(opened.failure)}`);
  running.push(opened.session);
  return opened.session;
}

/** The host id the certificate in `dataDir` gives (common/identity.ts). */
function idOfCertificateIn(dataDir: string): string {
  return hostIdOf(fingerprintOf(new X509Certificate(readFileSync(join(dataDir, CERT_FILE))).raw));
}

async function joinAs(session: HostingSession, name: string): Promise<FrameClient> {
  const client = await FrameClient.join(`ws://127.0.0.1:${session.port}/ws`, name);
  clients.push(client);
  return client;
}

describe('openHosting', () => {
  it('opens the room on a free port, with its history in the folder and the host id from the identity in the data directory', async () => {
    const dataDir = newDir();
    const session = await open({ dataDir, history: { kind: 'folder', dir: join(dataDir, 'rooms', 'kitchen') } });
    expect(session.port).toBeGreaterThan(0);
    expect(session.room).toBe('Kitchen');
    expect(session.host.room.name).toBe('Kitchen');
    expect(existsSync(join(dataDir, 'rooms', 'kitchen', HISTORY_FILE))).toBe(true);
    expect(session.hostId).toBe(idOfCertificateIn(dataDir));
    expect(session.hostId).toBe(session.identity.hostId);
    expect(session.movedAside).toEqual([]);
    const health = (await (await fetch(`${session.localUrl}health`)).json()) as { id: string; room: string };
    expect(health).toMatchObject({ id: session.hostId, room: 'Kitchen' });
  });

  it('keeps shared files beside the history (the desktop app’s room folder), none with history in memory', async () => {
    const dataDir = newDir();
    const session = await open({ dataDir, history: { kind: 'folder', dir: join(dataDir, 'rooms', 'kitchen') }, files: { maxFileBytes: 1_000_000 } });
    expect(session.host.files?.dir).toBe(join(dataDir, 'rooms', 'kitchen', 'files'));
    expect(existsSync(join(dataDir, 'rooms', 'kitchen', 'files'))).toBe(true);
    const client = await joinAs(session, 'Alice');
    expect(client.welcome?.files?.maxFileBytes).toBe(1_000_000);
    const inMemory = await open({ history: { kind: 'memory' } });
    expect(inMemory.host.files).toBeUndefined();
  });

  it('lists where to join: every address with its URL, one invite link carrying them all, loopback for this machine', async () => {
    const session = await open();
    expect(session.localUrl).toBe(`http://127.0.0.1:${session.port}/`);
    for (const a of session.addresses) expect(a.url).toMatch(new RegExp(`^http://(\\[[0-9a-f:]+\\]|[0-9.]+):${session.port}/$`));
    const invite = parseInvite(session.inviteLink);
    if (!invite.ok) throw new Error(invite.reason);
    // A machine with no network shares its loopback link: only it can join.
    const expected = session.addresses.length > 0 ? session.addresses.map((a) => a.url).slice(0, MAX_CANDIDATES) : [session.localUrl];
    expect(invite.invite.candidates.map((c) => c.httpUrl)).toEqual(expected);
    expect(invite.invite.hostId).toBe(session.hostId);
  });

  it('keeps the same host id from one room to the next in the same data directory', async () => {
    const dataDir = newDir();
    const first = await open({ dataDir, history: { kind: 'folder', dir: join(dataDir, 'a') } });
    const second = await open({ dataDir, history: { kind: 'folder', dir: join(dataDir, 'b') }, room: roomName('Attic') });
    expect(second.hostId).toBe(first.hostId);
  });

  it('keeps history in memory only when asked: no history file, the identity still kept', async () => {
    const dataDir = newDir();
    const session = await open({ dataDir, history: { kind: 'memory' } });
    expect(existsSync(join(dataDir, HISTORY_FILE))).toBe(false);
    expect(session.hostId).toBe(idOfCertificateIn(dataDir));
  });

  it('starts a new history on request, saying which files it moved aside', async () => {
    const dataDir = newDir();
    const dir = join(dataDir, 'room');
    const first = await open({ dataDir, history: { kind: 'folder', dir } });
    await first.stop();
    const again = await open({ dataDir, history: { kind: 'folder', dir, newHistory: true } });
    expect(again.movedAside.length).toBeGreaterThan(0);
    for (const file of again.movedAside) expect(file).toMatch(/\.broken-/);
  });

  it('serves TLS on the room\'s port with the identity\'s certificate', async () => {
    const session = await open();
    const presented = await new Promise<string>((resolve, reject) => {
      const socket = tlsConnect({ host: '127.0.0.1', port: session.port, rejectUnauthorized: false }, () => {
        resolve(socket.getPeerX509Certificate()!.fingerprint256);
        socket.end();
      });
      socket.on('error', reject);
    });
    expect(presented.replaceAll(':', '').toLowerCase()).toBe(session.identity.fingerprint);
  });

  it('makes a new identity on request, saying which files it moved aside', async () => {
    const dataDir = newDir();
    const first = await open({ dataDir });
    await first.stop();
    const again = await open({ dataDir, newIdentity: true });
    expect(again.hostId).not.toBe(first.hostId);
    expect(again.identity.movedAside.map((file) => file.slice(dataDir.length + 1).replace(/\.broken-.*$/, ''))).toEqual([KEY_FILE, CERT_FILE]);
    expect(again.hostId).toBe(idOfCertificateIn(dataDir));
  });

  it('passes the shell\'s host options on (a cap of one member)', async () => {
    const session = await open({ maxMembers: 1 });
    await joinAs(session, 'Ann');
    await expect(joinAs(session, 'Ben')).rejects.toThrow(/join refused: room_full/);
  });

  it('gives the password to the room', async () => {
    const session = await open({ password: 'pw' });
    expect(session.host.room.passwordRequired).toBe(true);
  });

  it('opens a room for encrypted connections only when asked: a plain join is refused', async () => {
    const session = await open({ encryptedOnly: true });
    expect(session.host.room.encryptedOnly).toBe(true);
    await expect(joinAs(session, 'Ann')).rejects.toThrow(/join refused: encryption_required/);
  });

  it('serves a provided certificate as the identity: https links for browsers, its DNS name first, pages under that name let in', async () => {
    const dataDir = newDir();
    const tlsFiles = await providedPair(dataDir, 'hearth.test');
    const session = await open({ dataDir, tlsFiles });
    const fingerprint = fingerprintOf(new X509Certificate(readFileSync(tlsFiles.cert)).raw);
    expect(session.identity).toMatchObject({ source: 'provided', fingerprint });
    expect(session.hostId).toBe(hostIdOf(fingerprint));
    expect(session.host.fingerprint).toBe(fingerprint);
    expect(session.certificateName).toBe('hearth.test');
    expect(session.inviteLink.startsWith(`https://hearth.test:${session.port}/#`)).toBe(true);
    for (const a of session.addresses) expect(a.url).toMatch(/^https:\/\//);
    expect(session.localUrl).toBe(`http://127.0.0.1:${session.port}/`);
    // Hearth made no identity of its own beside it.
    expect(existsSync(join(dataDir, KEY_FILE))).toBe(false);
    // A page opened as https://hearth.test:<port>/ may open the room's WebSocket; another name may not.
    expect(await upgradeFrom(session.port, `https://hearth.test:${session.port}`)).toBe('open');
    expect(await upgradeFrom(session.port, `https://elsewhere.test:${session.port}`)).toBe(403);
  });
});

/** A certificate for `name` and its key, written in `dir` (what an office CA would hand out, self-signed here). */
async function providedPair(dir: string, name: string): Promise<{ cert: string; key: string }> {
  const made = await generate([{ name: 'commonName', value: name }], {
    keyType: 'ec',
    curve: 'P-256',
    notBeforeDate: new Date(Date.now() - 86_400_000),
    notAfterDate: new Date(Date.now() + 86_400_000),
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: name }, { type: 7, ip: '127.0.0.1' }] }],
  });
  const files = { cert: join(dir, 'office.crt'), key: join(dir, 'office.key') };
  writeFileSync(files.cert, made.cert);
  writeFileSync(files.key, made.private);
  return files;
}

/** Whether the room's WebSocket opens for a page of this origin, or the status it answers. */
function upgradeFrom(port: number, origin: string): Promise<'open' | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { origin });
    ws.once('open', () => {
      ws.terminate();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => {
      ws.terminate();
      resolve(res.statusCode ?? 0);
    });
    ws.once('error', reject);
  });
}

describe('a room that does not open', () => {
  it('is a taken port, with the port, and nothing left open', async () => {
    const first = await open();
    const dir = newDir();
    const taken = await openHosting(options({ port: first.port, history: { kind: 'folder', dir } }));
    expect(taken).toEqual({ ok: false, failure: { kind: 'port-in-use', port: first.port } });
    // The history it opened was closed again: the folder opens as usual.
    openHistory(dir).store.close();
  });

  it('takes any free port instead when the shell allows it', async () => {
    const first = await open();
    const session = await open({ port: first.port, anyPortIfTaken: true });
    expect(session.port).not.toBe(first.port);
    expect(session.port).toBeGreaterThan(0);
  });

  it('says why the host could not listen', async () => {
    // An address this machine does not have (TEST-NET-3).
    const opened = await openHosting(options({ bind: '203.0.113.7' }));
    expect(opened).toMatchObject({ ok: false, failure: { kind: 'cannot-listen', message: expect.stringMatching(/EADDRNOTAVAIL/) } });
  });

  it('is a history folder that cannot be used, with the reason', async () => {
    const dataDir = newDir();
    const file = join(dataDir, 'not-a-folder');
    writeFileSync(file, 'x');
    const opened = await openHosting(options({ dataDir, history: { kind: 'folder', dir: join(file, 'room') } }));
    expect(opened).toMatchObject({ ok: false, failure: { kind: 'history-unusable', dir: join(file, 'room'), reason: expect.stringMatching(/\S/) } });
  });

  it('is an identity that cannot be used, with the sentence, and nothing opened', async () => {
    const dataDir = newDir();
    const first = await open({ dataDir });
    await first.stop();
    writeFileSync(join(dataDir, KEY_FILE), 'damaged');
    const dir = join(dataDir, 'other-room');
    const opened = await openHosting(options({ dataDir, history: { kind: 'folder', dir } }));
    expect(opened).toEqual({ ok: false, failure: { kind: 'identity-unusable', file: join(dataDir, KEY_FILE), reason: `${join(dataDir, KEY_FILE)} is not a private key Hearth can read (damaged?)` } });
    expect(existsSync(dir)).toBe(false);
  });

  it('is a provided certificate that cannot be used, with the sentence, and nothing opened', async () => {
    const dataDir = newDir();
    const missing = join(dataDir, 'office.crt');
    const dir = join(dataDir, 'room');
    const opened = await openHosting(options({ dataDir, history: { kind: 'folder', dir }, tlsFiles: { cert: missing, key: missing } }));
    expect(opened).toEqual({ ok: false, failure: { kind: 'tls-unusable', file: missing, reason: `${missing} (--tls-cert) does not exist` } });
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(join(dataDir, KEY_FILE))).toBe(false);
  });

  it('is a lost history, with the sentence history-file.ts wrote', async () => {
    const dataDir = newDir();
    const dir = join(dataDir, 'room');
    const first = await open({ dataDir, history: { kind: 'folder', dir } });
    await first.stop();
    rmSync(join(dir, HISTORY_FILE));
    const opened = await openHosting(options({ dataDir, history: { kind: 'folder', dir } }));
    expect(opened).toMatchObject({ ok: false, failure: { kind: 'history-lost', message: expect.stringMatching(/^The history in .* is gone \(the file is missing\)/) } });
  });
});

describe('HostingSession', () => {
  it('tells the shell who comes and goes, with how many are here', async () => {
    const session = await open();
    const heard: string[] = [];
    session.on('member_joined', (m, here) => heard.push(`${m.name} joined, ${here} here`));
    session.on('member_left', (m, why, here) => heard.push(`${m.name} ${why}, ${here} here`));
    const ann = await joinAs(session, 'Ann');
    await joinAs(session, 'Ben');
    ann.close();
    await until(() => heard.length === 3);
    expect(heard).toEqual(['Ann joined, 1 here', 'Ben joined, 2 here', 'Ann left, 1 here']);
  });

  it('does not announce with mdns off', async () => {
    const session = await open();
    expect(await session.announce()).toBeUndefined();
    expect(session.discovery).toBeUndefined();
    expect(session.instanceName).toBeUndefined();
    expect(session.hostNames).toEqual([]);
  });

  it('announces with mdns on, and says why discovery is unavailable instead of failing', async () => {
    // Nothing can multicast here: vitest's HEARTH_MDNS_ONLY leaves only the namespace lab's
    // addresses, and the one interface named does not exist.
    expect(process.env['HEARTH_MDNS_ONLY']).toBeTruthy();
    const session = await open({ mdns: true, interfaces: ['hearth-no-such-if0'] });
    const status = await session.announce();
    expect(status).toEqual({ state: 'unavailable', reason: 'hearth-no-such-if0 has no IPv4 address yet (discovery starts when it gets one)' });
    expect(session.discovery).toEqual(status);
    expect(session.instanceName).toMatch(new RegExp(`^Kitchen \\(${session.hostId.slice(0, 6)}\\)$`));
    // The room is open all the same.
    await joinAs(session, 'Ann');
    await session.stop();
    expect(session.discovery).toEqual({ state: 'stopped' });
  });

  it('stops in order: everyone told, history saved and closed; twice is once, and stopped is never announced', async () => {
    const dataDir = newDir();
    const dir = join(dataDir, 'room');
    const session = await open({ dataDir, history: { kind: 'folder', dir } });
    const ann = await joinAs(session, 'Ann');
    ann.send({ type: 'chat', id: 'm1', text: 'kept' });
    await ann.next('ack');
    await Promise.all([session.stop(), session.stop()]);
    expect(await ann.waitClosed()).toMatchObject({ code: CloseCode.goingAway, reason: 'host stopped' });
    await expect(fetch(`${session.localUrl}health`)).rejects.toThrow();
    expect(await session.announce()).toBeUndefined();

    const store = openHistory(dir).store;
    try {
      expect(store.after(0, 10, '').map((m) => m.text)).toEqual(['kept']);
    } finally {
      store.close();
    }
  });

  it('stops while the announcement is still starting', async () => {
    const session = await open({ mdns: true, interfaces: ['hearth-no-such-if0'] });
    const announcing = session.announce();
    await session.stop();
    await announcing;
    expect(session.discovery).toEqual({ state: 'stopped' });
  });
});
