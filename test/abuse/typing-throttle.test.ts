// Attack 10: one member flips its typing indicator on and off as fast as the rate limit
// lets it. Everyone else should hear about it about once a second, and end up seeing the
// state it was left in (the trailing edge), not a flicker of 200 frames.
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../common/protocol.ts';
import { FrameClient, startTestHost, until } from '../support/host.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('a typing indicator that flickers does not flood the room', () => {
  it('passes on at most about one change a second, and the last state the typist left', async () => {
    // A rate limit the flicker stays under: this is about typing, not about flooding.
    const host = await startTestHost({ rateLimit: { burst: 200, perSecond: 100 } });
    cleanups.push(() => host.dispose());
    const typist = await FrameClient.join(host.url, 'Typist');
    const observer = await FrameClient.join(host.url, 'Observer');
    cleanups.push(() => (typist.ws.terminate(), observer.ws.terminate()));

    const seen: Array<{ at: number; active: boolean }> = [];
    observer.ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as ServerFrame;
      if (frame.type === 'typing' && frame.user.name === 'Typist') seen.push({ at: Date.now(), active: frame.active });
    });

    // 201 frames at 40 a second (5 s): on, off, on, … ending on "on".
    const started = Date.now();
    for (let i = 0; i <= 200; i++) {
      typist.send({ type: 'typing', active: i % 2 === 0 });
      await new Promise((r) => setTimeout(r, Math.max(0, started + (i + 1) * 25 - Date.now())));
    }
    const stopped = Date.now();
    // The trailing edge: within a couple of seconds the observer sees "typing", as left.
    await new Promise((r) => setTimeout(r, 2000));
    const during = seen.filter((s) => s.at <= stopped).length;
    const lastAfterStop = seen.at(-1)?.active;
    console.log(`typing flicker: 201 frames in ${((stopped - started) / 1000).toFixed(1)} s; the observer got ${during} typing frames meanwhile, ${seen.length} in all, last ${lastAfterStop}`);
    expect.soft(during, 'typing frames the observer got in 5 s').toBeLessThanOrEqual(8);
    expect.soft(lastAfterStop, 'the last typing state the observer saw').toBe(true);
    expect.soft(typist.closed, 'the typist was not cut off').toBeUndefined();

    // And when the typist stops, the observer sees that too, within a couple of seconds.
    typist.send({ type: 'typing', active: false });
    await until(() => seen.at(-1)?.active === false, 2500, 'typing off').catch(() => {});
    expect.soft(seen.at(-1)?.active, 'the state after the typist stopped').toBe(false);
  }, 30_000);
});
