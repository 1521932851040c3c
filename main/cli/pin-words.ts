// What `hearth join` says about a host's identity: the first-use line, the warnings that
// stop a join (SSH-like: both identities, what it may mean, what to do), and the line for
// a host without encryption. Words only; main/cli/join-identity.ts decides which one.
// Identities are shown twice over: the short form people read aloud and compare on two
// screens, and the full SHA-256 in colon hex for the careful check (as `hearth host` prints).
import { colonHex, shortFingerprint } from '../../common/identity.ts';
import { sanitizeForTerminal } from './terminal-format.ts';

const PREFIX = 'hearth join:';
const NOTHING_SENT = 'Nothing was sent.';

/** How to run the same join again, accepting this identity (the caller knows the address and options). */
export type AcceptCommand = (short: string) => string;

/** The short form of a host id (its first 20 characters are the short form of its fingerprint). */
export function shortOfId(id: string): string {
  return id.slice(0, 20).match(/.{1,5}/g)?.join('-') ?? id;
}

function identityRow(label: string, fingerprint: string): string {
  return `  ${label.padEnd(11)} ${shortFingerprint(fingerprint)}  (SHA-256 ${colonHex(fingerprint)})`;
}

export function firstUseWords(fingerprint: string, knownHostsFile: string): string {
  return `First time joining this host. Its identity: ${shortFingerprint(fingerprint)} — check that the host's screen shows the same (remembered in ${knownHostsFile}).`;
}

export function acceptedWords(fingerprint: string, previous: string | undefined, knownHostsFile: string): string {
  const was = previous === undefined ? '' : ` (it was ${shortFingerprint(previous)})`;
  return `Trusting this host's new identity: ${shortFingerprint(fingerprint)}${was}; remembered in ${knownHostsFile}.`;
}

export const NOT_ENCRYPTED_WORDS = 'This host does not support encryption: people on this network could read this room.';

/** The host presents another certificate than the one remembered for its address. */
export function changedWarning(display: string, remembered: string, presented: string, acceptCommand: AcceptCommand): string {
  return [
    `${PREFIX} WARNING: the host at ${sanitizeForTerminal(display)} is not the one you joined before.`,
    identityRow('remembered', remembered),
    identityRow('presented', presented),
    `Someone on this network may be pretending to be it, or the host has a new identity (set up again, or its key renewed). ${NOTHING_SENT}`,
    `Compare with the identity \`hearth host\` or the hosting panel shows. If it is the same, join with:`,
    `  ${acceptCommand(shortFingerprint(presented))}`,
  ].join('\n');
}

/** The link (or the row) names a host whose certificate is not the one presented here: no override. */
export function notThisHostWarning(display: string, expectedId: string, presented: string): string {
  return [
    `${PREFIX} WARNING: the host at ${sanitizeForTerminal(display)} is not the host the link was made for.`,
    `  the link's   ${shortOfId(expectedId)}  (id ${expectedId})`,
    identityRow('presented', presented),
    `Someone on this network may be pretending to be the host. ${NOTHING_SENT} Ask the host for a new link, or check the address.`,
  ].join('\n');
}

/** The host says (over plain /health) it has one identity and presents another: nothing legitimate does that. */
export function announcedMismatchWarning(display: string, announcedId: string, presented: string): string {
  return [
    `${PREFIX} WARNING: the host at ${sanitizeForTerminal(display)} announces one identity and presents another.`,
    `  announced   ${shortOfId(announcedId)}  (id ${announcedId})`,
    identityRow('presented', presented),
    `Someone on this network may be pretending to be the host. ${NOTHING_SENT}`,
  ].join('\n');
}

/** --accept-fingerprint named an identity the host does not present. */
export function notAcceptedWarning(display: string, typed: string, presented: string): string {
  return [
    `${PREFIX} the host at ${sanitizeForTerminal(display)} does not present the identity you gave (${sanitizeForTerminal(typed)}).`,
    identityRow('presented', presented),
    `${NOTHING_SENT} Check the identity on the host's screen.`,
  ].join('\n');
}

/** Why encryption was expected from a host that did not answer encrypted. */
export type DowngradeReason = { kind: 'link'; expectedId: string } | { kind: 'known'; remembered: string; knownHostsFile: string } | { kind: 'announced'; announcedId: string } | { kind: 'accept'; typed: string };

/** Encryption was expected and the host did not answer encrypted: someone may be stripping it. */
export function downgradeWarning(display: string, reason: DowngradeReason): string {
  const [why, whatToDo] = downgradeDetail(reason);
  return [
    `${PREFIX} WARNING: the host at ${sanitizeForTerminal(display)} did not answer encrypted, but ${why}.`,
    `Someone on this network may be blocking encryption to read the room. ${NOTHING_SENT}${whatToDo === '' ? '' : ` ${whatToDo}`}`,
  ].join('\n');
}

function downgradeDetail(reason: DowngradeReason): [string, string] {
  switch (reason.kind) {
    case 'link':
      return [`the link names its identity (${shortOfId(reason.expectedId)})`, 'Ask the host for a new link if it now runs a Hearth without encryption.'];
    case 'known':
      return [
        `it had an identity when you joined before (${shortFingerprint(reason.remembered)})`,
        `If the host now runs a Hearth without encryption, delete its line in ${reason.knownHostsFile} to join it unencrypted.`,
      ];
    case 'announced':
      return [`it announces an identity (${shortOfId(reason.announcedId)})`, ''];
    case 'accept':
      return [`you asked for the identity ${sanitizeForTerminal(reason.typed)}`, ''];
  }
}

/** The host's certificate changed while joined (a reconnect met another one). */
export function changedWhileJoinedReason(): string {
  return "the host's identity changed";
}

export function knownHostsUnreadableWords(file: string, error: unknown): string {
  return `${PREFIX} cannot read ${file} (${error instanceof Error ? error.message : String(error)}), where the identities of hosts you joined are kept. ${NOTHING_SENT}`;
}

export function knownHostsUnsavedWords(file: string, error: unknown): string {
  return `${PREFIX} could not save this host's identity in ${file} (${error instanceof Error ? error.message : String(error)}): it will be treated as new next time.`;
}

export function unreachableWarning(display: string): string {
  return `${PREFIX} the room at ${sanitizeForTerminal(display)} answered, but not over an encrypted connection, so its identity could not be checked. ${NOTHING_SENT} Try again in a moment.`;
}
