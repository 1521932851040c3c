import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join as joinPath } from 'node:path';
import { describe, expect, it } from 'vitest';
import { colonHex, fingerprintOf, hostIdOf, shortFingerprint } from '../../common/identity.ts';
import { Proc, spawnHost } from '../../test/support/cli.ts';
import { tempDir } from '../../test/support/host.ts';
import { endEachTest } from '../../test/support/test-ends.ts';

const { cleanups, track } = endEachTest();

async function host(args: string[] = []) {
  const data = tempDir();
  cleanups.push(() => data.remove());
  const started = await spawnHost(['--port', '0', '--data', data.path, ...args]);
  track(started.proc);
  return started;
}

function join(port: number, ...args: string[]): Proc {
  return track(new Proc(['join', `127.0.0.1:${port}`, ...args]));
}

describe('hearth host + hearth join', () => {
  it('lets two terminal clients chat, with /users, /nick, /me and /msg', async () => {
    const { port } = await host(['--room', 'Kitchen']);
    const alice = join(port, '--name', 'Alice');
    await alice.waitForLine(/Joined "Kitchen" as Alice\. Nobody else is here yet/);
    const bob = join(port, '--name', 'Bob');
    await bob.waitForLine(/Joined "Kitchen" as Bob\. 1 other here/);
    await alice.waitForLine(/-- Bob joined/);

    alice.write('hello bob');
    await bob.waitForLine(/^\d\d:\d\d Alice: hello bob$/);
    await alice.waitForLine(/^\d\d:\d\d you: hello bob$/);

    bob.write('/users');
    await bob.waitForLine(/-- 2 here: (Alice, Bob \(you\)|Bob \(you\), Alice)/);

    bob.write('/me waves');
    await alice.waitForLine(/\* Bob waves/);

    const carol = join(port, '--name', 'Carol');
    await carol.waitForLine(/Joined/);
    alice.write('/msg Bob just between us');
    await bob.waitForLine(/Alice → you \(private\): just between us/);
    await alice.waitForLine(/you → Bob \(private\): just between us/);

    bob.write('/nick Robert');
    await alice.waitForLine(/-- Bob is now Robert/);
    await bob.waitForLine(/-- you are now Robert/);

    carol.write('marker');
    await carol.waitForLine(/you: marker/);
    expect(carol.lines.some((l) => l.includes('just between us'))).toBe(false);

    bob.write('/help');
    await bob.waitForLine(/\/msg NAME TEXT/);
    expect(bob.lines.some((l) => l.includes('/kick'))).toBe(false); // admin commands only with a token
    bob.write('/frobnicate');
    await bob.waitForLine(/!! Unknown command \/frobnicate/);

    bob.write('/quit');
    expect(await bob.exit).toBe(0);
    await alice.waitForLine(/-- Robert left/);
  });

  it('shows history to someone who joins later, and leaves when piped input ends', async () => {
    const { port } = await host();
    const writer = join(port, '--name', 'Writer');
    await writer.waitForLine(/Joined/);
    for (let i = 1; i <= 5; i++) writer.write(`line ${i}`);
    writer.endInput();
    expect(await writer.exit).toBe(0);
    const reader = join(port, '--name', 'Reader');
    await reader.waitForLine(/-- last 5 messages/);
    await reader.waitForLine(/Writer: line 5/);
  });

  it('delivers all of 200 lines piped in at once, in order, and exits 0 only then', async () => {
    const { port } = await host();
    const writer = join(port, '--name', 'Writer');
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i + 1}`);
    for (const line of lines) writer.write(line); // all in the outbox before it has even joined
    writer.endInput();
    expect(await writer.exit).toBe(0);
    expect(writer.errLines.join('\n')).not.toMatch(/not delivered/);
    const reader = join(port, '--name', 'Reader');
    await reader.waitForLine(/-- last 200 messages/);
    await reader.waitForLine(/Writer: line 200$/);
    const stored = reader.lines.flatMap((l) => /Writer: (line \d+)$/.exec(l)?.slice(1) ?? []);
    expect(stored).toEqual(lines); // each once, in the order typed
  });

  it('says how many piped lines were not delivered, and exits 1, when the host dies for good', async () => {
    const { port, proc } = await host();
    const writer = join(port, '--name', 'Writer', '--give-up-after', '1');
    await writer.waitForLine(/Joined/);
    for (let i = 1; i <= 5; i++) writer.write(`line ${i}`);
    await writer.waitForLine(/you: line 5$/);
    proc.kill('SIGKILL');
    await proc.exit;
    for (let i = 6; i <= 200; i++) writer.write(`line ${i}`);
    writer.endInput();
    expect(await writer.exit).toBe(1);
    expect(writer.errLines.join('\n')).toMatch(/^hearth join: 195 of 200 messages were not delivered \(nothing acknowledged for 1 s: (cannot reach the host|connection lost)\)$/m);
  });

  it('moderates with the admin token: /kick shows the reason to that person', async () => {
    const { port, adminToken } = await host();
    const admin = join(port, '--name', 'Admin', '--admin-token', adminToken);
    await admin.waitForLine(/Joined/);
    const pest = join(port, '--name', 'Pest');
    await pest.waitForLine(/Joined/);
    const plain = join(port, '--name', 'Plain');
    await plain.waitForLine(/Joined/);
    plain.write('/kick Pest');
    await plain.waitForLine(/Only the host can do that/);
    admin.write('/kick Pest be nice');
    await pest.waitForLine(/!! Removed by the host: be nice/);
    expect(await pest.exit).toBe(1);
    await admin.waitForLine(/-- kicked Pest/);
    await plain.waitForLine(/-- Pest was removed by the host/);
  });

  it('explains a taken name, a wrong password, a bad address and a place that is not a room', async () => {
    // --password reads the password from stdin when it is not a terminal.
    const data = tempDir();
    cleanups.push(() => data.remove());
    const locked = track(new Proc(['host', '--no-mdns', '--port', '0', '--data', data.path, '--password']));
    locked.write('sesame');
    const line = await locked.waitForLine(/On this machine: http:\/\/127\.0\.0\.1:(\d+)\//);
    const lockedPort = Number(/:(\d+)\//.exec(line)![1]);
    expect(locked.lines.some((l) => /password protected/.test(l))).toBe(true);

    const wrong = join(lockedPort, '--name', 'Guess');
    wrong.write('open sesame');
    await wrong.waitForLine(/!! Wrong password\./);
    expect(await wrong.exit).toBe(1);

    const right = join(lockedPort, '--name', 'Friend');
    right.write('sesame');
    await right.waitForLine(/Joined .* as Friend/);
    const clash = join(lockedPort, '--name', 'friend');
    clash.write('sesame');
    await clash.waitForLine(/!! "friend" is already taken here\. Pick another name\./);
    expect(await clash.exit).toBe(1);

    const garbage = track(new Proc(['join', 'not an address']));
    expect(await garbage.exit).toBe(2);
    expect(garbage.errLines.join('\n')).toMatch(/cannot contain spaces/);

    const nothing = track(new Proc(['join', '127.0.0.1:1']));
    expect(await nothing.exit).toBe(1);
    expect(nothing.errLines.join('\n')).toMatch(/Nothing is answering at 127\.0\.0\.1:1/);

    const web = createServer((_req, res) => res.end('<html>hello</html>'));
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const webPort = (web.address() as { port: number }).port;
    const notRoom = track(new Proc(['join', `127.0.0.1:${webPort}`]));
    expect(await notRoom.exit).toBe(1);
    expect(notRoom.errLines.join('\n')).toMatch(/answers, but it is not a Hearth room/);
    web.close();
  });

  it('refuses to start over silently when the history file was emptied, and starts over with --new-history', async () => {
    const data = tempDir();
    cleanups.push(() => data.remove());
    const first = await spawnHost(['--port', '0', '--data', data.path]);
    track(first.proc);
    const writer = join(first.port, '--name', 'Writer');
    await writer.waitForLine(/Joined/);
    for (let i = 1; i <= 3; i++) writer.write(`before ${i}`);
    await writer.waitForLine(/you: before 3/);
    writer.endInput();
    expect(await writer.exit).toBe(0);
    first.proc.kill('SIGTERM');
    expect(await first.proc.exit).toBe(0);

    const file = joinPath(data.path, 'history.sqlite');
    const { historyId } = JSON.parse(readFileSync(joinPath(data.path, 'history.json'), 'utf8')) as { historyId: string };
    writeFileSync(file, '');
    const refused = track(new Proc(['host', '--no-mdns', '--port', '0', '--data', data.path]));
    expect(await refused.exit).toBe(1);
    expect(refused.errLines).toContain(
      `hearth host: The history in ${file} is gone (the file is empty), but this folder had a room history (id ${historyId}). ` +
        'Restore the file from a backup, or start a new history on purpose with `hearth host --new-history`.',
    );
    expect(refused.lines.join('\n')).not.toMatch(/On this machine/);

    const again = await spawnHost(['--port', '0', '--data', data.path, '--new-history']);
    track(again.proc);
    await again.proc.waitForLine(/^ {2}Started a new history; the old files are kept as .*history\.sqlite\.broken-\d{8}T\d{6}Z/);
    const fresh = join(again.port, '--name', 'Fresh');
    await fresh.waitForLine(/Joined/);
    fresh.write('after the restart');
    await fresh.waitForLine(/you: after the restart/);
    const reader = join(again.port, '--name', 'Reader');
    await reader.waitForLine(/-- last 1 message$/);
    await reader.waitForLine(/Fresh: after the restart/);
    expect(reader.lines.some((l) => l.includes('before'))).toBe(false);
  });

  it('prints the same identity on every start, the one /health and the link carry; refuses a damaged one until --new-identity', async () => {
    const data = tempDir();
    cleanups.push(() => data.remove());
    const identityLine = /^ {2}Identity: ([a-z2-7]{5}(?:-[a-z2-7]{5}){3}) \(SHA-256 ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})\)$/;
    const starts: string[] = [];
    for (let run = 0; run < 2; run++) {
      const started = await spawnHost(['--port', '0', '--data', data.path, '--store', 'memory']);
      track(started.proc);
      const line = started.proc.lines.find((l) => identityLine.test(l));
      expect(line).toBeDefined();
      starts.push(line!);
      const fingerprint = fingerprintOf(new X509Certificate(readFileSync(joinPath(data.path, 'host-cert.pem'))).raw);
      const [, short, full] = identityLine.exec(line!)!;
      expect(short).toBe(shortFingerprint(fingerprint));
      expect(full).toBe(colonHex(fingerprint));
      const health = (await (await fetch(`http://127.0.0.1:${started.port}/health`)).json()) as { id: string };
      expect(health.id).toBe(hostIdOf(fingerprint));
      const link = started.proc.lines.find((l) => l.includes('Invite link'));
      if (link) expect(link).toContain(`id=${hostIdOf(fingerprint)}`);
      started.proc.kill('SIGTERM');
      expect(await started.proc.exit).toBe(0);
    }
    expect(starts[1]).toBe(starts[0]);

    writeFileSync(joinPath(data.path, 'host-cert.pem'), 'damaged');
    const refused = track(new Proc(['host', '--no-mdns', '--port', '0', '--data', data.path, '--store', 'memory']));
    expect(await refused.exit).toBe(1);
    expect(refused.errLines).toEqual([
      `hearth host: ${joinPath(data.path, 'host-cert.pem')} is not a certificate Hearth can read (damaged?).`,
      '  To start over with a new identity on purpose (its fingerprint changes: people who compare it will see a new one): hearth host --new-identity',
    ]);
    expect(refused.lines.join('\n')).not.toMatch(/On this machine/);

    const renewed = await spawnHost(['--port', '0', '--data', data.path, '--store', 'memory', '--new-identity']);
    track(renewed.proc);
    await renewed.proc.waitForLine(/^ {2}Made a new identity; the old files are kept as .*host-key\.pem\.broken-\d{8}T\d{6}Z, .*host-cert\.pem\.broken-/);
    expect(renewed.proc.lines.find((l) => identityLine.test(l))).not.toBe(starts[0]);
  });

  it('refuses bad options with a usage message', async () => {
    const never = track(new Proc(['join', '127.0.0.1:1', '--give-up-after', 'soon']));
    expect(await never.exit).toBe(2);
    expect(never.errLines.join('\n')).toMatch(/--give-up-after must be a number of seconds/);
    const bad = track(new Proc(['host', '--port', 'seventy']));
    expect(await bad.exit).toBe(2);
    expect(bad.errLines.join('\n')).toMatch(/--port must be a number/);
    const unknown = track(new Proc(['fly']));
    expect(await unknown.exit).toBe(2);
    expect(unknown.errLines.join('\n')).toMatch(/unknown command "fly"/);
  });

  it('names a room by the rule the desktop app uses: characters, not UTF-16 units, and no control characters', async () => {
    // 40 flames are 80 UTF-16 units: 40 characters, a name the desktop accepts too.
    const flames = '🔥'.repeat(40);
    // The two refused names are refused before any folder or port is touched: all three run at once.
    const long = track(new Proc(['host', '--no-mdns', '--port', '0', '--room', 'x'.repeat(65)]));
    const bell = track(new Proc(['host', '--no-mdns', '--port', '0', '--room', 'bad\u0007bell']));
    const { proc } = await host(['--room', flames]);
    await proc.waitForLine(new RegExp(`Hearth room "${flames}" is open`));
    expect(await long.exit).toBe(2);
    expect(long.errLines.join('\n')).toMatch(/--room must be 1–64 characters/);
    expect(await bell.exit).toBe(2);
    expect(bell.errLines.join('\n')).toMatch(/--room cannot contain control characters/);
  });
});
