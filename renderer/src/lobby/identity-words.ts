// What the app says when a host is not who it should be. The forms people compare are the
// short one (hyobc-tq2me-7xk4a-lw3fd, what the hosting panel and `hearth host` show) and,
// for the careful check, the full SHA-256 fingerprint (common/identity.ts makes both).
import { shortFingerprint } from '../../../common/identity.ts';

/** Where the id the host should have came from: a join link (`id=`) or the room's row on the network. */
export type IdSource = 'link' | 'listing';

/** The short form of a host id (32 base32 chars, derived from its fingerprint): its first 20, in groups of five, as shortFingerprint gives it. */
export function shortOfId(id: string): string {
  return (
    id
      .slice(0, 20)
      .match(/.{1,5}/g)
      ?.join('-') ?? id
  );
}

/** Refused outright: the id vouches for one certificate and the address presents another. No override: a new link (or a fresh list) is the way on. */
export function notThisHostWords(display: string, expectedId: string, presented: string, source: IdSource): string {
  const expected = shortOfId(expectedId);
  const actual = shortFingerprint(presented);
  return source === 'link'
    ? `This is not the host the link was made for. The link is for ${expected}, but the host at ${display} is ${actual}. Someone on this network may be pretending to be it: ask the host for a new link.`
    : `This is not the host that was listed on the network. It was listed as ${expected}, but the host at ${display} is ${actual}. Someone on this network may be pretending to be it: refresh the list and try again.`;
}
