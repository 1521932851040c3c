// Whether to trust the certificate a host presents, decided once, here, for `hearth join`
// and the app alike. What can vouch for a fingerprint:
//   - an id derived from a certificate (a discovered row's TXT id, a link's `id=`): a
//     certificate that is not that id's is another host, and no flag overrides it (ask for
//     a new link); one that is, is trusted without a question
//   - the fingerprint remembered from an earlier join of this address (known_hosts): a
//     different one is a *changed* identity even when a row or a link vouches for the new
//     one (whoever took over the address can announce a row, and anyone can send a link),
//     until the person, having compared the host's screen, accepts it (`accept`)
//   - nothing: trust on first use, and remember it
// A legacy 12-character id pins nothing (it was random, not derived from a key).
// Pure: no I/O, so every branch is unit-tested.
import { FINGERPRINT_HEX, FINGERPRINT_ID, matchesId, matchesShort, parseFingerprintInput } from './identity.ts';

export type PinDecision =
  | { kind: 'trusted'; fingerprint: string; via: 'id' | 'known' | 'accepted' }
  | { kind: 'first-use'; fingerprint: string }
  | { kind: 'changed'; remembered: string; presented: string }
  | { kind: 'not-this-host'; expectedId: string; presented: string };

export interface PinInput {
  /** The fingerprint the host's TLS certificate has (lowercase hex). */
  presented: string;
  /** The id the room was found or linked by, if any. */
  expectedId?: string | undefined;
  /** The fingerprint remembered for this address, if any. */
  remembered?: string | undefined;
  /** What the person typed to accept a new identity: short form or full fingerprint. */
  accept?: string | undefined;
}

export function decidePin(input: PinInput): PinDecision {
  const presented = input.presented.toLowerCase();
  if (!FINGERPRINT_HEX.test(presented)) throw new Error('presented fingerprint is not SHA-256 hex');
  const { expectedId, remembered } = input;
  const pinnedById = expectedId !== undefined && FINGERPRINT_ID.test(expectedId);
  if (pinnedById && !matchesId(presented, expectedId)) return { kind: 'not-this-host', expectedId, presented };
  if (remembered !== undefined && remembered.toLowerCase() !== presented) {
    if (input.accept !== undefined && acceptsFingerprint(input.accept, presented)) return { kind: 'trusted', fingerprint: presented, via: 'accepted' };
    return { kind: 'changed', remembered: remembered.toLowerCase(), presented };
  }
  if (pinnedById) return { kind: 'trusted', fingerprint: presented, via: 'id' };
  if (remembered !== undefined) return { kind: 'trusted', fingerprint: presented, via: 'known' };
  return { kind: 'first-use', fingerprint: presented };
}

/** Whether what a person typed (short form or full, any case, dashes, colons) names this fingerprint. */
export function acceptsFingerprint(typed: string, fingerprint: string): boolean {
  const parsed = parseFingerprintInput(typed);
  if (!parsed) return false;
  return parsed.kind === 'full' ? parsed.value === fingerprint.toLowerCase() : matchesShort(fingerprint, parsed.value);
}

/** Whether a decision lets the join go on (first use included: it is then remembered). */
export function pinAllowsJoin(decision: PinDecision): decision is Extract<PinDecision, { kind: 'trusted' | 'first-use' }> {
  return decision.kind === 'trusted' || decision.kind === 'first-use';
}
