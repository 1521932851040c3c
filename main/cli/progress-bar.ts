// How far a file transfer has got, in words a person reads at a glance: name, bar, percent,
// bytes, speed and time left. On a terminal one line is redrawn (the prompt's, so typing goes
// on); in a log (piped output) a line every 10 %, so a 2 GB transfer logs eleven lines, not
// thousands.
import { formatBytes } from '../../common/files.ts';
import { sanitizeForTerminal } from './terminal-format.ts';

/** `waiting`: checked, for an upload slot (the host takes a few at once from each person). */
export type TransferPhase = 'checking' | 'waiting' | 'sending' | 'receiving';

/** The speed is measured over the last few seconds: a stall shows at once, a burst does not last. */
const SPEED_WINDOW_MS = 3000;
const BAR_CELLS = 10;
/** A name longer than this is shortened in the middle: both its start and its extension stay readable. */
const NAME_CHARS = 32;

/** Said before the name in the phases that move no bytes yet. */
const PHASE_WORDS: Partial<Record<TransferPhase, string>> = { checking: 'checking', waiting: 'waiting to send' };

export class TransferProgress {
  readonly name: string;
  readonly total: number;
  #now: () => number;
  #phase: TransferPhase;
  #done = 0;
  #samples: Array<{ at: number; done: number }> = [];
  /** The last tenth a log line was written for, per phase (-1: none yet). */
  #loggedTenth = -1;
  #startedAt: number;

  constructor(name: string, total: number, phase: TransferPhase, now: () => number = Date.now) {
    this.name = shortName(sanitizeForTerminal(name).replace(/[\t\n]/g, ' '));
    this.total = total;
    this.#phase = phase;
    this.#now = now;
    this.#startedAt = now();
  }

  get phase(): TransferPhase {
    return this.#phase;
  }
  get done(): number {
    return this.#done;
  }

  /**
   * Record progress (bytes done so far in this phase). True when a log should get a line:
   * the phase's first update, each new tenth, and the end.
   */
  update(done: number, phase: TransferPhase = this.#phase): boolean {
    const now = this.#now();
    if (phase !== this.#phase) {
      this.#phase = phase;
      this.#samples = [];
      this.#loggedTenth = -1;
      this.#startedAt = now;
    }
    // A resumed transfer may start part-way, or go back (a host that kept less than it said).
    this.#done = Math.max(0, Math.min(done, this.total));
    this.#samples.push({ at: now, done: this.#done });
    while (this.#samples.length > 2 && now - this.#samples[0]!.at > SPEED_WINDOW_MS) this.#samples.shift();
    // Hashing is quick next to the network: a log gets one line for it, its start.
    if ((this.#phase === 'checking' || this.#phase === 'waiting') && this.#loggedTenth >= 0) return false;
    const tenth = this.total === 0 ? 10 : Math.floor((this.#done / this.total) * 10);
    if (tenth <= this.#loggedTenth) return false;
    this.#loggedTenth = tenth;
    return true;
  }

  /** Bytes a second over the last few seconds (undefined until there is something to measure). */
  bytesPerSecond(): number | undefined {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    if (!first || !last || last.at - first.at < 200) return undefined;
    return Math.max(0, ((last.done - first.done) * 1000) / (last.at - first.at));
  }

  secondsLeft(): number | undefined {
    const speed = this.bytesPerSecond();
    if (speed === undefined || speed <= 0) return undefined;
    return (this.total - this.#done) / speed;
  }

  /** Seconds since this phase began. */
  elapsedSeconds(): number {
    return (this.#now() - this.#startedAt) / 1000;
  }

  /** "report.pdf [████░░░░░░] 42% 1.2 MB of 3.0 MB · 8.1 MB/s · 3 s left" (checking: "checking report.pdf …"). */
  line(): string {
    const percent = this.total === 0 ? 100 : Math.floor((this.#done / this.total) * 100);
    const filled = Math.round((percent / 100) * BAR_CELLS);
    const bar = `[${'█'.repeat(filled)}${'░'.repeat(BAR_CELLS - filled)}]`;
    const parts = [`${formatBytes(this.#done)} of ${formatBytes(this.total)}`];
    const speed = this.bytesPerSecond();
    if (speed !== undefined) parts.push(`${formatBytes(Math.round(speed))}/s`);
    const left = this.secondsLeft();
    if (left !== undefined && this.#done < this.total) parts.push(`${formatDuration(Math.ceil(left))} left`);
    const what = this.#what();
    if (this.#phase === 'waiting') return what;
    return `${what} ${bar} ${percent}% ${parts.join(' · ')}`;
  }

  /** What fits beside a prompt: "report.pdf 42% 8.1 MB/s". */
  short(): string {
    const percent = this.total === 0 ? 100 : Math.floor((this.#done / this.total) * 100);
    const speed = this.bytesPerSecond();
    const what = this.#what();
    if (this.#phase === 'waiting') return what;
    return `${what} ${percent}%${speed === undefined || this.#phase === 'checking' ? '' : ` ${formatBytes(Math.round(speed))}/s`}`;
  }

  #what(): string {
    const words = PHASE_WORDS[this.#phase];
    return words === undefined ? this.name : `${words} ${this.name}`;
  }
}

/** "4 s", "3 min", "1 h 5 min": as precise as a person waiting needs. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  const h = Math.floor(s / 3600);
  const min = Math.round((s % 3600) / 60);
  return min === 0 ? `${h} h` : `${h} h ${min} min`;
}

function shortName(name: string): string {
  const chars = [...name];
  if (chars.length <= NAME_CHARS) return name;
  const tail = Math.floor(NAME_CHARS / 3);
  return `${chars.slice(0, NAME_CHARS - tail - 1).join('')}…${chars.slice(-tail).join('')}`;
}
