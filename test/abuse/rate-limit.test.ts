// Attack 1b: a client that sends 200 messages at once (a paste, a script, `hearth join`
// with a file piped in) is over the rate limit, but it is not misbehaving: its messages
// should arrive later, all of them, and it should never be thrown out for it.
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../common/protocol.ts';
import { FrameClient, startTestHost, until } from '../support/host.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('sending 200 messages at once gets them delivered later, not refused', () => {
  it('acks all 200 at the default rate limit and never closes the sender with 1008', async () => {
    const host = await startTestHost();
    cleanups.push(() => host.dispose());
    const watcher = await FrameClient.join(host.url, 'Watcher');
    const burst = await FrameClient.join(host.url, 'Burst');
    cleanups.push(() => (watcher.ws.terminate(), burst.ws.terminate()));

    const started = Date.now();
    for (let i = 0; i < 200; i++) burst.send({ type: 'chat', id: `b${i}`, text: `line ${i + 1} of 200` });
    const acked = () => new Set(burst.frames.filter((f): f is Extract<ServerFrame, { type: 'ack' }> => f.type === 'ack').map((f) => f.id));
    await until(() => acked().size === 200 || burst.closed !== undefined, 20_000, 'all 200 acks').catch(() => {});
    const seconds = (Date.now() - started) / 1000;
    const delivered = new Set(watcher.frames.flatMap((f) => (f.type === 'message' && f.message.from.name === 'Burst' ? [f.message.id] : []))).size;
    const errors = burst.frames.filter((f) => f.type === 'error').length;
    console.log(`200 at once: ${acked().size} acked, ${delivered} delivered to the watcher in ${seconds.toFixed(1)} s; ${errors} error frames; ${burst.closed ? `closed ${burst.closed.code}` : 'still connected'}`);

    expect.soft(burst.closed?.code, 'close code of the sender').toBeUndefined();
    expect.soft(acked().size, 'messages acked').toBe(200);
    expect.soft(delivered, 'messages the watcher got').toBe(200);
  }, 40_000);
});
