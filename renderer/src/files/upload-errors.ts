// What an upload does after a failed request, and the sentence a person reads. The host
// answers refusals with a plain sentence in the body (413 too large, 507 no space, 429 too
// many at once, a hash mismatch): that sentence is shown as it is. What it does not say
// (no body, no answer at all) gets words here.

/**
 * After a failed request: `resume` quietly (tus-js-client retries, from what the host kept),
 * or stop. Status 0 is no answer: the host is away or restarting. 401 is a token from before
 * a host restart: the next request carries the new one from the new welcome.
 */
export function shouldResume(status: number): boolean {
  if (status === 0 || status === 401 || status === 409 || status === 423 || status === 429) return true;
  return status >= 500 && status !== 507;
}

/**
 * Out of quick retries: with no answer (or a token from before a restart), the upload waits
 * for the room to reconnect and goes on by itself; anything else the host said stops it,
 * with its sentence and Retry.
 */
export function waitsForRoom(status: number): boolean {
  return status === 0 || status === 401;
}

/** A stopped upload may be tried again: anything but a file too large for the room. */
export function canRetry(status: number): boolean {
  return status !== 413;
}

const MAX_SENTENCE = 300;

/** The host's own sentence when it gave one (text only, one line, bounded); else words for the status. */
export function failureWords(status: number, body: string | undefined): string {
  const said = (body ?? '').replace(/\s+/g, ' ').trim();
  if (said !== '' && status >= 400 && !/^</.test(said)) return said.length > MAX_SENTENCE ? `${said.slice(0, MAX_SENTENCE - 1)}…` : said;
  if (status === 0) return 'Could not reach the host.';
  if (status === 413) return 'This file is larger than this room takes.';
  if (status === 507) return 'The host has no space left for this file.';
  if (status === 429) return 'Too many files at once. Try again in a moment.';
  if (status === 401 || status === 403) return 'The host did not accept this upload.';
  if (status === 404) return 'The host no longer has this upload.';
  return `The upload failed (the host answered ${status}).`;
}
