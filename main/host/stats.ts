// What the host's dashboard shows: counters, 15 minutes of time series, and an activity
// log. The hot path only bumps plain numbers; everything else happens once a second.
import { EventEmitter } from 'node:events';
// The shapes the dashboard receives are the host's contract for dashboards.
import { ACTIVITY_KEEP, type ActivityEntry, type ActivityKind, type DashboardCounters, type DashboardSeriesPoint } from '../../common/dashboard.ts';

const SERIES_SECONDS = 15 * 60;
const SERIES_STEP = 5;

export class RoomStats extends EventEmitter<{ activity: [ActivityEntry]; tick: [] }> {
  /** Bumped on the hot path: bytes received and sent. */
  readonly traffic = { in: 0, out: 0 };
  messagesTotal = 0;
  rejectedBadInput = 0;
  slowedDown = 0;
  reconnects = 0;
  people = 0;
  peak = 0;

  readonly #now: () => number;
  #activity: ActivityEntry[] = [];
  #nextId = 1;
  /** Messages per second for the last minute (ring), for the per-minute rate. */
  #perSecond = new Array<number>(60).fill(0);
  #secondIndex = 0;
  #messagesAtLastTick = 0;
  #lastTraffic = { in: 0, out: 0, at: 0 };
  #rate = { in: 0, out: 0 };
  #series: DashboardSeriesPoint[] = [];
  #ticks = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(now: () => number = Date.now) {
    super();
    this.#now = now;
    this.#lastTraffic.at = now();
  }

  start(): void {
    this.#timer ??= setInterval(() => this.tick(), 1000);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  setPeople(count: number): void {
    this.people = count;
    if (count > this.peak) this.peak = count;
  }

  log(kind: ActivityKind, text: string): ActivityEntry {
    const entry = { id: this.#nextId++, ts: this.#now(), kind, text };
    this.#activity.push(entry);
    if (this.#activity.length > ACTIVITY_KEEP * 1.2) this.#activity = this.#activity.slice(-ACTIVITY_KEEP);
    this.emit('activity', entry);
    return entry;
  }

  /** The most recent entries, oldest first. */
  activity(limit = ACTIVITY_KEEP): ActivityEntry[] {
    return this.#activity.slice(-limit);
  }

  /** Once a second: rates and the time series. */
  tick(): void {
    const now = this.#now();
    this.#secondIndex = (this.#secondIndex + 1) % 60;
    this.#perSecond[this.#secondIndex] = this.messagesTotal - this.#messagesAtLastTick;
    this.#messagesAtLastTick = this.messagesTotal;
    const elapsed = Math.max(0.001, (now - this.#lastTraffic.at) / 1000);
    this.#rate = { in: (this.traffic.in - this.#lastTraffic.in) / elapsed, out: (this.traffic.out - this.#lastTraffic.out) / elapsed };
    this.#lastTraffic = { in: this.traffic.in, out: this.traffic.out, at: now };
    if (++this.#ticks % SERIES_STEP === 0) {
      this.#series.push({ t: Math.round(now / 1000), messagesPerMinute: this.messagesPerMinute(), connections: this.people });
      if (this.#series.length > SERIES_SECONDS / SERIES_STEP) this.#series.shift();
    }
    this.emit('tick');
  }

  messagesPerMinute(): number {
    return this.#perSecond.reduce((a, b) => a + b, 0);
  }

  counters(): DashboardCounters {
    return {
      people: this.people,
      peak: this.peak,
      messagesTotal: this.messagesTotal,
      messagesPerMinute: this.messagesPerMinute(),
      bytesInPerSecond: Math.round(this.#rate.in),
      bytesOutPerSecond: Math.round(this.#rate.out),
      rejectedBadInput: this.rejectedBadInput,
      slowedDown: this.slowedDown,
      reconnects: this.reconnects,
    };
  }

  series(): DashboardSeriesPoint[] {
    return [...this.#series];
  }
}
