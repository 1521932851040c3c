// Attack 9: a member stops reading just as the room fills its backlog past the bound, and
// then nobody says anything. The host must still let it go (and free what it holds for
// it), not wait for the next message to notice.
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { emojiText } from '../../bench/attacks.ts';
import { FrameClient, startTestHost, until } from '../support/host.ts';

const MAX_BUFFERED = 256 * 1024;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('a member who stops reading is let go even when the room goes quiet', () => {
  it('disconnects a reader whose backlog passed the bound within ~5 s of the last message', async () => {
    // Budgets out of the way (frames and bytes): this is about the reader, not about how
    // fast the sender may talk.
    const host = await startTestHost({
      maxBufferedBytes: MAX_BUFFERED,
      rateLimit: { burst: 10_000, perSecond: 10_000 },
      byteRateLimit: { burst: 1024 * 1024 * 1024, perSecond: 1024 * 1024 * 1024 },
    });
    cleanups.push(() => host.dispose());
    // The host's end of each connection, to see its backlog (what the kernel would not take).
    const hostSockets: Socket[] = [];
    host.http.on('upgrade', (req) => hostSockets.push(req.socket as Socket));

    const sender = await FrameClient.join(host.url, 'Sender');
    const slow = await FrameClient.join(host.url, 'Slow');
    cleanups.push(() => (sender.ws.terminate(), slow.ws.terminate()));
    const slowLocalPort = (slow.ws as unknown as { _socket: Socket })._socket.localPort;
    const slowAtHost = hostSockets.find((s) => s.remotePort === slowLocalPort)!;
    expect(slowAtHost).toBeDefined();
    (slow.ws as unknown as { _socket: Socket })._socket.pause();

    // Messages until the backlog is past the bound (the kernel's buffers take the first few
    // MB on loopback), then silence. Quick, so that no message finds it over the bound for long.
    const text = emojiText(4000);
    let sent = 0;
    const deadline = Date.now() + 10_000;
    while (slowAtHost.writableLength <= MAX_BUFFERED + 32 * 1024 && !slowAtHost.destroyed && sent < 2000 && Date.now() < deadline) {
      sender.send({ type: 'chat', id: `m${sent++}`, text });
      await new Promise((r) => setTimeout(r, 3));
      sender.drain();
    }
    const backlog = slowAtHost.writableLength;
    const quietSince = Date.now();
    expect(backlog > MAX_BUFFERED || slowAtHost.destroyed, 'the backlog passed the bound').toBe(true);

    let droppedAfterMs: number | undefined;
    await until(() => slowAtHost.destroyed || host.connectionCount() === 1, 6000, 'the slow reader to be let go').then(
      () => (droppedAfterMs = Date.now() - quietSince),
      () => {},
    );
    console.log(`slow reader, quiet room: ${sent} messages (${((sent * 16_000) / 1e6).toFixed(1)} MB), backlog ${(backlog / 1024).toFixed(0)} KiB at the host; let go ${droppedAfterMs === undefined ? 'not within 6 s' : `${droppedAfterMs} ms`} after the room went quiet`);

    // The socket is gone; the connection's bookkeeping follows on the close event.
    await until(() => host.connectionCount() === 1, 1000, 'one connection left').catch(() => {});
    expect.soft(droppedAfterMs, 'ms from the last message until the slow reader was let go').toBeDefined();
    expect.soft(host.connectionCount(), 'connections left').toBe(1);
    // The one who kept reading is unaffected.
    sender.drain();
    sender.send({ type: 'chat', id: 'after', text: 'still here' });
    expect((await sender.take((f): f is Extract<typeof f, { type: 'ack' }> => f.type === 'ack' && f.id === 'after', 5000)).id).toBe('after');
  }, 30_000);
});
