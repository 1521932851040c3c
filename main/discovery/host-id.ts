// A random host id, for what needs an id before any room runs: the network check's trial
// announcement. A hosted room's id comes from its certificate (common/identity.ts hostIdOf,
// main/host/identity.ts); the `host-id` file older versions kept is no longer read.
import { randomBytes } from 'node:crypto';

export function newHostId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(12)].map((b) => alphabet[b % alphabet.length]).join('');
}
