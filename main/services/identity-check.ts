// The app's side of pinning (issue #16): before the renderer joins a room over wss, the
// main process reads the certificate the host presents, decides with common/pinning.ts
// whether to trust it, remembers it (known_hosts) and pins it for the renderer's
// connection (pins.ts). A person who compared the host's screen may trust a changed
// identity, but only the one the host presents at that moment.
import * as v from 'valibot';
import { FINGERPRINT_HEX, FINGERPRINT_ID } from '../../common/identity.ts';
import type { IdentityCheck, Result } from '../../common/ipc.ts';
import { decidePin, pinAllowsJoin, type PinDecision } from '../../common/pinning.ts';
import { endpointOf, type KnownHosts } from '../discovery/known-hosts.ts';
import { presentedFingerprint } from '../discovery/identity-probe.ts';
import type { PinStore } from './pins.ts';

/** A name, an IPv4 address or an IPv6 one (brackets are dropped). */
const Host = v.pipe(
  v.string(),
  v.trim(),
  v.transform((host) => host.replace(/^\[(.*)\]$/, '$1')),
  v.regex(/^[0-9A-Za-z._:%-]{1,253}$/, 'The host must be a name or an address, like 192.168.1.7.'),
);
const Port = v.pipe(v.number(), v.integer('The port must be a whole number.'), v.minValue(1, 'The port must be 1–65535.'), v.maxValue(65_535, 'The port must be 1–65535.'));

const IdentityCheckRequestSchema = v.object({
  host: Host,
  port: Port,
  expectedId: v.optional(v.pipe(v.string(), v.maxLength(64, 'That host id is too long.'))),
  previous: v.optional(v.pipe(v.string(), v.toLowerCase(), v.regex(FINGERPRINT_HEX, 'That is not a SHA-256 fingerprint.'))),
});

const TrustIdentityRequestSchema = v.object({
  host: Host,
  port: Port,
  // Lowercase hex as the dialog got it; colon hex (as people copy it) is read too.
  fingerprint: v.pipe(
    v.string(),
    v.transform((text) => text.trim().replaceAll(':', '').toLowerCase()),
    v.regex(FINGERPRINT_HEX, 'That is not a SHA-256 fingerprint.'),
  ),
});

export interface IdentityCheckContext {
  /** Opened when first needed: an unreadable file is then an answer, not a crash at start. */
  knownHosts: () => KnownHosts;
  pins: PinStore;
  /** The fingerprint of the room this app hosts, if it hosts one: its own window trusts it. */
  ownFingerprint: () => string | undefined;
  log?: ((line: string) => void) | undefined;
}

/** 'room:identity': read, decide, remember and pin. */
export async function checkIdentity(args: unknown, context: IdentityCheckContext): Promise<Result<IdentityCheck>> {
  const parsed = v.safeParse(IdentityCheckRequestSchema, args);
  if (!parsed.success) return { ok: false, error: firstIssue(parsed.issues) };
  const { host, port, expectedId, previous } = parsed.output;
  const endpoint = endpointOf(host, port);
  let remembered: string | undefined;
  try {
    // A room's own reconnect check says what it joined with: compared even if known_hosts could not keep it.
    remembered = context.knownHosts().get(endpoint) ?? previous;
  } catch (error) {
    // Never read as "never joined": that would turn a changed identity into a first use.
    return { ok: false, error: `Cannot read the hosts you joined before: ${(error as Error).message}` };
  }
  const presented = await presentedFingerprint(host, port);
  if (!presented.ok) {
    if (presented.reason === 'unreachable') return { ok: false, error: unreachable(endpoint) };
    // A host from before encryption joins in plain. But one that had an identity (its
    // link or row named one, or it presented one before) must not lose it silently: a
    // man in the middle would simply answer in plain. Refused, with no way to override.
    const pinnedId = expectedId !== undefined && FINGERPRINT_ID.test(expectedId);
    if (pinnedId || remembered !== undefined) return { ok: false, error: downgraded(endpoint, pinnedId ? 'id' : 'known') };
    return { ok: true, value: { kind: 'no-tls' } };
  }
  const decision = ownRoom(decidePin({ presented: presented.fingerprint, expectedId, remembered }), context);
  if (pinAllowsJoin(decision)) keep(endpoint, host, decision.fingerprint, context);
  return { ok: true, value: decision };
}

/** 'room:trust': the person accepts a changed identity, which the host must present now. */
export async function trustIdentity(args: unknown, context: IdentityCheckContext): Promise<Result<null>> {
  const parsed = v.safeParse(TrustIdentityRequestSchema, args);
  if (!parsed.success) return { ok: false, error: firstIssue(parsed.issues) };
  const { host, port, fingerprint } = parsed.output;
  const endpoint = endpointOf(host, port);
  const presented = await presentedFingerprint(host, port);
  if (!presented.ok) {
    return { ok: false, error: presented.reason === 'unreachable' ? unreachable(endpoint) : `The host at ${endpoint} no longer answers with an identity. Nothing was trusted.` };
  }
  if (presented.fingerprint !== fingerprint) {
    return { ok: false, error: `The host at ${endpoint} now presents another identity than the one you checked. Nothing was trusted: try joining again.` };
  }
  keep(endpoint, host, fingerprint, context);
  return { ok: true, value: null };
}

/**
 * A changed identity is no alarm when it is this app's own room (only this machine holds
 * that key). Nothing else vouches over what was remembered: not even a LAN row proven at
 * that address, since whoever took the address over can announce one (pinning.ts).
 */
function ownRoom(decision: PinDecision, context: IdentityCheckContext): PinDecision {
  if (decision.kind !== 'changed' || context.ownFingerprint() !== decision.presented) return decision;
  return { kind: 'trusted', fingerprint: decision.presented, via: 'known' };
}

/** Remembered for next time (a disk that cannot be written costs the memory, not the join) and pinned. */
function keep(endpoint: string, host: string, fingerprint: string, context: IdentityCheckContext): void {
  try {
    context.knownHosts().remember(endpoint, fingerprint);
  } catch (error) {
    context.log?.(`known hosts: cannot remember ${endpoint}: ${(error as Error).message}`);
  }
  context.pins.pin(host, fingerprint);
}

function unreachable(endpoint: string): string {
  return `Cannot reach ${endpoint} to check its identity. Check that the room is still open, then try again.`;
}

function downgraded(endpoint: string, had: 'id' | 'known'): string {
  const before = had === 'id' ? 'the room was found with an identity' : 'it had an identity when you joined it before';
  return `The host at ${endpoint} answered without encryption, but ${before}. Someone on this network may be pretending to be it, so Hearth did not join.`;
}

function firstIssue(issues: readonly v.BaseIssue<unknown>[]): string {
  const message = issues[0]?.message ?? 'That request is not valid.';
  return /^Invalid /.test(message) ? 'That request is not valid.' : message;
}
