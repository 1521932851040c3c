import { afterEach, describe, expect, it, vi } from 'vitest';
import { QuitSequence } from './lifecycle.ts';

function setup(stop: () => Promise<void>, deadlineMs?: number) {
  const quit = vi.fn();
  const lines: string[] = [];
  const sequence = new QuitSequence({ stop, quit, log: (line) => lines.push(line), ...(deadlineMs !== undefined && { deadlineMs }) });
  return { sequence, quit, lines };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('quitting', () => {
  afterEach(() => vi.useRealTimers());

  it('holds the first quit until hosting has stopped, then quits for real', async () => {
    let finish!: () => void;
    const stop = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const { sequence, quit } = setup(stop);
    expect(sequence.beforeQuit()).toBe(true); // the caller prevents this quit
    expect(sequence.beforeQuit()).toBe(true); // a second Cmd+Q while stopping waits too
    await tick();
    expect(quit).not.toHaveBeenCalled();
    finish();
    await tick();
    expect(quit).toHaveBeenCalledTimes(1);
    expect(sequence.beforeQuit()).toBe(false); // the quit that follows goes through
    expect(stop).toHaveBeenCalledTimes(1);
  });

  it('lets a quit through at once when no room is open, or when the system is ending', async () => {
    let hosting = false;
    const stop = vi.fn(() => new Promise<void>(() => {}));
    const quit = vi.fn();
    const idle = new QuitSequence({ stop, quit, log: () => {}, hosting: () => hosting });
    expect(idle.beforeQuit()).toBe(false); // nothing to say goodbye for: no waiting
    await tick();
    expect(stop).toHaveBeenCalledTimes(1); // discovery still stops

    hosting = true;
    const restarting = new QuitSequence({ stop, quit, log: () => {}, hosting: () => hosting });
    void restarting.sessionEnding('the system is shutting down');
    // macOS then asks the app to quit: refusing would abort the restart.
    expect(restarting.beforeQuit()).toBe(false);
  });

  it('quits even when stopping fails, with a log line and no unhandled rejection', async () => {
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const { sequence, quit, lines } = setup(() => Promise.reject(new Error('database is locked')));
      expect(sequence.beforeQuit()).toBe(true);
      await tick();
      await tick();
      expect(quit).toHaveBeenCalledTimes(1);
      expect(lines).toEqual(['stopping failed: database is locked']);
      // The old `void shutdown().finally(() => app.quit())` passed this failure on, unhandled.
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it('quits even when stopping throws before it returns a promise', async () => {
    const { sequence, quit } = setup(() => {
      throw new Error('no host');
    });
    sequence.beforeQuit();
    await tick();
    expect(quit).toHaveBeenCalledTimes(1);
  });

  it('does not wait past the deadline for a stop that hangs', async () => {
    vi.useFakeTimers();
    const { sequence, quit, lines } = setup(() => new Promise<void>(() => {}), 5000);
    sequence.beforeQuit();
    await vi.advanceTimersByTimeAsync(4999);
    expect(quit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(quit).toHaveBeenCalledTimes(1);
    expect(lines).toEqual(['stopping took over 5000 ms: quitting anyway']);
  });

  it('stops once when the session ends, then quits; a later before-quit goes straight through', async () => {
    const stop = vi.fn(async () => {});
    const { sequence, quit, lines } = setup(stop);
    const ending = sequence.sessionEnding('the Windows session is ending');
    void sequence.sessionEnding('the Windows session is ending'); // a second window hears it too
    await ending;
    await tick();
    expect(stop).toHaveBeenCalledTimes(1);
    expect(quit).toHaveBeenCalledTimes(1);
    expect(lines[0]).toBe('stopping: the Windows session is ending');
    expect(sequence.beforeQuit()).toBe(false);
  });
});
