// Speed and time left for a transfer, from the last few seconds only: a LAN upload that
// stalls (the host restarting) or speeds up shows it within a window, instead of an
// average since the start that hides both. Pure: the caller passes the clock.
import { formatBytes } from '../../../common/files.ts';

const WINDOW_MS = 3000;

export interface RateSample {
  at: number;
  bytes: number;
}

/** The samples still inside the window after adding this one (oldest first). */
export function addSample(samples: readonly RateSample[], sample: RateSample, windowMs: number = WINDOW_MS): RateSample[] {
  const last = samples.at(-1);
  // Bytes that went backwards (a resume from what the host kept) start the window again.
  const kept = last && sample.bytes < last.bytes ? [] : samples.filter((s) => sample.at - s.at <= windowMs);
  return [...kept, sample];
}

/** Bytes a second over the window; undefined until there is half a second to measure. */
export function bytesPerSecond(samples: readonly RateSample[]): number | undefined {
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last || last.at - first.at < 500) return undefined;
  return ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
}

/** Seconds until `total` at this rate; undefined while the rate is unknown or nothing moves. */
export function secondsLeft(sent: number, total: number, rate: number | undefined): number | undefined {
  if (rate === undefined || rate <= 0) return undefined;
  return Math.max(0, Math.ceil((total - sent) / rate));
}

/** "21 s", "3 min", "1 h 5 min". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** "12 MB of 200 MB · 8.1 MB/s · 21 s left": what the tray shows under a file's bar. */
export function progressWords(sent: number, total: number, rate: number | undefined): string {
  const parts = [`${formatBytes(sent)} of ${formatBytes(total)}`];
  const left = secondsLeft(sent, total, rate);
  if (rate !== undefined && left !== undefined) parts.push(`${formatBytes(Math.round(rate))}/s`, `${formatDuration(left)} left`);
  return parts.join(' · ');
}
