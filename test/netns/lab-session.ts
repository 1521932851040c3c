// What every namespace suite needs around its tests: processes killed and labs, folders and
// neighbours removed after each test; `hearth host` in a namespace with a data folder of its
// own; timings printed as they come and again together at the end.
import { afterAll, afterEach } from 'vitest';
import { spawnHost, type Proc } from '../support/cli.ts';
import { tempDir } from '../support/host.ts';

export interface LabSession {
  /** Undone after each test, last first (after every tracked process is killed). */
  cleanups: Array<() => unknown>;
  /** Killed after each test. */
  track(proc: Proc): Proc;
  /** An announcing `hearth host` inside netns, started (its address lines printed). */
  host(netns: string, args: string[]): Promise<Proc>;
  timing(line: string): void;
}

export function labSession(label: string): LabSession {
  const procs: Proc[] = [];
  const cleanups: Array<() => unknown> = [];
  const timings: string[] = [];
  afterEach(async () => {
    for (const p of procs.splice(0)) {
      p.kill('SIGKILL');
      await p.exit;
    }
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  afterAll(() => {
    if (timings.length) console.log(`\n${label} timings\n  ${timings.join('\n  ')}`);
  });
  const track = (proc: Proc) => {
    procs.push(proc);
    return proc;
  };
  return {
    cleanups,
    track,
    host: async (netns, args) => {
      const data = tempDir();
      cleanups.push(() => data.remove());
      const started = await spawnHost(['--data', data.path, ...args], { netns, mdns: true });
      return track(started.proc);
    },
    timing: (line) => {
      timings.push(line);
      console.log(`${label} timing: ${line}`);
    },
  };
}
