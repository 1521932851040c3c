// The proof that `hearth join` encrypts (issue #16): a relay that records every byte between
// it and the host is the capture (this machine has no tcpdump, and captures need root; the
// relay sees exactly what a listener on the wire would). A chat sent through it by
// `hearth join` never appears in clear; the same relay does see a plain WebSocket client's,
// and a host from before encryption, joined with a warning, unless something promised
// encryption for it (then it is a downgrade, refused). A client's frames are masked on the
// wire (RFC 6455 §5.3), but the host sends each message back to its sender, unmasked: in
// plain, the text crosses the relay that way.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostIdOf } from '../../common/identity.ts';
import { Proc, spawnHost } from '../../test/support/cli.ts';
import { FrameClient, startTestHost, tempDir } from '../../test/support/host.ts';
import { startRecordingProxy, type RecordingProxy } from '../../test/support/recording-proxy.ts';
import { endEachTest } from '../../test/support/test-ends.ts';

const { procs, cleanups } = endEachTest();

function folder(): string {
  const dir = tempDir();
  cleanups.push(() => dir.remove());
  return dir.path;
}

async function capture(port: number): Promise<RecordingProxy> {
  const relay = await startRecordingProxy({ host: '127.0.0.1', port });
  cleanups.push(() => relay.close());
  return relay;
}

/** `hearth join` with its own data folder: sends `lines`, ends input, resolves once it exits. */
async function say(address: string, joinerData: string, lines: string[]): Promise<Proc & { code: number | null }> {
  const proc = new Proc(['join', address, '--data', joinerData, '--name', 'Jo']);
  procs.push(proc);
  for (const line of lines) proc.write(line);
  proc.endInput();
  const code = await proc.exit;
  return Object.assign(proc, { code });
}

async function historyTexts(wsUrl: string): Promise<string[]> {
  const reader = await FrameClient.join(wsUrl, `Reader${randomBytes(3).toString('hex')}`);
  const texts = reader.frames.flatMap((f) => (f.type === 'history' ? f.messages.map((m) => m.text) : []));
  reader.close();
  return texts;
}

/** A TLS record header: handshake (22), record version 3.1 (what a ClientHello is sent under). */
const TLS_CLIENT_HELLO = Buffer.from([0x16, 0x03, 0x01]);

/** Text no protocol frame, header or certificate could contain by chance. */
function secretText(): string {
  return `the plan is ${randomBytes(8).toString('hex')}`;
}

describe('hearth join: the capture', { timeout: 60_000 }, () => {
  it('never shows the chat in clear; a plain ws client through the same relay does', async () => {
    const started = await spawnHost(['--port', '0', '--data', folder(), '--store', 'memory']);
    procs.push(started.proc);
    const relay = await capture(started.port);
    const secret = secretText();

    const sent = await say(`127.0.0.1:${relay.port}`, folder(), [secret]);
    expect(sent.code).toBe(0);
    expect(sent.errLines).toEqual([]);
    expect(relay.saw(secret)).toBe(false);
    expect(relay.saw('GET /ws')).toBe(false); // even the upgrade request is inside TLS
    expect(relay.saw('GET /health')).toBe(true); // the plain question that finds the room: no secret in it
    expect(relay.sent().includes(TLS_CLIENT_HELLO)).toBe(true); // the join crossed the same relay, encrypted

    // The control: the host has the message, and a plain client through the relay reads it in clear.
    expect(await historyTexts(`ws://127.0.0.1:${relay.port}/ws`)).toEqual([secret]);
    expect(relay.saw(secret)).toBe(true);
  });
});

describe('hearth join: a host without encryption', { timeout: 60_000 }, () => {
  it('joins with a warning when nothing promised encryption; the chat then crosses in clear', async () => {
    const host = await startTestHost();
    cleanups.push(() => host.dispose());
    const relay = await capture(host.port);
    const secret = secretText();

    const sent = await say(`127.0.0.1:${relay.port}`, folder(), [secret]);
    expect(sent.code).toBe(0);
    expect(sent.errLines).toEqual(['hearth join: This host does not support encryption: people on this network could read this room.']);
    expect(sent.lines.join('\n')).not.toMatch(/First time/);
    expect(relay.saw(secret)).toBe(true);
  });

  it('refuses as a downgrade an address remembered with an identity, a link naming one, or a host announcing one', async () => {
    const promised = randomBytes(32).toString('hex');
    const host = await startTestHost({ hostId: hostIdOf(promised) });
    cleanups.push(() => host.dispose());
    const address = `127.0.0.1:${host.port}`;

    const remembering = folder();
    writeFileSync(joinPath(remembering, 'known_hosts'), `${address} ${promised} 2026-12-01T18:30:00.000Z\n`, { mode: 0o600 });
    const known = await say(address, remembering, ['downgraded?']);
    expect(known.code).toBe(1);
    expect(known.errLines.join('\n')).toContain(`hearth join: WARNING: the host at ${address} did not answer encrypted, but it had an identity when you joined before`);
    expect(known.errLines.join('\n')).toContain(`delete its line in ${joinPath(remembering, 'known_hosts')}`);

    const linked = await say(`http://${address}/#id=${hostIdOf(promised)}`, folder(), ['downgraded?']);
    expect(linked.code).toBe(1);
    expect(linked.errLines.join('\n')).toContain('did not answer encrypted, but the link names its identity');

    const announced = await say(address, folder(), ['downgraded?']);
    expect(announced.code).toBe(1);
    expect(announced.errLines.join('\n')).toContain('did not answer encrypted, but it announces an identity');

    expect(await historyTexts(host.url)).toEqual([]); // nothing was sent
  });
});
