// The tokens members send with uploads (Hearth-Token) and downloads (?t=): "<userId>.<mac>",
// the mac an HMAC-SHA256 of "<purpose>:<userId>" under a secret made fresh by each host
// process. Two purposes, two tokens: a download link gets copied, pasted, kept in browser
// history and proxy logs, so it must not also be a key that creates uploads as its member.
// The host keeps no list of them; whether the member may still use one is the room's answer
// (FileAccess.tokenHolderPresent), so a kick ends every link at once and a restart makes
// new ones (the next welcome carries them).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a token lets its holder do: create and send uploads, or read shared files. */
export type TokenPurpose = 'upload' | 'download';

export interface FileTokens {
  tokenFor(userId: string, purpose: TokenPurpose): string;
  /** The user id a well-formed, genuine token for this purpose names; undefined for anything else. */
  userIdOf(token: string | undefined, purpose: TokenPurpose): string | undefined;
}

const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function createFileTokens(secret: Buffer = randomBytes(32)): FileTokens {
  const macOf = (userId: string, purpose: TokenPurpose) => createHmac('sha256', secret).update(`${purpose}:${userId}`).digest();
  return {
    tokenFor: (userId, purpose) => `${userId}.${macOf(userId, purpose).toString('base64url')}`,
    userIdOf(token, purpose) {
      if (token === undefined || token.length > 200) return undefined;
      const dot = token.lastIndexOf('.');
      const userId = token.slice(0, dot);
      if (dot < 0 || !USER_ID.test(userId)) return undefined;
      const given = Buffer.from(token.slice(dot + 1), 'base64url');
      const expected = macOf(userId, purpose);
      return given.length === expected.length && timingSafeEqual(given, expected) ? userId : undefined;
    },
  };
}
