// How the desktop app stops: hosting is stopped once (goodbye on the LAN, history
// flushed), whoever asks first (a quit, the last window closing, Windows ending the
// session, the system shutting down), and the app quits even when stopping fails or hangs.
// Pure (no electron import): main/index.ts wires Electron's events to it.

export interface QuitSequenceOptions {
  /** Stop hosting and discovery (AppServices.shutdown). */
  stop(): Promise<void>;
  /** app.quit(). */
  quit(): void;
  log(line: string): void;
  /** The longest a quit waits for `stop` (a hung socket must not keep the app alive). */
  deadlineMs?: number;
  /** Is a room open? Without one there is no goodbye to wait for. */
  hosting?: () => boolean;
}

export const QUIT_DEADLINE_MS = 5000;

export class QuitSequence {
  readonly #options: QuitSequenceOptions;
  #stopping: Promise<void> | undefined;
  #stopped = false;
  #quitAfterStop = false;
  /** The system or session is ending: it decides when we go, never us. */
  #systemEnding = false;

  constructor(options: QuitSequenceOptions) {
    this.#options = options;
  }

  /**
   * before-quit: true while the quit has to wait (the caller prevents it); the app is
   * quit again once stopping is over, and that second before-quit answers false.
   */
  beforeQuit(): boolean {
    if (this.#stopped) return false;
    // Nothing to say goodbye for, or the system is ending (macOS asks each app to quit on
    // a restart, and an app that refuses aborts the restart): stop, but let the quit go on.
    if (this.#systemEnding || !(this.#options.hosting?.() ?? true)) {
      void this.stop();
      return false;
    }
    this.#quitWhenStopped();
    return true;
  }

  /**
   * The session or the system is ending (Windows session-end, powerMonitor shutdown):
   * stop now, then quit. before-quit may never come in that case.
   */
  sessionEnding(why: string): Promise<void> {
    if (!this.#systemEnding) this.#options.log(`stopping: ${why}`);
    this.#systemEnding = true;
    this.#quitWhenStopped();
    return this.stop();
  }

  /** Stop once; never rejects, and settles by the deadline at the latest. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stopOnce();
    return this.#stopping;
  }

  #quitWhenStopped(): void {
    if (this.#quitAfterStop) return;
    this.#quitAfterStop = true;
    void this.stop().then(() => this.#options.quit());
  }

  async #stopOnce(): Promise<void> {
    const deadlineMs = this.#options.deadlineMs ?? QUIT_DEADLINE_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), deadlineMs)));
    try {
      // A failure here used to escape as an unhandled rejection (`.finally(app.quit)`
      // passes it on): a quit must log it and go on.
      const stopped = Promise.resolve()
        .then(() => this.#options.stop())
        .then(
        () => 'done' as const,
        (error: unknown) => {
          this.#options.log(`stopping failed: ${error instanceof Error ? error.message : String(error)}`);
          return 'done' as const;
        },
      );
      if ((await Promise.race([stopped, deadline])) === 'late') this.#options.log(`stopping took over ${deadlineMs} ms: quitting anyway`);
    } finally {
      clearTimeout(timer);
      this.#stopped = true;
    }
  }
}
