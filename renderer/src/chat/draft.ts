// How long a draft is, as the host counts it (code points, common/protocol.ts), and what the
// composer says about it: nothing until the limit nears, then a counter, then why Send waits.
import { LIMITS, countChars } from '../../../common/protocol.ts';

/** The counter appears from here on (of LIMITS.maxTextChars). */
export const COUNTER_FROM = LIMITS.maxTextChars - 500;

export interface DraftLength {
  count: number;
  /** The counter is worth showing. */
  shown: boolean;
  /** Too long to send: the host would refuse it. */
  over: boolean;
  /** What the counter says ('' while hidden). */
  text: string;
}

const number = new Intl.NumberFormat('en');

export function draftLength(draft: string): DraftLength {
  const count = countChars(draft);
  const max = LIMITS.maxTextChars;
  const shown = count >= COUNTER_FROM;
  const over = count > max;
  if (!shown) return { count, shown, over, text: '' };
  const base = `${number.format(count)} / ${number.format(max)}`;
  if (!over) return { count, shown, over, text: base };
  const extra = count - max;
  return { count, shown, over, text: `${base}: ${number.format(extra)} character${extra === 1 ? '' : 's'} too many to send` };
}
