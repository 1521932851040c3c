import { describe, expect, it } from 'vitest';
import { REJOIN_GRACE_MS, connectionLost, joinIsNews, noRejoins, personLeft, reconnected } from './rejoin.ts';

const people = (...ids: string[]) => ids.map((id) => ({ id }));

describe('who is news after a reconnect', () => {
  it('does not announce people who were here when the connection went and came back with it', () => {
    let memory = connectionLost(noRejoins, people('ann', 'ben', 'me'), 0);
    memory = reconnected(memory, 5_000);
    const ben = joinIsNews(memory, 'ben', 6_000);
    expect(ben.news).toBe(false);
    // Someone who was not here before is.
    expect(joinIsNews(ben.memory, 'dan', 6_000).news).toBe(true);
  });

  it('announces a later genuine rejoin: each person is let through once', () => {
    let memory = reconnected(connectionLost(noRejoins, people('ben'), 0), 1_000);
    memory = joinIsNews(memory, 'ben', 2_000).memory;
    expect(joinIsNews(memory, 'ben', 3_000).news).toBe(true);
  });

  it('announces someone who left meanwhile and then joined again', () => {
    let memory = reconnected(connectionLost(noRejoins, people('ben'), 0), 1_000);
    memory = personLeft(memory, 'ben');
    expect(joinIsNews(memory, 'ben', 2_000).news).toBe(true);
  });

  it('forgets the list a while after the reconnect: someone back much later is news', () => {
    const memory = reconnected(connectionLost(noRejoins, people('ben'), 0), 1_000);
    expect(joinIsNews(memory, 'ben', 1_000 + REJOIN_GRACE_MS + 1).news).toBe(true);
  });

  it('holds through a long outage: the window starts when we are back', () => {
    const memory = connectionLost(noRejoins, people('ben'), 0);
    expect(joinIsNews(memory, 'ben', 10 * REJOIN_GRACE_MS).news).toBe(false);
  });

  it('keeps those not back yet when the connection goes again', () => {
    let memory = reconnected(connectionLost(noRejoins, people('ann', 'ben'), 0), 1_000);
    // Only Ann is back when the connection drops again.
    memory = connectionLost(memory, people('ann'), 2_000);
    memory = reconnected(memory, 3_000);
    expect(joinIsNews(memory, 'ben', 4_000).news).toBe(false);
  });

  it('announces everyone when nothing was lost', () => {
    expect(joinIsNews(noRejoins, 'ben', 0).news).toBe(true);
  });
});
