import { describe, expect, it } from 'vitest';
import { formatDuration, TransferProgress } from './progress-bar.ts';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

describe('a transfer’s progress line', () => {
  it('shows name, bar, percent, bytes, speed and time left', () => {
    const c = clock();
    const p = new TransferProgress('report.pdf', 20_000_000, 'sending', c.now);
    p.update(0);
    c.advance(1000);
    p.update(8_000_000);
    expect(p.line()).toBe('report.pdf [████░░░░░░] 40% 8.0 MB of 20 MB · 8.0 MB/s · 2 s left');
    expect(p.short()).toBe('report.pdf 40% 8.0 MB/s');
  });

  it('says when it is checking (hashing) first, and starts the count again when sending begins', () => {
    const c = clock();
    const p = new TransferProgress('a.bin', 1000, 'checking', c.now);
    expect(p.update(500)).toBe(true);
    expect(p.line()).toMatch(/^checking a\.bin \[█████░░░░░\] 50% 500 B of 1\.0 KB/);
    expect(p.update(900)).toBe(false); // hashing logs one line
    expect(p.update(0, 'sending')).toBe(true); // a new phase logs its start
    expect(p.line()).toMatch(/^a\.bin \[░░░░░░░░░░\] 0% 0 B of 1\.0 KB$/);
  });

  it('says when it waits for an upload slot, once', () => {
    const p = new TransferProgress('c.bin', 1000, 'checking');
    p.update(1000);
    expect(p.update(0, 'waiting')).toBe(true);
    expect(p.update(0, 'waiting')).toBe(false);
    expect(p.line()).toBe('waiting to send c.bin');
    expect(p.short()).toBe('waiting to send c.bin');
  });

  it('asks for a log line only at each new tenth: eleven lines for a whole transfer', () => {
    const c = clock();
    const p = new TransferProgress('big.iso', 1_000_000, 'receiving', c.now);
    let lines = 0;
    for (let done = 0; done <= 1_000_000; done += 1000) {
      c.advance(1);
      if (p.update(done)) lines++;
    }
    expect(lines).toBe(11);
  });

  it('measures the speed over the last seconds: a stall shows', () => {
    const c = clock();
    const p = new TransferProgress('x', 100_000_000, 'sending', c.now);
    for (let i = 0; i <= 10; i++) {
      p.update(i * 5_000_000);
      c.advance(1000);
    }
    expect(p.bytesPerSecond()).toBeGreaterThan(3_000_000);
    for (let i = 0; i < 5; i++) {
      c.advance(1000);
      p.update(50_000_000);
    }
    expect(p.bytesPerSecond()).toBe(0);
    expect(p.secondsLeft()).toBeUndefined();
    expect(p.line()).not.toContain('left');
  });

  it('keeps a hostile name to one short, harmless line', () => {
    const p = new TransferProgress(`\u001b[2J${'x'.repeat(100)}\n\u202Eevil.exe`, 10, 'sending');
    // eslint-disable-next-line no-control-regex
    expect(p.name).not.toMatch(/[\u001b\n\u202E]/);
    expect([...p.name].length).toBeLessThanOrEqual(32);
    expect(p.name).toContain('…');
    expect(p.name.endsWith('evil.exe')).toBe(true);
  });

  it('counts an empty file as done', () => {
    const p = new TransferProgress('empty', 0, 'sending');
    expect(p.update(0)).toBe(true);
    expect(p.line()).toContain('100%');
  });
});

describe('formatDuration', () => {
  it('is as precise as a person waiting needs', () => {
    expect(formatDuration(4.4)).toBe('4 s');
    expect(formatDuration(125)).toBe('2 min');
    expect(formatDuration(3600)).toBe('1 h');
    expect(formatDuration(3900)).toBe('1 h 5 min');
  });
});
