// Joining from an invite: ask every address in it at once, and take the first, in the
// link's order, that answers as the room the link names. All at once, so a dead address
// costs nothing once another has answered; in order, so the address the host ranked best
// is used when it works. Once one has answered, the earlier ones get a short grace and no
// more: from the far side of a router the best-ranked address is often the one that never
// answers, and waiting out its timeout before every join would be a needless pause.
import type { RoomAddress } from './address.ts';
import type { Invite } from './invite.ts';
import { probeRoom, type FetchLike, type ProbeResult, type RoomHealth } from './probe.ts';

/** Each address gets this long; a LAN answers in milliseconds. */
const REACH_TIMEOUT_MS = 3000;
/** How long an earlier address may still answer after a later one did. */
const ORDER_GRACE_MS = 300;

type Passed = { address: RoomAddress; why: string };

export type ReachResult =
  | {
      ok: true;
      address: RoomAddress;
      health: RoomHealth;
      /** Addresses before it in the link that did not answer as the room, with why. */
      passed: Passed[];
    }
  | { ok: false; reason: string };

type Outcome = { ok: true; health: RoomHealth } | { ok: false; reason: string; why: string };

export async function reachRoom(invite: Invite, fetchImpl: FetchLike, timeoutMs = REACH_TIMEOUT_MS, graceMs = ORDER_GRACE_MS): Promise<ReachResult> {
  const { candidates, hostId } = invite;
  const outcomes: Array<Outcome | undefined> = candidates.map(() => undefined);
  const chosen = await new Promise<number>((resolve) => {
    let grace: ReturnType<typeof setTimeout> | undefined;
    const firstAnswer = () => outcomes.findIndex((o) => o?.ok === true);
    const finish = (index: number) => {
      clearTimeout(grace);
      resolve(index);
    };
    const decide = () => {
      const answered = firstAnswer();
      const waiting = outcomes.indexOf(undefined);
      if (waiting === -1 || (answered !== -1 && answered < waiting)) return finish(answered);
      if (answered !== -1) grace ??= setTimeout(() => finish(firstAnswer()), graceMs);
    };
    candidates.forEach((address, index) => {
      void probeRoom(address, fetchImpl, timeoutMs).then((probe) => {
        outcomes[index] = judge(address, probe, hostId);
        decide();
      });
    });
    decide(); // a link always has an address; this ends the wait if one ever has none
  });
  const passedBefore = (end: number): Passed[] =>
    candidates.slice(0, end).map((address, index) => {
      const outcome = outcomes[index];
      return { address, why: outcome && !outcome.ok ? outcome.why : 'no answer' };
    });
  const outcome = outcomes[chosen];
  if (outcome?.ok) return { ok: true, address: candidates[chosen]!, health: outcome.health, passed: passedBefore(chosen) };
  // One address: what it said, in full, as before links carried several.
  const only = outcomes[0];
  if (candidates.length === 1 && only && !only.ok) return { ok: false, reason: only.reason };
  return {
    ok: false,
    reason: `None of the ${candidates.length} addresses in this link answered as the room: ${listed(passedBefore(candidates.length))}. Join one of the host's networks (its Wi-Fi, cable or VPN), or ask the host for an address you can reach.`,
  };
}

/** Where the room was reached, and what was tried before it. */
export function reachedSentence(result: Extract<ReachResult, { ok: true }>): string {
  const before = result.passed.length > 0 ? `; tried first: ${listed(result.passed)}` : '';
  return `Reached the room at ${result.address.display}${before}.`;
}

function listed(passed: Passed[]): string {
  return passed.map((p) => `${p.address.display} (${p.why})`).join(', ');
}

function judge(address: RoomAddress, probe: ProbeResult, hostId: string | undefined): Outcome {
  if (!probe.ok) return { ok: false, reason: probe.reason, why: probe.kind === 'unreachable' ? 'no answer' : 'not Hearth' };
  if (hostId !== undefined && probe.health.id !== hostId) {
    const room = `“${probe.health.room}”`;
    return {
      ok: false,
      why: `another room, ${room}`,
      reason: `${address.display} is another Hearth room now (${room}), not the one in this link. To join it anyway, type the address alone.`,
    };
  }
  return probe;
}
