// What a test file's tests start and must end after each test, whatever happened in it: the
// processes first (SIGKILLed and waited for, so no port or folder is still held), then the
// cleanups, newest first. One afterEach for every CLI test file.
import { afterEach } from 'vitest';
import type { Proc } from './cli.ts';

export interface TestEnds {
  procs: Proc[];
  cleanups: Array<() => Promise<void> | void>;
  /** Ends this process after the test; returns it. */
  track<T extends Proc>(proc: T): T;
}

export function endEachTest(): TestEnds {
  const procs: Proc[] = [];
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const p of procs.splice(0)) {
      p.kill('SIGKILL');
      await p.exit;
    }
    for (const clean of cleanups.splice(0).reverse()) await clean();
  });
  return {
    procs,
    cleanups,
    track: (proc) => {
      procs.push(proc);
      return proc;
    },
  };
}
