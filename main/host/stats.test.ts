import { describe, expect, it } from 'vitest';
import { ACTIVITY_KEEP } from '../../common/dashboard.ts';
import { RoomStats } from './stats.ts';

describe('RoomStats', () => {
  it('counts messages per minute over a sliding minute and keeps the peak', () => {
    let now = 1_000_000;
    const stats = new RoomStats(() => now);
    stats.setPeople(3);
    stats.setPeople(5);
    stats.setPeople(2);
    expect(stats.counters()).toMatchObject({ people: 2, peak: 5 });
    for (let second = 0; second < 90; second++) {
      stats.messagesTotal += 2;
      now += 1000;
      stats.tick();
    }
    expect(stats.messagesPerMinute()).toBe(120);
    for (let second = 0; second < 60; second++) {
      now += 1000;
      stats.tick();
    }
    expect(stats.messagesPerMinute()).toBe(0);
    expect(stats.counters().messagesTotal).toBe(180);
  });

  it('turns traffic counters into bytes per second', () => {
    let now = 0;
    const stats = new RoomStats(() => now);
    stats.traffic.in += 5000;
    stats.traffic.out += 40_000;
    now += 2000;
    stats.tick();
    expect(stats.counters()).toMatchObject({ bytesInPerSecond: 2500, bytesOutPerSecond: 20_000 });
  });

  it('keeps 15 minutes of series at 5-second steps', () => {
    let now = 0;
    const stats = new RoomStats(() => now);
    for (let s = 0; s < 20 * 60; s++) {
      now += 1000;
      stats.tick();
    }
    const series = stats.series();
    expect(series).toHaveLength(180);
    expect(series.at(-1)!.t - series[0]!.t).toBe(179 * 5);
  });

  it('keeps a bounded activity log and tells listeners', () => {
    const stats = new RoomStats();
    const seen: string[] = [];
    stats.on('activity', (e) => seen.push(e.kind));
    for (let i = 0; i < 5000; i++) stats.log('join', `person ${i}`);
    expect(stats.activity().length).toBe(3000);
    expect(stats.activity().at(-1)!.text).toBe('person 4999');
    expect(seen).toHaveLength(5000);
  });

  it('keeps the newest ACTIVITY_KEEP activity entries, as the dashboard contract says', () => {
    const stats = new RoomStats(() => 0);
    for (let n = 1; n <= ACTIVITY_KEEP + 10; n++) stats.log('join', `entry ${n}`);
    const kept = stats.activity();
    expect(kept).toHaveLength(ACTIVITY_KEEP);
    expect(kept.at(-1)?.text).toBe(`entry ${ACTIVITY_KEEP + 10}`);
    expect(kept[0]?.text).toBe('entry 11');
  });
});
