import { describe, expect, it } from 'vitest';
import { addSample, bytesPerSecond, formatDuration, progressWords, secondsLeft, type RateSample } from './transfer-rate.ts';

const MB = 1_000_000;

function feed(points: Array<[number, number]>): RateSample[] {
  return points.reduce<RateSample[]>((samples, [at, bytes]) => addSample(samples, { at, bytes }), []);
}

describe('transfer rate', () => {
  it('measures the last few seconds, not the average since the start', () => {
    // 1 MB/s for 10 s, then 10 MB/s: within the window only the new speed counts.
    const slow = Array.from({ length: 11 }, (_, i): [number, number] => [i * 1000, i * MB]);
    const fast = Array.from({ length: 4 }, (_, i): [number, number] => [11_000 + i * 1000, 10 * MB + (i + 1) * 10 * MB]);
    const samples = feed([...slow, ...fast]);
    expect(bytesPerSecond(samples)).toBeCloseTo(10 * MB, -3);
    expect(samples.length).toBeLessThanOrEqual(4);
  });

  it('says nothing before half a second of samples', () => {
    expect(bytesPerSecond(feed([[0, 0]]))).toBeUndefined();
    expect(bytesPerSecond(feed([[0, 0], [300, MB]]))).toBeUndefined();
    expect(bytesPerSecond(feed([[0, 0], [500, MB]]))).toBe(2 * MB);
  });

  it('starts again when a resume reports fewer bytes than before', () => {
    const samples = feed([[0, 0], [1000, 50 * MB], [2000, 40 * MB]]);
    expect(samples).toEqual([{ at: 2000, bytes: 40 * MB }]);
    expect(bytesPerSecond(samples)).toBeUndefined();
  });

  it('shows time left only while something moves', () => {
    expect(secondsLeft(12 * MB, 200 * MB, 8.1 * MB)).toBe(24);
    expect(secondsLeft(12 * MB, 200 * MB, 0)).toBeUndefined();
    expect(secondsLeft(12 * MB, 200 * MB, undefined)).toBeUndefined();
    expect([5, 59, 61, 3600, 3900].map(formatDuration)).toEqual(['5 s', '59 s', '1 min', '1 h 0 min', '1 h 5 min']);
  });

  it('words the progress as the tray shows it', () => {
    expect(progressWords(12 * MB, 200 * MB, 8.1 * MB)).toBe('12 MB of 200 MB · 8.1 MB/s · 24 s left');
    expect(progressWords(12 * MB, 200 * MB, undefined)).toBe('12 MB of 200 MB');
  });
});
