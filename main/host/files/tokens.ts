// The tokens members send with uploads (Hearth-Token) and downloads (?t=): "<userId>.<mac>",
// the mac an HMAC-SHA256 of the user id under a secret made fresh by each host process. The
// host keeps no list of them; whether the member may still use one is the room's answer
// (FileAccess.tokenHolderPresent), so a kick ends every link at once and a restart makes
// new ones (the next welcome carries them).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface FileTokens {
  tokenFor(userId: string): string;
  /** The user id a well-formed, genuine token names; undefined for anything else. */
  userIdOf(token: string | undefined): string | undefined;
}

const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function createFileTokens(secret: Buffer = randomBytes(32)): FileTokens {
  const macOf = (userId: string) => createHmac('sha256', secret).update(userId).digest();
  return {
    tokenFor: (userId) => `${userId}.${macOf(userId).toString('base64url')}`,
    userIdOf(token) {
      if (token === undefined || token.length > 200) return undefined;
      const dot = token.lastIndexOf('.');
      const userId = token.slice(0, dot);
      if (dot < 0 || !USER_ID.test(userId)) return undefined;
      const given = Buffer.from(token.slice(dot + 1), 'base64url');
      const expected = macOf(userId);
      return given.length === expected.length && timingSafeEqual(given, expected) ? userId : undefined;
    },
  };
}
