// Before `hearth join` sends anything: which certificate the host presents, and whether to
// trust it (common/pinning.ts decides; known_hosts in the data folder remembers). Plain
// /health has already found the room (common/reach.ts) and is never trusted for identity:
// anyone on the path can rewrite it. It may only refuse (it names another certificate, or
// promises encryption the port does not give), never vouch.
//
// A host that answers no TLS is a Hearth from before encryption, or someone stripping TLS
// to read the room. Nothing tells the two apart on the wire, so the join goes on in plain,
// with a warning, only when nothing promised encryption: no identity in the link, none
// remembered for the address, none announced, none asked for with --accept-fingerprint.
import type { RoomAddress } from '../../common/address.ts';
import { FINGERPRINT_ID, matchesId } from '../../common/identity.ts';
import { acceptsFingerprint, decidePin } from '../../common/pinning.ts';
import { presentedFingerprint } from '../discovery/identity-probe.ts';
import { endpointOf, KnownHosts } from '../discovery/known-hosts.ts';
import {
  acceptedWords,
  announcedMismatchWarning,
  changedWarning,
  downgradeWarning,
  firstUseWords,
  knownHostsUnreadableWords,
  knownHostsUnsavedWords,
  NOT_ENCRYPTED_WORDS,
  notAcceptedWarning,
  notThisHostWarning,
  type AcceptCommand,
  type DowngradeReason,
  unreachableWarning,
} from './pin-words.ts';

export interface IdentityCheckInput {
  /** The address /health answered at. */
  address: RoomAddress;
  /** The id the invite link names (common/invite.ts), if any. */
  linkId?: string | undefined;
  /** The id the host gave in plain /health, if any. */
  announcedId?: string | undefined;
  /** --accept-fingerprint, as typed (already checked to be a short form or a full fingerprint). */
  accept?: string | undefined;
  knownHostsFile: string;
  acceptCommand: AcceptCommand;
}

export type IdentityOutcome =
  /** Join over TLS, pinned to `fingerprint`; `notice` for stdout, `problem` for stderr. */
  | { kind: 'encrypted'; fingerprint: string; notice?: string; problem?: string }
  /** Join in plain; `warning` for stderr. */
  | { kind: 'plain'; warning: string }
  /** Do not join; `warning` for stderr. */
  | { kind: 'refused'; warning: string };

export async function checkHostIdentity(input: IdentityCheckInput): Promise<IdentityOutcome> {
  const { address, linkId, announcedId, accept, knownHostsFile } = input;
  const display = address.display;
  let known: KnownHosts;
  try {
    known = new KnownHosts(knownHostsFile);
  } catch (error) {
    return { kind: 'refused', warning: knownHostsUnreadableWords(knownHostsFile, error) };
  }
  const endpoint = endpointOf(address.host, address.port);
  const remembered = known.get(endpoint);
  const presented = await presentedFingerprint(address.host, address.port);

  if (!presented.ok) {
    // /health answered in plain but no handshake came back (a busy host, or a relay that
    // drops TLS): never a reason to fall back to plain. Only a host that *answers* TLS with
    // plain HTTP (one from before encryption) may be joined in plain, and only when nothing
    // promised encryption.
    if (presented.reason === 'unreachable') return { kind: 'refused', warning: unreachableWarning(display) };
    const promised = promisedEncryption(input, remembered);
    return promised ? { kind: 'refused', warning: downgradeWarning(display, promised) } : { kind: 'plain', warning: `hearth join: ${NOT_ENCRYPTED_WORDS}` };
  }

  const fingerprint = presented.fingerprint;
  const decision = decidePin({ presented: fingerprint, expectedId: linkId, remembered, accept });
  if (decision.kind === 'not-this-host') return { kind: 'refused', warning: notThisHostWarning(display, decision.expectedId, fingerprint) };
  if (decision.kind === 'changed') return { kind: 'refused', warning: changedWarning(display, decision.remembered, fingerprint, input.acceptCommand) };
  // Asked for one identity, shown another: whatever else vouches for it, not what was asked.
  if (accept !== undefined && !acceptsFingerprint(accept, fingerprint)) return { kind: 'refused', warning: notAcceptedWarning(display, accept, fingerprint) };
  if (linkId === undefined && announcedId !== undefined && FINGERPRINT_ID.test(announcedId) && !matchesId(fingerprint, announcedId)) {
    return { kind: 'refused', warning: announcedMismatchWarning(display, announcedId, fingerprint) };
  }

  const save = (): string | undefined => {
    try {
      known.remember(endpoint, fingerprint);
      return undefined;
    } catch (error) {
      return knownHostsUnsavedWords(knownHostsFile, error);
    }
  };
  if (decision.kind === 'first-use') {
    // A first use with --accept-fingerprint is a checked one: said as an acceptance.
    const problem = save();
    const notice = accept !== undefined ? acceptedWords(fingerprint, undefined, knownHostsFile) : firstUseWords(fingerprint, knownHostsFile);
    return { kind: 'encrypted', fingerprint, notice, ...(problem && { problem }) };
  }
  if (decision.via === 'known') return { kind: 'encrypted', fingerprint };
  // Vouched for by the link (remembered too: a later typed address of the same host is then
  // known) or accepted after a change (replaces what was remembered).
  const problem = save();
  const notice = decision.via === 'accepted' ? acceptedWords(fingerprint, remembered, knownHostsFile) : undefined;
  return { kind: 'encrypted', fingerprint, ...(notice && { notice }), ...(problem && { problem }) };
}

/** What promised this host would answer encrypted, if anything did. */
function promisedEncryption(input: IdentityCheckInput, remembered: string | undefined): DowngradeReason | undefined {
  if (input.linkId !== undefined && FINGERPRINT_ID.test(input.linkId)) return { kind: 'link', expectedId: input.linkId };
  if (remembered !== undefined) return { kind: 'known', remembered, knownHostsFile: input.knownHostsFile };
  if (input.accept !== undefined) return { kind: 'accept', typed: input.accept };
  if (input.announcedId !== undefined && FINGERPRINT_ID.test(input.announcedId)) return { kind: 'announced', announcedId: input.announcedId };
  return undefined;
}
