// Drive the real `hearth` CLI as child processes: a host to kill and restart, terminal
// clients fed through stdin, and their output read line by line.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HEARTH_BIN = fileURLToPath(new URL('../../bin/hearth.js', import.meta.url));

export class Proc {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: string[] = [];
  readonly errLines: string[] = [];
  exit: Promise<number | null>;

  /** `netns`: run inside that network namespace (a test host, see test/netns). */
  constructor(args: string[], env: NodeJS.ProcessEnv = {}, netns?: string, nodeArgs: string[] = []) {
    const command = [process.execPath, ...nodeArgs, HEARTH_BIN, ...args];
    const [file, ...rest] = netns ? ['ip', 'netns', 'exec', netns, ...command] : command;
    // `hearth join` remembers each host's identity in its data folder (known_hosts): each test
    // joiner gets a folder of its own, so a host made by another test or run on a reused port
    // never looks like a changed identity, and nothing is written to the real user's folder.
    const ownData = args[0] === 'join' && env['HEARTH_DATA'] === undefined && !args.includes('--data') ? mkdtempSync(join(tmpdir(), 'hearth-joiner-')) : undefined;
    this.child = spawn(file!, rest, {
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...(ownData && { HEARTH_DATA: ownData }), ...env },
      stdio: 'pipe',
    });
    collect(this.child.stdout, this.lines);
    collect(this.child.stderr, this.errLines);
    this.exit = new Promise((resolve) =>
      this.child.once('exit', (code) => {
        if (ownData) rmSync(ownData, { recursive: true, force: true });
        resolve(code);
      }),
    );
  }

  write(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  endInput(): void {
    this.child.stdin.end();
  }

  async waitForLine(pattern: RegExp, timeoutMs = 8000, stream: 'out' | 'err' = 'out'): Promise<string> {
    const lines = stream === 'out' ? this.lines : this.errLines;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = lines.find((l) => pattern.test(l));
      if (line !== undefined) return line;
      if (Date.now() > deadline) {
        throw new Error(`no line matching ${pattern}; stdout:\n${this.lines.join('\n')}\nstderr:\n${this.errLines.join('\n')}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }
}

/** Keep a child's output as lines (the last, unfinished one waits for its newline). */
export function collect(stream: NodeJS.ReadableStream, into: string[]): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    into.push(...parts);
  });
}

/** Start `hearth host` and wait until it prints its local address. */
/** Start `hearth host`; it never announces on the LAN unless `mdns` (inside a test namespace). */
export async function spawnHost(
  args: string[],
  options: { netns?: string; mdns?: boolean; env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {},
): Promise<{ proc: Proc; port: number; adminToken: string }> {
  const proc = new Proc(['host', ...(options.mdns ? [] : ['--no-mdns']), ...args], options.env ?? {}, options.netns, options.nodeArgs ?? []);
  let local: string;
  let token: string;
  try {
    local = await proc.waitForLine(/On this machine: http:\/\/127\.0\.0\.1:(\d+)\//);
    token = await proc.waitForLine(/Admin token/);
  } catch (error) {
    // Never tracked by the caller (it gets no proc back): a host that did not start in time
    // is stopped here, or it would outlive the test and hold its port and folder.
    proc.kill('SIGKILL');
    await proc.exit;
    throw error;
  }
  return {
    proc,
    port: Number(/:(\d+)\//.exec(local)![1]),
    adminToken: token.split(':').pop()!.trim(),
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
