// Attack 3: a client comes back 10,000 messages behind (the most a resume covers) and reads
// at normal speed. It must get every one of them, in chunks, without being mistaken for a
// slow consumer, while the room keeps answering. The messages are 2,000 emoji each (8 KB of
// UTF-8, half the maximum) to keep the test at 80 MB of text; `node bench/attacks.ts` runs
// the full-size version (160 MB) against a `hearth host` process.
import { afterEach, describe, expect, it } from 'vitest';
import { LIMITS } from '../../common/protocol.ts';
import type { NewMessage } from '../../main/host/store/index.ts';
import { bigResume, Canary, emojiText } from '../../bench/attacks.ts';
import { FrameClient, startTestHost } from '../support/host.ts';

const PAGE_BYTES = (LIMITS as { historyPageBytes?: number }).historyPageBytes ?? 256 * 1024;
const FRAME_LIMIT = PAGE_BYTES + 16 * 1024;
const BEHIND = 10_000;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('coming back 10,000 messages behind', () => {
  it('delivers every missed message in chunks, never cuts the reader off, and the room keeps answering', async () => {
    const host = await startTestHost({ durable: true });
    cleanups.push(() => host.dispose());

    // An earlier visit: it said something and saw its ack, then left.
    const returner = await FrameClient.join(host.url, 'Returner');
    returner.send({ type: 'chat', id: 'before', text: 'back in a bit' });
    const seen = (await returner.next('ack')).seq;
    const historyId = (returner.welcome as { historyId?: string } | undefined)?.historyId;
    returner.close();
    await returner.waitClosed();

    // While it was away: 10,000 messages (straight into the store, for speed).
    const text = emojiText(2000);
    const from = { id: 'writer000000', name: 'Writer' };
    for (let i = 0; i < BEHIND; i += 500) {
      host.room.history.append(
        Array.from({ length: 500 }, (_, k): NewMessage => ({ id: `away-${i + k}`, clientId: 'writer-client-id-0001', from, text, ts: Date.now(), kind: 'text' })),
      );
    }

    const canary = await Canary.start(host.url);
    cleanups.push(() => canary.stop());
    const t0 = performance.now();
    const r = await bigResume({ url: host.url, clientId: returner.clientId, since: seen, historyId, expected: BEHIND, timeoutMs: 40_000 });
    const t1 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 1000)); // the last pings' answers
    const pings = canary.summary(t0, t1);
    console.log(
      `big resume: ${r.delivered}/${BEHIND} in ${r.seconds.toFixed(1)} s, ${r.chunks} chunks (${r.modes.join(', ')}), largest ${(r.maxFrameBytes / 1024).toFixed(0)} KiB; ` +
        `${r.cutOff === undefined ? 'not cut off' : `cut off with ${r.cutOff}`}; canary p99 ${pings.p99.toFixed(0)} ms (${pings.unanswered}/${pings.count} unanswered)`,
    );

    expect.soft(r.cutOff, 'close code while the resume was still arriving').toBeUndefined();
    expect.soft(r.delivered, 'messages delivered').toBe(BEHIND);
    expect.soft(r.modes, 'history modes').toEqual(['resume']);
    expect.soft(r.chunkedRight, 'complete: false on every chunk but the last').toBe(true);
    expect.soft(r.inOrder, 'seqs in order, each once').toBe(true);
    expect.soft(r.maxFrameBytes, 'largest history frame (bytes)').toBeLessThanOrEqual(FRAME_LIMIT);
    expect.soft(pings.unanswered, 'canary pings never answered during the resume').toBe(0);
    expect.soft(pings.p99, 'canary ping p99 during the resume (ms)').toBeLessThan(1000);
  }, 60_000);
});
