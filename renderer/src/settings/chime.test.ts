// The chime against a recording stand-in for the browser's WebAudio (vitest runs in Node,
// which has none): what it schedules, and that it never throws where audio is missing.
import { afterEach, describe, expect, it, vi } from 'vitest';

interface Scheduled {
  start: number;
  stop: number;
  peak: number;
}

function fakeAudio(scheduled: Scheduled[], state: 'running' | 'suspended' = 'running') {
  return class FakeAudioContext {
    state = state;
    currentTime = 10;
    destination = {};
    resume = vi.fn(async () => undefined);
    createGain() {
      const node = {
        gain: { peak: 0, setValueAtTime: (v: number) => (node.gain.peak = Math.max(node.gain.peak, v)), exponentialRampToValueAtTime: (v: number) => (node.gain.peak = Math.max(node.gain.peak, v)) },
        connect: (next: unknown) => next,
      };
      return node;
    }
    createOscillator() {
      const entry: Scheduled = { start: 0, stop: 0, peak: 0 };
      scheduled.push(entry);
      return {
        type: 'sine',
        frequency: { value: 0 },
        connect: (gain: { gain: { peak: number } }) => {
          Object.defineProperty(entry, 'peak', { get: () => gain.gain.peak });
          return gain;
        },
        start: (t: number) => (entry.start = t),
        stop: (t: number) => (entry.stop = t),
      };
    }
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

async function freshChime() {
  return (await import('./chime.ts')).playChime;
}

describe('playChime', () => {
  it('plays a quiet chime shorter than 300 ms', async () => {
    const scheduled: Scheduled[] = [];
    vi.stubGlobal('AudioContext', fakeAudio(scheduled));
    (await freshChime())();
    expect(scheduled.length).toBeGreaterThan(0);
    const first = Math.min(...scheduled.map((s) => s.start));
    const last = Math.max(...scheduled.map((s) => s.stop));
    expect(last - first).toBeLessThan(0.3);
    expect(first).toBeGreaterThanOrEqual(10);
    for (const s of scheduled) expect(s.peak).toBeLessThanOrEqual(0.1);
  });

  it('wakes an audio context the browser suspended', async () => {
    const scheduled: Scheduled[] = [];
    const Audio = fakeAudio(scheduled, 'suspended');
    const made: Array<InstanceType<typeof Audio>> = [];
    vi.stubGlobal('AudioContext', class extends Audio {
      constructor() {
        super();
        made.push(this);
      }
    });
    (await freshChime())();
    expect(made).toHaveLength(1);
    expect(made[0]?.resume).toHaveBeenCalled();
  });

  it('never throws without audio', async () => {
    vi.stubGlobal('AudioContext', undefined);
    expect(await freshChime()).not.toThrow();
    vi.resetModules();
    vi.stubGlobal('AudioContext', class {
      constructor() {
        throw new Error('NotAllowedError');
      }
    });
    const play = await freshChime();
    expect(() => play()).not.toThrow();
    expect(() => play()).not.toThrow();
  });
});
