// `hearth join` checks the host's identity before it sends anything (issue #16, item 3):
// real `hearth host` processes, real TLS, real `hearth join` processes, each joiner with
// its own data folder (its known_hosts), everything on 127.0.0.1.
import { randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { connect, createServer, type Socket } from 'node:net';
import { join as joinPath } from 'node:path';
import { describe, expect, it } from 'vitest';
import { colonHex, fingerprintOf, hostIdOf, shortFingerprint } from '../../common/identity.ts';
import { Proc, spawnHost } from '../../test/support/cli.ts';
import { FrameClient, tempDir } from '../../test/support/host.ts';
import { startMitmProxy, type MitmProxy } from '../../test/support/mitm-proxy.ts';
import { endEachTest } from '../../test/support/test-ends.ts';
import { loadOrCreateIdentity } from '../host/identity.ts';

const { cleanups, track } = endEachTest();

function folder(): string {
  const dir = tempDir();
  cleanups.push(() => dir.remove());
  return dir.path;
}

/** `hearth host` with a durable history in `data`; its fingerprint as the certificate file says. */
async function host(data: string, ...args: string[]) {
  const started = await spawnHost(['--port', '0', '--data', data, ...args]);
  track(started.proc);
  return { ...started, fingerprint: certificateFingerprint(data) };
}

function certificateFingerprint(data: string): string {
  return fingerprintOf(new X509Certificate(readFileSync(joinPath(data, 'host-cert.pem'))).raw);
}

function join(address: string, joinerData: string, ...args: string[]): Proc {
  return track(new Proc(['join', address, '--data', joinerData, ...args]));
}

/** Joins, sends `lines`, ends input; resolves with the exit code. */
async function say(address: string, joinerData: string, lines: string[], ...args: string[]): Promise<Proc & { code: number | null }> {
  const proc = join(address, joinerData, '--name', 'Jo', ...args);
  for (const line of lines) proc.write(line);
  proc.endInput();
  const code = await proc.exit;
  return Object.assign(proc, { code });
}

/** The texts in the room's history, read by a plain WebSocket client (the port answers both ways). */
async function historyTexts(port: number): Promise<string[]> {
  const reader = await FrameClient.join(`ws://127.0.0.1:${port}/ws`, `Reader${randomBytes(3).toString('hex')}`);
  const texts = reader.frames.flatMap((f) => (f.type === 'history' ? f.messages.map((m) => m.text) : []));
  reader.close();
  return texts;
}

function knownHostsLines(joinerData: string): string[] {
  return readFileSync(joinPath(joinerData, 'known_hosts'), 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'));
}

function otherFingerprint(): string {
  return randomBytes(32).toString('hex');
}

describe('hearth join: the host identity', { timeout: 60_000 }, () => {
  it('remembers a host on first use (0600), and joins silently the next time', async () => {
    const hostData = folder();
    const { port, fingerprint } = await host(hostData, '--store', 'memory');
    const me = folder();
    const first = await say(`127.0.0.1:${port}`, me, ['hello over tls']);
    expect(first.code).toBe(0);
    expect(first.lines).toContain(`-- First time joining this host. Its identity: ${shortFingerprint(fingerprint)} — check that the host's screen shows the same (remembered in ${joinPath(me, 'known_hosts')}).`);
    expect(knownHostsLines(me)).toEqual([expect.stringMatching(new RegExp(`^127\\.0\\.0\\.1:${port} ${fingerprint} \\d{4}-\\d\\d-\\d\\dT`))]);
    expect(statSync(joinPath(me, 'known_hosts')).mode & 0o777).toBe(0o600);

    const second = await say(`127.0.0.1:${port}`, me, ['hello again']);
    expect(second.code).toBe(0);
    expect(second.lines.join('\n')).not.toMatch(/First time|identity/i);
    expect(second.errLines).toEqual([]);
    expect(await historyTexts(port)).toEqual(['hello over tls', 'hello again']);
  });

  it('stops at a new identity on the same address with both, sends nothing, and joins only with the right --accept-fingerprint', async () => {
    const hostData = folder();
    const before = await host(hostData);
    const me = folder();
    expect((await say(`127.0.0.1:${before.port}`, me, ['before the change'])).code).toBe(0);
    before.proc.kill('SIGTERM');
    await before.proc.exit;

    const after = await host(hostData, '--port', String(before.port), '--new-identity');
    expect(after.port).toBe(before.port);
    expect(after.fingerprint).not.toBe(before.fingerprint);
    const address = `127.0.0.1:${before.port}`;

    const refused = await say(address, me, ['sent to whoever this is']);
    expect(refused.code).toBe(1);
    const warning = refused.errLines.join('\n');
    expect(warning).toContain(`hearth join: WARNING: the host at ${address} is not the one you joined before.`);
    expect(warning).toMatch(new RegExp(`remembered +${shortFingerprint(before.fingerprint)} +\\(SHA-256 ${colonHex(before.fingerprint)}\\)`));
    expect(warning).toMatch(new RegExp(`presented +${shortFingerprint(after.fingerprint)} +\\(SHA-256 ${colonHex(after.fingerprint)}\\)`));
    expect(warning).toContain(`  hearth join ${address} --accept-fingerprint ${shortFingerprint(after.fingerprint)} --data ${me}`);
    expect(refused.lines.join('\n')).not.toMatch(/Joined/);
    expect(await historyTexts(before.port)).toEqual(['before the change']);

    const wrong = await say(address, me, ['with a wrong identity'], '--accept-fingerprint', shortFingerprint(otherFingerprint()));
    expect(wrong.code).toBe(1);
    expect(wrong.errLines.join('\n')).toContain('is not the one you joined before');
    // A link naming the new identity does not replace the remembered one either: anyone can send a link.
    const linked = await say(`http://${address}/#id=${hostIdOf(after.fingerprint)}`, me, ['through a link']);
    expect(linked.code).toBe(1);
    expect(linked.errLines.join('\n')).toContain('is not the one you joined before');
    expect(knownHostsLines(me)[0]).toContain(before.fingerprint);

    // The command the warning printed, as a person would paste it.
    const command = /hearth join (\S+) --accept-fingerprint (\S+)/.exec(warning)!;
    const accepted = await say(command[1]!, me, ['after checking the screen'], '--accept-fingerprint', command[2]!);
    expect(accepted.code).toBe(0);
    expect(accepted.lines).toContain(
      `-- Trusting this host's new identity: ${shortFingerprint(after.fingerprint)} (it was ${shortFingerprint(before.fingerprint)}); remembered in ${joinPath(me, 'known_hosts')}.`,
    );
    expect(knownHostsLines(me)).toEqual([expect.stringMatching(new RegExp(`^${address.replaceAll('.', '\\.')} ${after.fingerprint} `))]);
    expect(await historyTexts(before.port)).toEqual(['before the change', 'after checking the screen']);
    const silent = await say(address, me, ['and now known']);
    expect(silent.code).toBe(0);
    expect(silent.errLines).toEqual([]);
  });

  it('refuses a malformed --accept-fingerprint, and on first use one the host does not present', async () => {
    const { port, fingerprint } = await host(folder(), '--store', 'memory');
    const me = folder();
    const malformed = join(`127.0.0.1:${port}`, me, '--accept-fingerprint', 'not-an-identity');
    expect(await malformed.exit).toBe(2);
    expect(malformed.errLines.join('\n')).toMatch(/--accept-fingerprint takes the identity the host's screen shows/);

    const other = await say(`127.0.0.1:${port}`, me, ['x'], '--accept-fingerprint', shortFingerprint(otherFingerprint()));
    expect(other.code).toBe(1);
    expect(other.errLines.join('\n')).toContain(`does not present the identity you gave`);
    expect(other.errLines.join('\n')).toContain(shortFingerprint(fingerprint));

    // The full fingerprint, colon hex as `hearth host` prints it, pins on first use.
    const checked = await say(`127.0.0.1:${port}`, me, ['checked first'], '--accept-fingerprint', colonHex(fingerprint));
    expect(checked.code).toBe(0);
    expect(checked.lines.join('\n')).toContain(`Trusting this host's new identity: ${shortFingerprint(fingerprint)};`);
    expect(knownHostsLines(me)[0]).toContain(fingerprint);
  });

  it('leaves when the host comes back with another identity while joined, and counts what was not delivered', async () => {
    const hostData = folder();
    const first = await host(hostData);
    const me = folder();
    const jo = join(`127.0.0.1:${first.port}`, me, '--name', 'Jo');
    await jo.waitForLine(/Joined/);
    jo.write('delivered before');
    await jo.waitForLine(/you: delivered before$/);
    first.proc.kill('SIGKILL');
    await first.proc.exit;
    jo.write('waiting for the host');
    jo.endInput();
    const second = await host(hostData, '--port', String(first.port), '--new-identity');
    expect(await jo.exit).toBe(1);
    const err = jo.errLines.join('\n');
    expect(err).toContain(`hearth join: WARNING: the host at 127.0.0.1:${first.port} is not the one you joined before.`);
    expect(err).toContain(`presented   ${shortFingerprint(second.fingerprint)}`);
    expect(err).toMatch(/^hearth join: 1 of 2 messages was not delivered \(the host's identity changed\)$/m);
    expect(await historyTexts(second.port)).toEqual(['delivered before']);
  });

  it("refuses an invite link whose id is another host's: the address answers as another room", async () => {
    const a = await host(folder(), '--store', 'memory');
    const b = await host(folder(), '--store', 'memory');
    const me = folder();
    const link = `http://127.0.0.1:${b.port}/#id=${hostIdOf(a.fingerprint)}`;
    const refused = await say(link, me, ['meant for A']);
    expect(refused.code).toBe(1);
    expect(refused.errLines.join('\n')).toMatch(new RegExp(`127\\.0\\.0\\.1:${b.port} is another Hearth room now .*not the one in this link`));
    expect(await historyTexts(b.port)).toEqual([]);
  });
});

describe('hearth join: a man in the middle with another certificate', { timeout: 60_000 }, () => {
  /**
   * The real host, and in front of it what an attacker on the LAN would run: plain
   * connections (the /health that finds the room) relayed as they are, TLS ones into a
   * proxy that terminates them with its own certificate and relays to the host.
   */
  async function intercepted() {
    const real = await host(folder(), '--store', 'memory');
    const mitm = await startMitmProxy(await loadOrCreateIdentity(folder()), { host: '127.0.0.1', port: real.port });
    cleanups.push(() => mitm.close());
    const front = await startSplitRelay({ tls: mitm.port, plain: real.port });
    cleanups.push(() => front.close());
    return { real, mitm, front };
  }

  function expectNothingSentThrough(mitm: MitmProxy): void {
    expect(mitm.saw('GET /ws')).toBe(false);
    expect(mitm.saw('secret')).toBe(false);
  }

  it('refuses through a link: the id it names is not the certificate presented', async () => {
    const { real, mitm, front } = await intercepted();
    const me = folder();
    const refused = await say(`http://127.0.0.1:${front.port}/#id=${hostIdOf(real.fingerprint)}`, me, ['secret via link']);
    expect(refused.code).toBe(1);
    const err = refused.errLines.join('\n');
    expect(err).toContain(`hearth join: WARNING: the host at 127.0.0.1:${front.port} is not the host the link was made for.`);
    expect(err).toContain(`the link's   ${shortFingerprint(real.fingerprint)}  (id ${hostIdOf(real.fingerprint)})`);
    expect(err).toContain(`presented   ${shortFingerprint(mitm.fingerprint)}`);
    expect(err).not.toContain('--accept-fingerprint'); // no override for a link's id
    expectNothingSentThrough(mitm);
    expect(await historyTexts(real.port)).toEqual([]);
  });

  it('warns as for a changed identity at an address remembered as the real host', async () => {
    const { real, mitm, front } = await intercepted();
    const me = folder();
    writeFileSync(joinPath(me, 'known_hosts'), `127.0.0.1:${front.port} ${real.fingerprint} 2026-12-01T18:30:00.000Z\n`, { mode: 0o600 });
    const refused = await say(`127.0.0.1:${front.port}`, me, ['secret typed']);
    expect(refused.code).toBe(1);
    const err = refused.errLines.join('\n');
    expect(err).toContain('is not the one you joined before');
    expect(err).toMatch(new RegExp(`remembered +${shortFingerprint(real.fingerprint)}`));
    expect(err).toMatch(new RegExp(`presented +${shortFingerprint(mitm.fingerprint)}`));
    expectNothingSentThrough(mitm);
    expect(await historyTexts(real.port)).toEqual([]);
  });

  it('refuses on first use when the room announces another identity than the certificate presented', async () => {
    const { real, mitm, front } = await intercepted();
    const me = folder();
    const refused = await say(`127.0.0.1:${front.port}`, me, ['secret first use']);
    expect(refused.code).toBe(1);
    const err = refused.errLines.join('\n');
    expect(err).toContain('announces one identity and presents another');
    expect(err).toContain(`(id ${hostIdOf(real.fingerprint)})`);
    expect(err).toContain(shortFingerprint(mitm.fingerprint));
    expectNothingSentThrough(mitm);
    expect(statExists(joinPath(me, 'known_hosts'))).toBe(false); // nothing remembered
  });

  it('cannot relay a password: trusted on first use by a full impersonation, it gets a proof the real host refuses', async () => {
    // The real room, with a password (read from stdin when it is not a terminal).
    const real = track(new Proc(['host', '--no-mdns', '--port', '0', '--data', folder(), '--store', 'memory', '--password']));
    real.write('sesame');
    const realPort = Number(/127\.0\.0\.1:(\d+)\//.exec(await real.waitForLine(/On this machine: http:\/\/127\.0\.0\.1:\d+\//))![1]);
    const mitm = await startMitmProxy(await loadOrCreateIdentity(folder()), { host: '127.0.0.1', port: realPort });
    cleanups.push(() => mitm.close());
    // This one also answers /health as the real room, with its own certificate's id: nothing
    // on the wire tells it from the host, so a first use trusts it.
    const health = await startHealthImpersonation(realPort, hostIdOf(mitm.fingerprint));
    cleanups.push(() => health.close());
    const front = await startSplitRelay({ tls: mitm.port, plain: health.port });
    cleanups.push(() => front.close());

    const fooled = join(`127.0.0.1:${front.port}`, folder(), '--name', 'Jo');
    fooled.write('sesame');
    await fooled.waitForLine(new RegExp(`First time joining this host\\. Its identity: ${shortFingerprint(mitm.fingerprint)}`));
    await fooled.waitForLine(/!! Wrong password\./);
    expect(await fooled.exit).toBe(1);
    // The host's refusal came back through the man in the middle: the proof went through it.
    // (What clients send is masked, RFC 6455 §5.3; what hosts send is not.)
    expect(mitm.saw('"code":"bad_password"')).toBe(true);

    // The control: the same password, straight to the host, is the right one.
    const direct = join(`127.0.0.1:${realPort}`, folder(), '--name', 'Jo');
    direct.write('sesame');
    await direct.waitForLine(/Joined .* as Jo/);
    direct.endInput();
    expect(await direct.exit).toBe(0);
  });
});

function statExists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Answers /health as the host at `port` does, but with another id: an impersonation of the plain part. */
async function startHealthImpersonation(port: number, id: string): Promise<{ port: number; close(): Promise<void> }> {
  const server = createHttpServer((req, res) => {
    if (req.url !== '/health') return void res.writeHead(404).end();
    void fetch(`http://127.0.0.1:${port}/health`)
      .then((answer) => answer.json() as Promise<Record<string, unknown>>)
      .then((body) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...body, id })))
      .catch(() => res.writeHead(502).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A relay that sends TLS connections (first byte 0x16) to one port and plain ones to another. */
async function startSplitRelay(to: { tls: number; plain: number }): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    client.once('data', (first: Buffer) => {
      client.pause();
      const upstream = connect(first[0] === 0x16 ? to.tls : to.plain, '127.0.0.1');
      sockets.add(upstream);
      upstream.once('close', () => sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      upstream.write(first);
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
