// Attack 2: someone fills the history with the heaviest messages there are (4,000 emoji,
// 16 KB each), then four connections ask for 1,000 of them eighteen times a second each.
// One kind of attacker reads everything at once, the other never reads. Meanwhile three
// people chat and a canary pings every 100 ms. A real `hearth host` process, so its memory
// is its own (/proc) and the people's clients do not share its event loop.
import { afterEach, describe, expect, it } from 'vitest';
import { LIMITS } from '../../common/protocol.ts';
import { fillHistory, greedyHistoryReaders, RssWatch } from '../../bench/attacks.ts';
import { spawnHost, type Proc } from '../support/cli.ts';
import { tempDir } from '../support/host.ts';

/** Bytes of text per history frame (protocol 2: LIMITS.historyPageBytes). */
const PAGE_BYTES = (LIMITS as { historyPageBytes?: number }).historyPageBytes ?? 256 * 1024;
/** One message may straddle the bound, and each has its JSON around the text. */
const FRAME_LIMIT = PAGE_BYTES + 16 * 1024;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function hostProcess(): Promise<{ url: string; proc: Proc }> {
  const data = tempDir();
  const { proc, port } = await spawnHost(['--room', 'Greedy', '--port', '0', '--data', data.path]);
  cleanups.push(() => data.remove());
  cleanups.push(async () => {
    proc.kill('SIGKILL');
    await proc.exit;
  });
  return { url: `ws://127.0.0.1:${port}/ws`, proc };
}

describe('someone hammering the history cannot freeze the room', () => {
  for (const reading of ['fast', 'none'] as const) {
    it(`keeps answering, delivering and within memory while 4 connections fetch 1,000 heavy messages 18 times a second (${reading === 'fast' ? 'reading everything' : 'never reading'})`, async () => {
      const { url, proc } = await hostProcess();
      const rss = RssWatch.ofProcess(proc.child.pid!);
      cleanups.push(() => rss.stop());
      expect(await fillHistory(url, { messages: 600, emoji: 4000, timeoutMs: 15_000 })).toBe(600);

      const r = await greedyHistoryReaders({ url, greedy: 4, fetchesPerSecond: 18, limit: 1000, reading, seconds: 5, chatters: 3, afterSeconds: 2, recoveryCapSeconds: 8, rss });
      console.log(
        `greedy history (${reading}): ${r.fetchesSent} fetches from ${r.greedyConnects} connections, ${r.olderPagesToGreedy} older pages served; ${r.historyFrames} history frames, largest ${(r.historyFrameMaxBytes / 1024).toFixed(0)} KiB (bound ${(FRAME_LIMIT / 1024).toFixed(0)} KiB); ` +
          `canary p99 ${r.during.p99.toFixed(0)} ms during (${r.during.unanswered}/${r.during.count} unanswered), ${r.after.p99.toFixed(0)} ms after (${r.after.unanswered}/${r.after.count} unanswered); ` +
          `answering again ${r.unresponsiveAfterMs === undefined ? 'never (8 s cap)' : `${r.unresponsiveAfterMs.toFixed(0)} ms`} after the attack; chatters ${r.chatterAcked}/${r.chatterSent} acked, ${r.chattersClosed} closed; host RSS ${r.rssBaselineMb.toFixed(0)} → ${r.rssPeakMb.toFixed(0)} MB`,
      );

      // History still works, for the people joining and (in pages) for the greedy readers…
      expect.soft(r.joinedWithoutHistory, 'chatters and canary who got no history on joining').toBe(0);
      if (reading === 'fast') expect.soft(r.olderPagesToGreedy, 'older pages the greedy readers got').toBeGreaterThan(0);
      // …and no frame carries more than a page of it, whoever asked for how much.
      expect.soft(r.historyFrameMaxBytes, 'largest history frame (bytes)').toBeLessThanOrEqual(FRAME_LIMIT);
      // The room keeps answering: the canary's pings, during the attack and after it.
      expect.soft(r.during.unanswered, 'canary pings never answered during the attack').toBe(0);
      expect.soft(r.during.p99, 'canary ping p99 during the attack (ms)').toBeLessThan(1000);
      expect.soft(r.after.unanswered, 'canary pings never answered after the attack').toBe(0);
      expect.soft(r.after.p99, 'canary ping p99 after the attack (ms)').toBeLessThan(1000);
      // The people chatting notice nothing: nobody cut off, everything said is acked.
      expect.soft(r.chattersClosed, 'chatters cut off').toBe(0);
      expect.soft(r.chatterAcked, 'chatter messages acked').toBe(r.chatterSent);
      // The host does not buy the attacker's megabytes with its own memory.
      expect.soft(r.rssPeakMb - r.rssBaselineMb, 'host RSS growth (MB)').toBeLessThan(300);
    }, 60_000);
  }
});
