// A one-minute soak for CI (the full ten minutes: `npm run soak`, figures in
// docs/reliability.md): waves of people join and leave while others talk; live heap and
// open descriptors stay flat, and every acknowledged message is in the history once.
import { expect, it } from 'vitest';
import { soak } from '../../bench/soak.ts';

it('holds steady while waves of people come and go (1 minute)', async () => {
  const result = await soak({ minutes: 1, wave: 200, senders: 20 });
  const series = result.samples.map((s) => `${s.second}s:${s.heapMb.toFixed(1)}MB/${s.fds}fd`).join(' ');
  console.log(`soak 1 min: ${result.waves} waves, ${result.joinsAndLeaves} joins and leaves, ${result.messagesAcked} messages acked; idle ${result.idleHeapMb.toFixed(1)} MB/${result.idleFds} fds; series ${series}`);
  expect(result.waves).toBeGreaterThanOrEqual(2);
  // Every wave joins whole: a limit that cut some of them (as the pending-connections cap
  // once did, unnoticed) would leave less churn than the soak claims.
  expect(result.joinsAndLeaves).toBe(result.waves * 200);
  expect(result.messagesStored).toBe(result.messagesAcked);
  expect(result.duplicates).toBe(0);
  expect(result.heapGrowthMb).toBeLessThan(5);
  expect(Math.abs(result.fdGrowth)).toBeLessThanOrEqual(5);
}, 150_000);
